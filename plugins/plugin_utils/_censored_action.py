# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin in front of every module of the collection that can return a secret (internal use only).

Ansible can censor only a whole task result, and only on the controller: a module on the target cannot hide
one key of its result from the callbacks. So an action plugin runs the module as usual (task arguments with
module_defaults applied, check mode, diff) and, when the result holds a secret, marks it `_ansible_no_log`.
Every callback then shows it as censored, at every verbosity, while the variable the task registers keeps the
secret for the tasks that store it. A result without a secret (check mode, an existing environment, a
failure) stays visible, with the secret part of any token shape in its strings masked.

A module's action plugin is a subclass that names its secret result keys in SECRET_KEYS.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.plugins.action import ActionBase

from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._secrets import configured_pieces, holds_secret, mask_values

# The options (and the environment variable) that configure a token: whatever a result quotes of them is masked,
# also a piece of a malformed one that no token shape matches.
TOKEN_OPTIONS = ('api_token', 'token_management_token', 'environment_api_token')
TOKEN_VARIABLES = ('DYNATRACE_API_TOKEN',)


class CensoredModuleAction(ActionBase):
    """Run the module of the same name; censor the displayed result when it holds a secret."""

    SECRET_KEYS = frozenset()
    TRANSFERS_FILES = False
    _supports_check_mode = True
    # An async task's final result comes from async_status, not through this plugin, and would be shown
    # uncensored: refuse async instead.
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(CensoredModuleAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        result.update(self._execute_module(module_name=self._task.resolved_action or self._task.action,
                                           module_args=self._task.args, task_vars=task_vars))
        self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
        configured = [self._task.args.get(name) for name in TOKEN_OPTIONS] + [os.environ.get(name) for name in TOKEN_VARIABLES]
        result = mask_values(result, keep=self.SECRET_KEYS, pieces=configured_pieces(configured))
        if holds_secret(result, self.SECRET_KEYS):
            result['_ansible_no_log'] = True
        return result
