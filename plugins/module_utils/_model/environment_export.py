# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A cluster's environments as `environments_list` items of the environments role: the pure model of the export.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Input: the `environments` of dynatrace_environment_info and, optionally, the `groups` of
dynatrace_user_group_info (permissions by environment name, or id where a name is shared) (the options shape: snake_case, `enabled`,
`unlimited`, no usage or read-only field). Output: the items the role reads, in a stable order and
with stable keys, so that exporting an unchanged cluster twice gives the same file, byte for byte.
No client, no request.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    SECTIONS, UNLIMITED, section_limits,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import exported_zones
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    EnvironmentIndex, declared_permissions,
)

# Keys of an exported item, in the order they are written.
ITEM_KEYS = ('name', 'environment_id', 'enabled', 'trial', 'tags', 'quotas', 'storage', 'permissions',
             'allow_duplicate_name')


class ExportError(ValueError):
    """The environments cannot be written as a list the role accepts; the message says why and what to do."""


def _limits(section, values):
    """One section with only the settable limits, in the order of the LIMITS table; unlimited as 'unlimited'."""
    exported = {}
    for option, limit in section_limits(section).items():
        settings = (values or {}).get(option)
        if isinstance(settings, dict):
            exported[option] = dict((field, UNLIMITED if settings.get(field) is None else settings[field])
                                    for field in limit.fields)
    return exported


def export_item(environment, include_ids=True):
    """The role's item of one environment (options shape in, options shape out, keys in ITEM_KEYS order)."""
    item = {'name': environment['name']}
    if include_ids:
        item['environment_id'] = environment['environment_id']
    item['enabled'] = bool(environment.get('enabled', True))
    item['trial'] = bool(environment.get('trial'))
    item['tags'] = sorted(environment.get('tags') or [])  # a set on the server: sorted, the file is stable
    for section in SECTIONS:
        if environment.get(section) is not None:
            item[section] = _limits(section, environment[section])
    return item


def group_permissions(groups, environments):
    """environment id -> {group name: sorted permissions} of `groups` (the option shape of dynatrace_user_group).

    Entries name an environment by name, or by id where the name is shared; an entry that names no
    exported environment is left out. The permissions the cluster adds by itself are left out too
    (declared_permissions), so that applying the file and exporting again gives the same file.
    """
    index = EnvironmentIndex([dict(id=env['environment_id'], name=env['name']) for env in environments])
    by_environment = {}
    for group in sorted(groups or (), key=lambda group: group['name']):
        for entry in group.get('permissions') or ():
            environment_id = index.resolve(entry['environment'])[0]
            permissions = declared_permissions(entry.get('permissions'))
            if environment_id is not None and permissions:
                by_environment.setdefault(environment_id, {})[group['name']] = sorted(permissions)
    for environment_id, zones_by_group in exported_zones(groups, index).items():
        declared = by_environment.setdefault(environment_id, {})
        for name, zones in zones_by_group.items():
            # A group with zones on the environment: {permissions, management_zones}, as the role's items take it.
            declared[name] = dict(({'permissions': declared[name]} if name in declared else {}), management_zones=zones)
        by_environment[environment_id] = dict(sorted(declared.items()))
    return by_environment


def _shared_names(environments):
    seen, shared = {}, {}
    for environment in environments:
        seen.setdefault(environment.get('name'), []).append(environment.get('environment_id'))
    for name, ids in seen.items():
        if len(ids) > 1:
            shared[name] = ids
    return shared


def export_environments(environments, include_ids=True, groups=None):
    """The `environments_list` of these environments: sorted by name (then id), one item each.

    With `groups`, an item whose environment any group has permissions on gets `permissions`,
    group name -> sorted permissions, groups sorted by name; the others get no such key.

    Without ids the role matches items by name, so environments that share a name cannot be told apart:
    that is refused, naming them, rather than written as a list the role would reject or misapply.
    """
    if not include_ids:
        shared = _shared_names(environments)
        if shared:
            raise ExportError('these names are shared by several environments, which only their ids tell apart: %s. '
                              'Export with ids, or rename them first.'
                              % '; '.join('%s (%s)' % (name, ', '.join(sorted(ids))) for name, ids in sorted(shared.items())))
    ordered = sorted(environments, key=lambda environment: (environment['name'], environment.get('environment_id') or ''))
    items = [export_item(environment, include_ids) for environment in ordered]
    permissions = group_permissions(groups, ordered)
    for item, environment in zip(items, ordered):
        if environment['environment_id'] in permissions:
            item['permissions'] = permissions[environment['environment_id']]
    shared = _shared_names(environments) if include_ids else {}
    for item in items:
        if item['name'] in shared:
            # Applied elsewhere, namesakes are created under their ids: only this explicit option allows that.
            item['allow_duplicate_name'] = True
    return items


def export_groups(groups):
    """The role's `environments_groups` of `groups` (the option shape of dynatrace_user_group): every group, sorted.

    Each entry holds the name, the LDAP and SSO group names and the three account flags, so a group without any permission and a group's
    directory mapping survive the trip to another cluster (merge mode: applying it takes nothing away).
    """
    return [_export_group(group) for group in sorted(groups or (), key=lambda group: group['name'])]


def _export_group(group):
    """One entry: the flags always (a byte-stable file), and confirm_cluster_admin next to a cluster_admin that is
    true: the file states that the group administers the cluster, so applying it may make it so."""
    entry = dict(name=group['name'], ldap_group_names=sorted(group.get('ldap_group_names') or ()),
                 sso_group_names=sorted(group.get('sso_group_names') or ()),
                 cluster_admin=bool(group.get('cluster_admin')), access_account=bool(group.get('access_account')),
                 manage_account=bool(group.get('manage_account')))
    if entry['cluster_admin']:
        entry['confirm_cluster_admin'] = True
    return entry


# What makes Ansible template a string (a variable, a statement, a comment).
TEMPLATE_MARKERS = ('{{', '{%', '{#')


def is_template_like(text):
    """True when Ansible would evaluate `text` as a template: such a value is written tagged !unsafe."""
    return any(marker in text for marker in TEMPLATE_MARKERS)
