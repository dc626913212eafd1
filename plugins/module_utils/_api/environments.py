# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cluster API v2 environments: one function per Dynatrace call, the client as first argument.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

What an answer means is decided here, once: a 404 is an absent environment, a 422 on
consumption information is a DPS-licensed cluster, a 400 that refuses fields names them by
their options.
"""

import re
from functools import partial
from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import cluster as _api_cluster
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import DEFAULT_PARALLEL, run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_refusals import (
    explain_violations, needs_cluster_version,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    SCOPE_ENVIRONMENT_TOKEN_MANAGEMENT, SCOPE_SERVICE_PROVIDER, DynatraceError, iter_pages,
)

CLUSTER_V2 = '/api/cluster/v2'
ENVIRONMENTS_PATH = CLUSTER_V2 + '/environments'
MAX_PAGE_SIZE = 1000
# dt0c01.<public part>.<secret>: the part before the second dot identifies the token and may be shown.
NEW_TOKEN_FORMAT = re.compile(r'^dt0[a-z][0-9]{2}\.[A-Za-z0-9]+\.[A-Za-z0-9]+$')

DPS_MESSAGE = ('The cluster refused consumption information (HTTP 422): it is licensed with the Dynatrace Platform '
               'Subscription (DPS), which has no per-environment quotas. dynatrace_environment and the environments '
               'role: remove the quotas option from the task. dynatrace_environment_info: Leave include_consumption '
               'and uncached_consumption off (false). Server message: %s')


def environment_path(environment_id):
    return '%s/%s' % (ENVIRONMENTS_PATH, quote(str(environment_id), safe=''))


def info_flags(include_consumption=False, include_storage=False, uncached_consumption=False):
    """Query parameters asking for quotas and storage; uncached consumption wins over cached."""
    params = {}
    if uncached_consumption:
        params['includeUncachedConsumptionInfo'] = 'true'
    elif include_consumption:
        params['includeConsumptionInfo'] = 'true'
    if include_storage:
        params['includeStorageInfo'] = 'true'
    return params


def _explain_dps(exc, params):
    """A 422 to a request for consumption information means DPS licensing: say so, and what to do."""
    if exc.status == 422 and ('includeConsumptionInfo' in params or 'includeUncachedConsumptionInfo' in params):
        return exc.reworded(DPS_MESSAGE % exc.message)
    return exc


def _send_environment(client, method, path, params, body):
    """POST or PUT an environment body. A 400 that refuses fields (the license or the cluster version lacks them)
    names each by its option; when that depends on the version, one more request reads it for the message."""
    try:
        return client.request(method, path, params=params, json_body=body, scope=SCOPE_SERVICE_PROVIDER)
    except DynatraceError as exc:
        if exc.status == 400 and exc.violations:
            version = _api_cluster.product_version_or_none(client) if needs_cluster_version(exc.violations) else None
            raise exc.reworded(explain_violations(exc.violations, version) + '.')
        raise


def _check_environment(value, method, path):
    """An answer that should be an environment object is one (a dict with an id), or a clear error."""
    if not isinstance(value, dict):
        shape = 'nothing' if value is None else 'a %s' % type(value).__name__
        raise DynatraceError('the answer holds %s where an environment object was expected' % shape,
                             status=200, method=method, path=path)
    if not isinstance(value.get('id'), str) or not value['id']:
        raise DynatraceError('the answer holds an environment without an "id"', status=200, method=method, path=path)
    return value


def iter_environment_pages(client, page_size=MAX_PAGE_SIZE, sort=None, filter_expression=None,
                           include_consumption=False, include_storage=False, uncached_consumption=False,
                           complete=True, parallel=DEFAULT_PARALLEL):
    """Yield every page of GET /environments, following nextPageKey; every entry is an environment object.

    complete: every environment carries the sections asked for (read again on its own, up to `parallel` at once,
    where the cursor dropped the flags); False leaves that to the caller (see with_sections), which reads only
    the environments it needs.
    """
    params = {'pageSize': page_size}
    if sort:
        params['sort'] = sort
    if filter_expression:
        params['filter'] = filter_expression
    flags = dict(include_consumption=include_consumption or uncached_consumption, include_storage=include_storage,
                 uncached_consumption=uncached_consumption)
    params.update(info_flags(**flags))
    try:
        for page in iter_pages(client, ENVIRONMENTS_PATH, params, 'environments', 'environment list',
                               scope=SCOPE_SERVICE_PROVIDER):
            for environment in page['environments']:
                _check_environment(environment, 'GET', ENVIRONMENTS_PATH)
            if complete:
                page['environments'] = _with_sections(client, page['environments'], flags, parallel)
            yield page
    except DynatraceError as exc:
        raise _explain_dps(exc, params)


def missing_sections(environment, include_consumption=False, include_storage=False, uncached_consumption=False):
    """The sections asked for that a listed environment lacks (its page came through a cursor that dropped the flags)."""
    wanted = [section for section, asked in (('quotas', include_consumption or uncached_consumption),
                                             ('storage', include_storage)) if asked]
    return [section for section in wanted if section not in environment]


def with_sections(client, environment, **flags):
    """`environment` of a listing with the sections of `flags`: as it is when it has them, else read again (one GET).

    None when it was deleted in the meantime (404).
    """
    if not missing_sections(environment, **flags):
        return environment
    return get_environment(client, environment['id'], **flags)


def _with_sections(client, environments, flags, parallel):
    """The environments of a page, each with the quotas and storage that were asked for.

    Whether nextPageKey carries the include flags is not published, and every other parameter must be
    left out next to it: on a server whose key drops them, later pages come without quotas or storage.
    Such an environment is read again on its own, with the flags (one request each, only then, up to
    `parallel` at once); one deleted in the meantime (404) is left out. A server whose cursor keeps the
    flags costs nothing more: this is detected page by page, from the answer itself.
    """
    jobs = [partial(with_sections, client, environment, **flags) for environment in environments]
    if not any(missing_sections(environment, **flags) for environment in environments):
        return environments
    outcomes = run_jobs(jobs, parallel, congestion=lambda: client.gate.pushbacks)
    for outcome in outcomes:
        if outcome.failed:
            raise outcome.error
    return [outcome.value for outcome in outcomes if outcome.value is not None]


def list_environments(client, **query):
    """Return (environments, total_count) over all pages; see iter_environment_pages."""
    environments, total_count = [], None
    for page in iter_environment_pages(client, **query):
        environments.extend(page['environments'])
        if total_count is None:
            total_count = page.get('totalCount')
    return environments, total_count if total_count is not None else len(environments)


def get_environment(client, environment_id, include_consumption=False, include_storage=False, uncached_consumption=False):
    """GET one environment, or None when the id does not exist (404)."""
    params = info_flags(include_consumption, include_storage, uncached_consumption)
    path = environment_path(environment_id)
    try:
        answer = client.request('GET', path, params=params, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status == 404:
            return None
        raise _explain_dps(exc, params)
    # Only a 404 means absent: an empty or odd 200 answer must not let a caller create a second environment.
    return _check_environment(answer, 'GET', path)


def create_environment(client, body, create_token):
    """POST a new environment; return (id, token_management_token or None).

    Raises ResponseLostError when the outcome is unknown: the caller resolves it.
    """
    params = {'createToken': 'true'} if create_token else None
    response = _send_environment(client, 'POST', ENVIRONMENTS_PATH, params, body)
    answer = response.body if isinstance(response.body, dict) else {}
    environment_id = answer.get('id') or response.headers.get('Location', '').rstrip('/').rsplit('/', 1)[-1]
    if not environment_id:
        raise DynatraceError('the create answer carries no environment id', status=201, method='POST',
                             path=ENVIRONMENTS_PATH)
    return environment_id, answer.get('tokenManagementToken')


class IdRefusedError(DynatraceError):
    """The cluster refuses to create an environment with this id (for example the id of a deleted one)."""


def _refuses_the_id(exc):
    """Whether a failed creating PUT was refused for its id rather than for its body.

    The API documents only 400 for PUT; a cluster that will not reuse an id may also answer 404, 409 or
    410. A 400 counts only when every violation is about the id, so a refused body is never retried as a POST.
    """
    if exc.status in (404, 409, 410):
        return True
    return exc.status == 400 and bool(exc.violations) and all(
        path.split('.')[0] == 'id' for path, dummy in exc.violations)


def create_environment_with_id(client, environment_id, body, create_token):
    """PUT (upsert) a new environment with this id; return (created, token_management_token or None).

    created is False when the id existed already and the PUT updated it with `body`: a concurrent
    create, or this very request sent again after its first answer was lost. Raises IdRefusedError
    when the cluster refuses the id itself.
    """
    try:
        return put_environment(client, environment_id, body, create_token=create_token)
    except DynatraceError as exc:
        if _refuses_the_id(exc):
            raise IdRefusedError(exc.message, status=exc.status, method=exc.method, path=exc.path,
                                 violations=exc.violations, attempts=exc.attempts)
        raise


def put_environment(client, environment_id, body, create_token=False):
    """PUT (upsert) an environment; return (created, token_management_token or None)."""
    params = {'createToken': 'true'} if create_token else None
    response = _send_environment(client, 'PUT', environment_path(environment_id), params, body)
    token = response.body.get('tokenManagementToken') if isinstance(response.body, dict) else None
    return response.status == 201, token


def delete_environment(client, environment_id):
    """DELETE an environment; True when deleted, False when it did not exist (404)."""
    try:
        client.request('DELETE', environment_path(environment_id), scope=SCOPE_SERVICE_PROVIDER)
    except DynatraceError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def mint_token_management_token(client, environment_id, name, expires_in_seconds):
    """POST /environments/{id}/tokenManagementToken: a token that may create API tokens inside the environment.

    Needs a cluster token with scope EnvironmentTokenManagement. Returns (token, token id): the token is a
    secret; the id comes from the Location header, else it is the token's prefix and public part (dt0c01.XXXX);
    None for a token of the old format without a Location (its whole value is secret).
    """
    path = environment_path(environment_id) + '/tokenManagementToken'
    body = {'name': name, 'expiresIn': {'value': int(expires_in_seconds), 'unit': 'SECONDS'}}
    response = client.request('POST', path, json_body=body, scope=SCOPE_ENVIRONMENT_TOKEN_MANAGEMENT)
    answer = response.body
    if not isinstance(answer, dict) or not answer.get('token'):
        raise DynatraceError('the answer carries no token', status=201, method='POST', path=path)
    location = (response.headers.get('Location') or '').rstrip('/').rsplit('/', 1)[-1]
    if not location and NEW_TOKEN_FORMAT.match(answer['token']):
        location = '.'.join(answer['token'].split('.')[:2])
    return answer['token'], location or None
