# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environments: the API tokens of one item that the token folder does not record, in one session.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

One listing of the environment's tokens, then each token on its own: one refused token never drops the others,
nor the secrets already created (they are in their files, and in the result). Scope drift is applied with
update_existing and reported without it; a token that exists while no file holds its secret is reported with the
way out (rotate); a file of release 1.0.0 (no manifest) is vouched for by the cluster's lookup of its secret.
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as _api_tokens
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.token_keeper import ROTATE_HINT, TokenFileError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.api_token.ensure import Task as TokenTask
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_plan import token_file
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import LIST_FIELDS
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import TokenSession
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError

# Whether a just-created environment's Environment API answers at once is not published: for an environment this
# run created, a 404 (tenant not resolved yet) or 503 on its first request is waited out briefly (about 15 s).
NEW_ENVIRONMENT_WAITS = (1, 2, 4, 8)


def list_tokens(client, environment_id, created, sleep=time.sleep):
    """The environment's API tokens; for an environment created in this run, its first answers 404/503 waited out."""
    for wait in NEW_ENVIRONMENT_WAITS if created else ():
        try:
            return _api_tokens.list_api_tokens(client, environment_id, LIST_FIELDS)
        except DynatraceError as exc:
            if exc.status not in (404, 503):
                raise
        sleep(wait)
    return _api_tokens.list_api_tokens(client, environment_id, LIST_FIELDS)


class TokenWork:
    """The pending API tokens of one environment of a dynatrace_environments run (`run`: its Run)."""

    def __init__(self, run, environment_id, born, update_existing, created=False):
        self.run, self.keeper, self.warn = run, run.keeper, run.warn
        self.environment_id, self.born, self.update_existing = environment_id, born, update_existing
        self.created = created  # the environment was created in this run (its API may need a moment)

    def ensure(self, token_management_token, pending):
        """A result per pending token; a failure of the session (mint, listing) fails the tokens not done yet."""
        session = TokenSession(self.run.client, self.environment_id, token_management_token, 'dynatrace_environments',
                               self.warn)
        results = []
        try:
            with session:
                names = set(token['name'] for token in pending)
                listing = list_tokens(session.client, self.environment_id, self.created)
                listing = _api_tokens.completed(session.client, self.environment_id, listing,
                                                lambda token: token.get('name') in names)
                if session.minted:
                    session.note_listing(listing)
                    session.delete_expired_leftovers(listing)
                for token in pending:
                    results.append(self.one(session, listing, token))
        except DynatraceError as exc:
            done = set(result['name'] for result in results)
            results += [dict(name=t['name'], changed=False, failed=True, state='failed',
                             file=token_file(self.environment_id, t['name']), msg=str(exc))
                        for t in pending if t['name'] not in done]
        return results

    def one(self, session, listing, token):
        """Ensure one declared token; its secret goes to its file the moment the server answers it."""
        name = token['name']
        live = [t for t in listing if t.get('name') == name and not session.is_minted(t)]
        state = self.keeper.state(self.environment_id, name, self.born)
        current = bool(live) and state.usable and state.token_id == live[0].get('id')
        params = dict((key, value) for key, value in token.items() if key != 'rotate')
        # In a list, rotate replaces a token only while no file holds its secret: the next run finds it recorded.
        params.update(state='present', rotate=bool(token.get('rotate')) and bool(live) and not current,
                      update_existing=self.update_existing)
        kept = {}

        def on_secret(answer, replaced_id):
            try:
                kept['file'] = self.keeper.keep(self.environment_id, answer['token'], name, answer.get('id'),
                                                token['scopes'], answer.get('expirationDate'),
                                                replaces_current=bool(replaced_id) and current)
            except TokenFileError as exc:
                kept['problem'] = str(exc)
                self.warn(str(exc))

        entry = dict(name=name, changed=False, file=token_file(self.environment_id, name), scopes=sorted(token['scopes']))
        try:
            outcome = TokenTask(session, params, False, self.warn, self.run.now_ms, listing, on_secret).present()
        except DynatraceError as exc:
            return dict(entry, failed=True, state='failed', msg=str(exc))
        entry.update(changed=outcome.get('changed', False), id=outcome.get('token_id'), msg=outcome.get('msg'))
        if outcome.get('token'):
            entry.update(token=outcome['token'], state='rotated' if outcome.get('replaced_token_id') else 'created')
            if self.keeper.folder:
                entry['file_written'] = bool(kept.get('file'))
                if kept.get('problem'):
                    entry['file_problem'] = kept['problem']
            return entry
        entry.update(state='exists', live=live[0] if live else None)
        self._drift(entry, outcome, live, current)
        if self.keeper.folder and live and not current:
            self._secret_without_file(session, entry, state, live[0])
        return entry

    def _drift(self, entry, outcome, live, current):
        drift = outcome.get('drift') or {}
        if drift and not outcome.get('changed'):
            entry['drift_kept'] = dict(('api_tokens.%s.%s' % (entry['name'], key), value) for key, value in drift.items())
        elif drift and current and live:
            # Updated in place: the manifest follows the scopes, so the next run finds the token recorded again.
            self.keeper.adopt(self.environment_id, entry['name'], dict(live[0], scopes=entry['scopes']))

    def _secret_without_file(self, session, entry, state, live):
        """A token that exists while no file vouches for its secret: a 1.0.0 file the cluster confirms gets its
        manifest; anything else is reported with the way out, never taken for the token."""
        if state.secret is not None and not state.manifest:
            try:
                looked_up = _api_tokens.lookup_api_token(session.client, self.environment_id, state.secret)
            except DynatraceError:
                looked_up = None
            if looked_up and looked_up.get('id') == live.get('id'):
                self.keeper.adopt(self.environment_id, entry['name'], live)
                entry['file_adopted'] = True
                return
        reason = state.problem or ('the file holds the secret of token %s, the environment has %s'
                                   % (state.token_id, live.get('id')))
        entry.update(state='secret_unknown', msg='API token %r (%s) exists, but no file of token_dir holds its secret '
                                                 '(%s): %s.' % (entry['name'], live.get('id'), reason, ROTATE_HINT))
        self.warn('Environment %s: %s' % (self.environment_id, entry['msg']))
