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
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.zone_lookup import given_tokens_by_id, read_zone_index
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    EnvironmentIndex, group_details, group_to_options, rights_of,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import (
    records_by_group, zone_permissions_option,
)


def validate_info_options(params):
    """Input errors of dynatrace_user_group_info's options."""
    name = params.get('name')
    if name is not None and (not isinstance(name, str) or not name.strip()):
        return ['name must be a non-empty group name, got %r' % (name,)]
    return []


def user_group_info(client, params, warn=None):
    """The result of dynatrace_user_group_info: groups (options shape, sorted by name) and details by name."""
    groups = api.list_groups(client)
    if params.get('name') is not None:
        groups = [group for group in groups if group['name'] == params['name']]
    zones = {}
    if params.get('management_zones', True) and groups:
        held = records_by_group(api.list_zone_permissions(client))
        zones = dict((group['id'], held.get(group['id'], {})) for group in groups)
    index = EnvironmentIndex([])
    if any(rights_of(group) for group in groups) or any(zones.values()) or params.get('zone_read_tokens'):
        environments, dummy = api_environments.list_environments(client)
        index = EnvironmentIndex(environments)
    zone_index = zone_names(client, zones, index, params.get('zone_read_tokens'), warn)
    groups = sorted(groups, key=lambda group: group['name'])
    shaped = []
    for group in groups:
        options = group_to_options(group, index)
        if params.get('management_zones', True):
            options['management_zone_permissions'] = zone_permissions_option(zones.get(group['id'], {}), index, zone_index)
        shaped.append(options)
    return dict(changed=False, groups=shaped,
                group_details=dict((group['name'], group_details(group)) for group in groups))


def zone_names(client, zones, index, zone_read_tokens, warn):
    """The zones of every existing environment in which a group holds zone permissions (listed once each)."""
    tokens, errors = given_tokens_by_id(zone_read_tokens, index)
    if errors:
        raise DynatraceError('; '.join(errors))
    environment_ids = set(env_id for rights in zones.values() for env_id, dummy in rights if env_id in index.names)
    return read_zone_index(client, environment_ids, tokens, warn)
