# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs clusterops.dynatrace.dynatrace_environments; a result with a new token-management or API token is shown censored."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._censored_action import CensoredModuleAction


class ActionModule(CensoredModuleAction):
    SECRET_KEYS = frozenset(('token_management_token', 'token', 'oneagent_paas_token'))
