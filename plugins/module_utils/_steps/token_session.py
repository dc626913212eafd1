# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The environment a token task addresses, and a client inside it with a token-management token.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The Environment API v2 token calls (`/e/{id}/api/v2/apiTokens`) need a token of that environment with
apiTokens.read and apiTokens.write. Either the task gives one (token_management_token), or the session
mints a short-lived one with the cluster token (EnvironmentTokenManagement) and deletes it when the task
ends, also when it fails. A token cannot delete itself (the API refuses), so the deletion goes through the
cluster tokens API with the cluster token (ClusterTokenManagement). Where the cluster cannot do that, the
token stays until it expires (MINTED_LIFETIME_SECONDS) and the task warns; later tasks delete such expired
leftovers (delete_expired_leftovers).
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api_tokens
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_lookup import find_by_name
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import iso_to_ms

# Long enough for every request of one task with its retries, short enough to be harmless if it is left behind.
MINTED_LIFETIME_SECONDS = 600
MINTED_NAME_PREFIX = 'clusterops.dynatrace '
NEEDED_SCOPES = 'apiTokens.read and apiTokens.write'


def locate_environment(cluster, params):
    """The environment (API shape) of `environment_id` or of the exact `environment_name`; an error if none or several."""
    if params.get('environment_id'):
        environment = api_environments.get_environment(cluster, params['environment_id'])
        if environment is None:
            raise DynatraceError('environment_id %r: no environment of that id exists on the cluster'
                                 % params['environment_id'])
        return environment
    name = params['environment_name']
    matches = find_by_name(cluster, name)
    if not matches:
        raise DynatraceError('environment_name %r: no environment of that name exists on the cluster (names are '
                             'compared exactly and case-sensitively)' % name)
    if len(matches) > 1:
        raise DynatraceError('environment_name %r matches %d environments (ids: %s); set environment_id to choose one'
                             % (name, len(matches), ', '.join(sorted(e['id'] for e in matches))))
    return matches[0]


def environment_url(cluster, environment_id):
    """https://<cluster>/e/<id>: the address OneAgent installers and environment API clients use."""
    return '%s/e/%s' % (cluster.base_url, environment_id)


def minted_name(purpose, now):
    return '%s%s %s' % (MINTED_NAME_PREFIX, purpose, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now)))


class TokenSession:
    """`with TokenSession(...) as session:` gives `session.client`, authenticated inside the environment.

    `token_management_token` is used when given; else one is minted and deleted when the block ends, whatever
    happens in it. A 401 or 403 from inside the environment is explained in terms of the token options.
    """

    def __init__(self, cluster, environment_id, token_management_token=None, purpose='dynatrace_api_token',
                 warn=None, clock=time.time):
        self.cluster = cluster
        self.environment_id = environment_id
        self.given_token = token_management_token
        self.purpose = purpose
        self.warn = warn or (lambda message: None)
        self.clock = clock
        self.client = None
        self.minted = False
        self.minted_name = None
        self.minted_id = None
        self.minted_expires = None
        self.minted_deleted = False
        # True once a listing shows a token an earlier task minted: this cluster keeps them, and was said so then.
        self.cluster_keeps_minted = False

    def __enter__(self):
        token = self.given_token
        if not token:
            token = self._mint()
        self.client = self.cluster.with_token(token)
        return self

    def _mint(self):
        now = self.clock()
        self.minted_name = minted_name(self.purpose, now)
        try:
            token, self.minted_id = api_environments.mint_token_management_token(
                self.cluster, self.environment_id, self.minted_name, MINTED_LIFETIME_SECONDS)
        except DynatraceError as exc:
            if exc.status in (401, 403):
                exc.message += (' Without token_management_token the module mints one with api_token, which needs '
                                'the scope EnvironmentTokenManagement; or give token_management_token (a token of '
                                'the environment with %s).' % NEEDED_SCOPES)
            raise
        self.minted = True
        self.minted_expires = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now + MINTED_LIFETIME_SECONDS))
        return token

    def __exit__(self, exc_type, exc, traceback):
        if self.client is not None:
            self.cluster.retry_count += self.client.retry_count
            self.cluster.waited_seconds += self.client.waited_seconds
        if isinstance(exc, DynatraceError):
            self._explain(exc)
        if self.minted:
            self._delete_minted()
        return False

    def is_minted(self, token):
        """Whether `token` (metadata of the listing) is the one minted for this task: by id, else by its name."""
        if not self.minted:
            return False
        return token.get('id') == self.minted_id if self.minted_id else token.get('name') == self.minted_name

    def minted_result(self):
        """What the task result says of the minted token (never its secret), or None when none was minted."""
        if not self.minted:
            return None
        return dict(id=self.minted_id, deleted=self.minted_deleted, expires=self.minted_expires)

    def _explain(self, exc):
        inside = (exc.path or '').startswith('/e/')
        if not inside or exc.status not in (401, 403):
            return
        if not self.given_token:
            exc.message += ' (with the token-management token minted for this task)'
        elif exc.status == 401:
            exc.message += (' token_management_token was not accepted in environment %s: it must be a live token of '
                            'that environment (not a cluster token, not expired)' % self.environment_id)
        else:
            exc.message += ' token_management_token needs the scopes %s' % NEEDED_SCOPES

    def _delete_minted(self):
        reason = 'the cluster sent no id for it'
        if self.minted_id:
            try:
                self.minted_deleted = api_tokens.delete_cluster_token(self.cluster, self.minted_id)
                reason = 'the cluster tokens API does not know it (HTTP 404)'
            except DynatraceError as exc:
                reason = str(exc)
        if self.minted_deleted or self.cluster_keeps_minted:
            return
        self.warn('The token-management token %s minted for this task could not be deleted (a token cannot delete '
                  'itself, so the cluster token deletes it, which needs the scope ClusterTokenManagement): %s. It '
                  'expires at %s, %d minutes after it was minted; the next task that mints one deletes it then. Give '
                  'token_management_token to avoid minting.'
                  % (self.minted_id or repr(self.minted_name), reason, self.minted_expires,
                     MINTED_LIFETIME_SECONDS // 60))

    def note_listing(self, tokens):
        """Learn from the environment's tokens whether an earlier task's minted token is still there (so the cluster
        could not delete it, and its warning was given then): the warning is given once, not on every run."""
        self.cluster_keeps_minted = any(str(token.get('name', '')).startswith(MINTED_NAME_PREFIX)
                                        and not self.is_minted(token) for token in tokens)

    def leftovers(self, tokens):
        """Tokens minted by earlier tasks that have expired: our name prefix, expired before this one was minted.

        Both dates come from the cluster's clock, so a clock difference with this host does not matter.
        """
        ours = [token for token in tokens if self.is_minted(token)]
        minted_at = _ms(ours[0].get('creationDate')) if ours else None
        if minted_at is None:
            return []
        found = []
        for token in tokens:
            expires = _ms(token.get('expirationDate'))
            if (not self.is_minted(token) and str(token.get('name', '')).startswith(MINTED_NAME_PREFIX)
                    and expires is not None and expires <= minted_at):
                found.append(token)
        return found

    def delete_expired_leftovers(self, tokens):
        """Delete what leftovers() finds (they can no longer authenticate anything); return their ids."""
        deleted = []
        for token in self.leftovers(tokens):
            api_tokens.delete_api_token(self.client, self.environment_id, token['id'])
            deleted.append(token['id'])
        return deleted


def _ms(text):
    """Epoch milliseconds of an API date, None when there is none or it cannot be read."""
    if not text:
        return None
    try:
        return iso_to_ms(str(text))
    except ValueError:
        return None
