# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_user_group_info's logic: the groups in the option shape of dynatrace_user_group.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The request budget is stated once, in the module documentation ("Requests per run" in
plugins/modules/dynatrace_user_group_info.py).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    EnvironmentIndex, group_details, group_to_options, rights_of,
)


def validate_info_options(params):
    """Input errors of dynatrace_user_group_info's options."""
    name = params.get('name')
    if name is not None and (not isinstance(name, str) or not name.strip()):
        return ['name must be a non-empty group name, got %r' % (name,)]
    return []


def user_group_info(client, params):
    """The result of dynatrace_user_group_info: groups (options shape, sorted by name) and details by name."""
    groups = api.list_groups(client)
    if params.get('name') is not None:
        groups = [group for group in groups if group['name'] == params['name']]
    index = EnvironmentIndex([])
    if any(rights_of(group) for group in groups):
        environments, dummy = api_environments.list_environments(client)
        index = EnvironmentIndex(environments)
    groups = sorted(groups, key=lambda group: group['name'])
    return dict(changed=False, groups=[group_to_options(group, index) for group in groups],
                group_details=dict((group['name'], group_details(group)) for group in groups))
