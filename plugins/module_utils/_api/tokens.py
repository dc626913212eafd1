# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API tokens: one function per Dynatrace call, the client as first argument.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Environment API v2 (`/e/{id}/api/v2/apiTokens`) with an environment token (apiTokens.read or
apiTokens.write, such as a token-management token), and the Cluster API v2 call that deletes a
token by id with a cluster token (ClusterTokenManagement). What an answer means is decided here:
a 404 is an absent token.
"""

from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, iter_pages

SCOPE_READ = 'apiTokens.read'
SCOPE_WRITE = 'apiTokens.write'
SCOPE_CLUSTER_TOKEN_MANAGEMENT = 'ClusterTokenManagement'
CLUSTER_TOKENS_PATH = '/api/cluster/v2/tokens'
# The API allows 100 to 10000 tokens a page: the largest page keeps a listing to one request.
MAX_PAGE_SIZE = 10000


def api_tokens_path(environment_id, token_id=None):
    path = '/e/%s/api/v2/apiTokens' % quote(str(environment_id), safe='')
    return path if token_id is None else '%s/%s' % (path, quote(str(token_id), safe=''))


def _check_token(value, method, path):
    if not isinstance(value, dict) or not isinstance(value.get('id'), str) or not value['id']:
        raise DynatraceError('the answer holds no API token with an "id"', status=200, method=method, path=path)
    return value


def list_api_tokens(client, environment_id, fields, page_size=MAX_PAGE_SIZE):
    """The metadata of every API token of the environment, over all pages (the API has no name filter)."""
    path = api_tokens_path(environment_id)
    tokens = []
    for page in iter_pages(client, path, {'pageSize': page_size, 'fields': fields}, 'apiTokens', 'API token list',
                           scope=SCOPE_READ):
        tokens.extend(_check_token(token, 'GET', path) for token in page['apiTokens'])
    return tokens


def get_api_token(client, environment_id, token_id):
    """GET /apiTokens/{id}: the whole metadata of one token, or None when it does not exist (404)."""
    path = api_tokens_path(environment_id, token_id)
    try:
        return _check_token(client.request('GET', path, scope=SCOPE_READ).body, 'GET', path)
    except DynatraceError as exc:
        if exc.status == 404:
            return None
        raise


def completed(client, environment_id, tokens, wanted=lambda token: True):
    """The listed tokens, each `wanted` one that lacks its scopes read alone.

    Whether later pages of the listing keep the requested fields is not published: a token listed without
    `scopes` is unknown, not a token without scopes, so it is read by id (one GET each, only when it happens).
    """
    result = []
    for token in tokens:
        if 'scopes' not in token and wanted(token):
            token = get_api_token(client, environment_id, token['id']) or token
        result.append(token)
    return result


def create_api_token(client, environment_id, body):
    """POST a new API token; return the answer {id, token, expirationDate?}: the secret is in `token`.

    Raises ResponseLostError when the outcome is unknown: the caller resolves it.
    """
    path = api_tokens_path(environment_id)
    answer = client.request('POST', path, json_body=body, scope=SCOPE_WRITE).body
    if not isinstance(answer, dict) or not answer.get('token'):
        raise DynatraceError('the create answer carries no token', status=201, method='POST', path=path)
    if not answer.get('id'):
        answer = dict(answer, id=public_part(answer['token']))
    return answer


def update_api_token(client, environment_id, token_id, scopes=None, enabled=None):
    """PUT the scopes and/or the enabled flag of a token (the token keeps its id and secret)."""
    body = {}
    if scopes is not None:
        body['scopes'] = list(scopes)
    if enabled is not None:
        body['enabled'] = enabled
    client.request('PUT', api_tokens_path(environment_id, token_id), json_body=body, scope=SCOPE_WRITE)


def delete_api_token(client, environment_id, token_id):
    """DELETE a token by id; True when deleted, False when it did not exist (404)."""
    try:
        client.request('DELETE', api_tokens_path(environment_id, token_id), scope=SCOPE_WRITE)
    except DynatraceError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def lookup_api_token(client, environment_id, token):
    """POST /apiTokens/lookup: the metadata of the token whose value is `token`, or None when unknown (404).

    The token folder asks it of a file without manifest (release 1.0.0) before taking its secret for a live token.
    """
    path = api_tokens_path(environment_id) + '/lookup'
    try:
        return _check_token(client.request('POST', path, json_body={'token': token}, scope=SCOPE_READ).body,
                            'POST', path)
    except DynatraceError as exc:
        if exc.status == 404:
            return None
        raise


def delete_cluster_token(client, token_id):
    """DELETE /api/cluster/v2/tokens/{id} with a cluster token; True when deleted, False when not found (404)."""
    try:
        client.request('DELETE', '%s/%s' % (CLUSTER_TOKENS_PATH, quote(str(token_id), safe='')),
                       scope=SCOPE_CLUSTER_TOKEN_MANAGEMENT)
    except DynatraceError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def public_part(token):
    """The id of a token in the Dynatrace format: its prefix and public part (dt0c01.XXXX), safe to show."""
    return '.'.join(str(token).split('.')[:2])
