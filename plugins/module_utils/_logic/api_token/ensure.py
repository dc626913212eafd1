# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_api_token's logic: make one named API token exist (or not) in one environment.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Request budget (the module documentation states it for users):
- a token that exists, steady state: the environment lookup and one listing of the environment's tokens (2);
  when the module mints its token-management token, also the mint and its deletion (4);
- creation, update in place, deletion: one more (the POST, the PUT or the DELETE); rotation: two more (the
  POST of the new token, then the DELETE of the old one);
- when minting, one DELETE per token minted by an earlier task that has expired (only clusters whose tokens
  API cannot delete minted tokens leave such tokens behind);
- a lost answer to the POST: the listing again, the DELETE of the token whose secret was lost with the
  answer (when it was created), and the POST again.
Check mode sends no request that creates, changes or deletes a token: without token_management_token it mints
none, so it reads only the environment and reports the token's outcome as unknown (`unknown: true`).
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api.name_refusals import names_refused
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import ENVIRONMENT_SCOPE
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import (
    LIST_FIELDS, create_body, token_drift, token_view,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import (
    TokenSession, environment_url, locate_environment,
)

# Reading the environment's tokens needs a token of the environment; minting one is a write, which check mode
# does not do: without token_management_token the outcome is unknown, and said so.
CHECK_MODE_UNKNOWN = ('Check mode cannot tell what would happen to API token %r: reading the environment\'s tokens needs '
                      'a token-management token, and minting one is a write. Give token_management_token to check it; '
                      'nothing was changed.')
SECRET_NOT_RETURNED = ('Its secret is returned only by the task that creates it and cannot be read again; '
                       'rotate: true replaces it with a new token.')


def ensure_api_token(cluster, params, check_mode=False, warn=None, now_ms=None):
    """Run one dynatrace_api_token task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    environment = locate_environment(cluster, params)
    env_id = environment['id']
    result = dict(changed=False, environment_id=env_id, environment_name=environment.get('name'),
                  environment_url=environment_url(cluster, env_id), drift={})
    if check_mode and not params.get('token_management_token'):
        return dict(result, unknown=True, msg=CHECK_MODE_UNKNOWN % params['name'])
    session = TokenSession(cluster, env_id, params.get('token_management_token'), 'dynatrace_api_token', warn)
    with session:
        tokens = api.list_api_tokens(session.client, env_id, LIST_FIELDS)
        tokens = api.completed(session.client, env_id, tokens, lambda token: token.get('name') == params['name'])
        if session.minted:
            session.note_listing(tokens)
        if session.minted and not check_mode:
            result['expired_minted_tokens_deleted'] = session.delete_expired_leftovers(tokens)
        task = Task(session, params, check_mode, warn, now_ms, tokens)
        result.update(task.absent() if params['state'] == 'absent' else task.present())
    if session.minted:
        result['minted_token_management_token'] = session.minted_result()
    return result


class Task:
    """One task against the token list read at its start."""

    def __init__(self, session, params, check_mode, warn, now_ms, tokens, on_secret=None):
        self.session, self.client, self.env_id = session, session.client, session.environment_id
        # Called with (create answer, id of the token it replaces or None) the moment the server answers a secret,
        # before any other request: a caller that keeps secrets in files writes it there at once.
        self.on_secret = on_secret or (lambda answer, replaced_id: None)
        self.params, self.check_mode, self.warn, self.now_ms = params, check_mode, warn, now_ms
        self.known_ids = set(token['id'] for token in tokens)
        named = [token for token in tokens if token.get('name') == params['name'] and not session.is_minted(token)]
        if len(named) > 1:
            raise DynatraceError('name %r matches %d API tokens in environment %s (ids: %s): the module does not guess '
                                 'which one is meant. Delete or rename the extra ones.'
                                 % (params['name'], len(named), self.env_id, ', '.join(sorted(t['id'] for t in named))))
        self.existing = named[0] if named else None

    def absent(self):
        if self.existing is None:
            return dict(msg='No API token named %r exists in environment %s.' % (self.params['name'], self.env_id))
        if not self.check_mode:
            api.delete_api_token(self.client, self.env_id, self.existing['id'])
        return dict(changed=True, token_id=self.existing['id'], api_token=token_view(self.existing, self.now_ms),
                    msg='API token %r (%s) deleted.' % (self.params['name'], self.existing['id']))

    def present(self):
        if self.existing is None:
            return self.create()
        drift = token_drift(self.existing, self.params['scopes'], self.now_ms)
        view = token_view(self.existing, self.now_ms)
        base = dict(token_id=self.existing['id'], api_token=view, drift=drift)
        if self.params['rotate'] or (self.params['update_existing'] and 'expired' in drift):
            return dict(base, **self.replace())
        if drift and self.params['update_existing']:
            return dict(base, **self.update(drift, view))
        if drift:
            return dict(base, msg='API token %r exists but differs from the task (%s); nothing changed. Set '
                                  'update_existing: true to update it in place, or rotate: true to replace it. %s'
                                  % (self.params['name'], ', '.join(sorted(drift)), SECRET_NOT_RETURNED))
        return dict(base, msg='API token %r exists with the same scopes; nothing changed. %s'
                              % (self.params['name'], SECRET_NOT_RETURNED))

    def create(self):
        body = create_body(self.params, self.now_ms)
        if self.check_mode:
            return dict(changed=True, api_token=dict(name=body['name'], scopes=body['scopes']),
                        msg='API token %r would be created; check mode returns no secret.' % body['name'])
        answer = self.post_without_duplicates(body)
        self.on_secret(answer, None)
        return dict(changed=True, token_id=answer['id'], token=answer['token'], api_token=self.created_view(body, answer),
                    msg='API token %r (%s) created; its secret is in token.' % (body['name'], answer['id']))

    def replace(self):
        """Rotation: the new token first, then the old one goes, so a consumer is never without a token."""
        body = create_body(self.params, self.now_ms)
        old_id = self.existing['id']
        if self.check_mode:
            return dict(changed=True, msg='API token %r (%s) would be replaced by a new one; check mode returns no '
                                          'secret.' % (body['name'], old_id))
        answer = self.post_without_duplicates(body)
        self.on_secret(answer, old_id)
        try:
            api.delete_api_token(self.client, self.env_id, old_id)
        except DynatraceError as exc:
            # The new secret must reach the caller: report, do not fail.
            self.warn('The new API token %s was created, but the old one (%s) could not be deleted: %s. Delete it, '
                      'or the next run fails on two tokens named %r.' % (answer['id'], old_id, exc, body['name']))
        return dict(changed=True, token_id=answer['id'], token=answer['token'], replaced_token_id=old_id,
                    api_token=self.created_view(body, answer),
                    msg='API token %r replaced: %s created, %s deleted; the new secret is in token.'
                        % (body['name'], answer['id'], old_id))

    def update(self, drift, view):
        scopes = sorted(set(self.params['scopes'])) if 'scopes' in drift else None
        enabled = True if 'enabled' in drift else None
        if not self.check_mode:
            with names_refused(ENVIRONMENT_SCOPE, 'scopes', scopes, ('scope',)):
                api.update_api_token(self.client, self.env_id, self.existing['id'], scopes=scopes, enabled=enabled)
        updated = dict(view, scopes=scopes or view['scopes'], enabled=True)
        return dict(changed=True, api_token=updated,
                    msg='API token %r (%s) updated in place (%s); it keeps its secret, which is not returned.'
                        % (self.params['name'], self.existing['id'], ', '.join(sorted(drift))))

    def created_view(self, body, answer):
        return dict(id=answer['id'], name=body['name'], scopes=body['scopes'], enabled=True,
                    expiration_date=answer.get('expirationDate'), expired=False)

    def post_without_duplicates(self, body, attempts=2):
        """POST the token; after a lost answer, look the name up before sending it again.

        A token of this name that was not there before is the lost POST's: its secret was lost with the
        answer and can never be read, so it is deleted before the POST is sent again. Never two tokens of
        one name from one task.
        """
        last_loss = None
        for dummy in range(attempts):
            try:
                with names_refused(ENVIRONMENT_SCOPE, 'scopes', body['scopes'], ('scope',)):
                    return api.create_api_token(self.client, self.env_id, body)
            except ResponseLostError as lost:
                last_loss = lost
            tokens = api.list_api_tokens(self.client, self.env_id, LIST_FIELDS)
            new = [t for t in tokens if t.get('name') == body['name'] and t['id'] not in self.known_ids]
            if len(new) > 1:
                raise DynatraceError('the answer to the create request was lost, and %d new API tokens named %r exist '
                                     'now (ids: %s): another run created one at the same time. Delete the extra ones.'
                                     % (len(new), body['name'], ', '.join(sorted(t['id'] for t in new))))
            if new:
                api.delete_api_token(self.client, self.env_id, new[0]['id'])
                self.warn('The answer to the create request was lost (%s). The token it created (%s) was deleted, '
                          'because its secret was lost with the answer, and the request was sent again.'
                          % (last_loss.message, new[0]['id']))
        raise DynatraceError('the create request for API token %r was sent %d times and each answer was lost; no '
                             'token of that name is left behind. Check the network path to the cluster.'
                             % (body['name'], attempts), method='POST', path=last_loss and last_loss.path, attempts=attempts)
