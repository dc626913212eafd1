# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of dynatrace_api_token_audit: the report as a table in the task output at -v.

The module returns only metadata; its strings still go through the collection's masking of token shapes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._censored_action import CensoredModuleAction

display = Display()


class ActionModule(CensoredModuleAction):
    SECRET_KEYS = frozenset()

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        if result.get('table') and not result.get('failed'):
            counts = ', '.join('%s %d' % (name, count) for name, count in (result.get('counts') or {}).items())
            display.v('API token audit of %s environments (%s tokens, %s days): %s\n%s'
                      % (result.get('environments'), result.get('tokens'), result.get('days'), counts,
                         '\n'.join(result['table'])))
        return result
