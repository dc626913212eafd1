# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filter behind playbooks/export.yml: a cluster's environments as the environments role's list.

Documentation: environments_export.yml next to this file (ansible-doc -t filter clusterops.dynatrace.environments_export).
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_export import (
    ExportError, export_environments, export_groups,
)


def _groups(groups):
    """The groups of dynatrace_user_group_info (or its whole registered result), checked; None stays None."""
    if isinstance(groups, dict) and 'groups' in groups:
        groups = groups['groups']
    if groups is None:
        return None
    if isinstance(groups, (dict, str)) or not is_sequence(groups):
        raise AnsibleFilterError('environments_export: groups takes the groups list of dynatrace_user_group_info, got %s'
                                 % type(groups).__name__)
    for group in groups:
        entries = group.get('permissions') if isinstance(group, dict) else None
        if not isinstance(group, dict) or not group.get('name') or not isinstance(entries or [], list) \
                or not all(isinstance(entry, dict) and entry.get('environment') for entry in entries or []):
            raise AnsibleFilterError('environments_export: groups takes groups with name and permissions '
                                     '[{environment, permissions}], as dynatrace_user_group_info returns them, got %r'
                                     % (group,))
    return list(groups)


def environments_export(environments, ids=True, groups=None):
    """The `environments_list` items of the environments dynatrace_environment_info returned."""
    if isinstance(environments, dict) and 'environments' in environments:
        environments = environments['environments']  # the whole registered result was passed
    if isinstance(environments, (dict, str)) or not is_sequence(environments):
        raise AnsibleFilterError('environments_export takes the environments list of dynatrace_environment_info, got %s'
                                 % type(environments).__name__)
    for environment in environments:
        if not isinstance(environment, dict) or not environment.get('name') or not environment.get('environment_id'):
            raise AnsibleFilterError('environments_export takes environments with name and environment_id, as '
                                     'dynatrace_environment_info returns them, got %r' % (environment,))
    try:
        return export_environments(list(environments), include_ids=bool(ids), groups=_groups(groups))
    except ExportError as exc:
        raise AnsibleFilterError(str(exc))


def environments_groups_export(groups):
    """The `environments_groups` entries (name, LDAP and SSO group names, flags) of every group dynatrace_user_group_info returned."""
    return export_groups(_groups(groups) or [])


class FilterModule(object):
    """The export filters of clusterops.dynatrace."""

    def filters(self):
        return {'environments_export': environments_export, 'environments_groups_export': environments_groups_export}
