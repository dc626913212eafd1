# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environments' keeper of secrets: the token folder seen from one run (no request of its own).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Decides which declared API tokens the folder records for the current cluster and environment (a file whose
manifest vouches for it, with the declared scopes, not expired, not from an earlier incarnation of the
environment), writes each secret the moment the server answered it, and tells what the OneAgent hand-off may
pass on. docs/reliability.md, "The secret lifecycle", is the design.
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk import token_files as _files
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import iso_to_ms

ROTATE_HINT = ('set rotate: true on this token in the list (api_tokens) to replace it by a new token whose secret is '
               'written to the token folder; the secret of a token is returned only by the request that creates it')


def date_ms(text):
    """Epoch milliseconds of an API date, None when there is none or it cannot be read."""
    if not text:
        return None
    try:
        return iso_to_ms(str(text))
    except ValueError:
        return None


class TokenKeeper:
    """The token folder of one run (`folder` None: no folder, the secrets are only in the result)."""

    def __init__(self, folder, cluster_url, now_ms=None, warn=None):
        self.folder, self.cluster = folder, cluster_url
        self.now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        self.warn = warn or (lambda message: None)

    def prepare(self):
        """Before the first request that can answer a secret: the folder is writable and this cluster's."""
        if self.folder:
            _files.prepare(self.folder, self.cluster)

    def state(self, environment_id, token_name=None, environment_created=None):
        """The FileState of a secret of the environment (token_name None: its token-management token)."""
        if not self.folder:
            return _files.FileState(problem='no token folder')
        return _files.inspect(self.folder, _files.file_name(environment_id, token_name), self.cluster, environment_id,
                              date_ms(environment_created), self.now_ms)

    def records(self, environment_id, token, environment_created=None):
        """Whether the folder records the declared `token` (usable file, manifest with the declared scopes)."""
        state = self.state(environment_id, token['name'], environment_created)
        return state.usable and sorted(set(state.manifest.get('scopes') or [])) == sorted(set(token['scopes']))

    def keep(self, environment_id, secret, token_name=None, token_id=None, scopes=None, expires=None,
             replaces_current=False):
        """Write a secret the server just answered; the name of its file, or a message why it is not in one."""
        if not self.folder:
            return None
        name = _files.file_name(environment_id, token_name)
        manifest = _files.manifest_of(self.cluster, environment_id, token_name, token_id, scopes, expires)
        manifest['expires_ms'] = date_ms(expires)
        try:
            moved = _files.write_secret(self.folder, name, secret, manifest, replace_current=replaces_current)
        except (IOError, OSError) as exc:
            raise TokenFileError('the secret of %s could not be written to %s in token_dir (%s): it is only in this '
                                 'task\'s result' % (token_name or 'the token-management token', name, exc))
        if moved:
            self.warn('%s in token_dir held a secret that is not the current token\'s (an earlier environment of the '
                      'same id, or a file without manifest); it was moved aside to %s, and the new secret written.'
                      % (name, moved.rsplit('/', 1)[-1]))
        return name

    def adopt(self, environment_id, token_name, live_token):
        """Write the manifest of a file that has none, once the cluster said its secret is `live_token`'s."""
        manifest = _files.manifest_of(self.cluster, environment_id, token_name, live_token.get('id'),
                                      live_token.get('scopes'), live_token.get('expirationDate'))
        manifest['expires_ms'] = date_ms(live_token.get('expirationDate'))
        return _files.adopt(self.folder, _files.file_name(environment_id, token_name), manifest)

    def handoff_secret(self, environment_id, token_name, environment_created=None, live_token=None):
        """(secret, problem) of a file for the OneAgent hand-off: checked against its manifest, its expiry and, when
        the run listed the environment's tokens, the live token's id."""
        state = self.state(environment_id, token_name, environment_created)
        if not state.usable:
            return None, state.problem
        if live_token is not None and state.token_id != live_token.get('id'):
            return None, ('the file holds the secret of token %s, the environment has %s now'
                          % (state.token_id, live_token.get('id')))
        return state.secret, None


class TokenFileError(Exception):
    """A secret that was answered could not be written; the message names the file, never the secret."""
