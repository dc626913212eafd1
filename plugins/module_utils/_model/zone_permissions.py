# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Management-zone permissions of a user group, by environment and zone name: validation, names <-> ids, plan, diff.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure: no client, no request. The API holds a group's zone permissions as
{groupId, mzPermissionsPerEnvironment: [{environmentUuid, mzPermissions: [{mzId, permissions}]}]}; the model
works on "zone rights", a map (environment id, zone id) -> set of permissions. Zone ids are the legacy
numeric ids (strings) the config API lists.

The cluster adds VIEW_SECURITY_PROBLEMS next to a zone's VIEWER by itself (Terraform provider issue #563):
never drift. Permission names: documented names pass, other well-formed names (upper case, digits and
underscores) pass too, since newer clusters add names (the shared rule of api_names); the server's 400 names what
it refuses (_api/name_refusals).
"""

import re

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import (
    DOCUMENTED_ZONE_PERMISSIONS, ZONE_PERMISSION, name_errors,
)

ZONE_PERMISSIONS = DOCUMENTED_ZONE_PERMISSIONS
VIEWER = 'VIEWER'
VIEW_SECURITY_PROBLEMS = 'VIEW_SECURITY_PROBLEMS'
ENTRY_STATES = ('present', 'absent')
OPTION = 'management_zone_permissions'


# ------------------------------------------------------------------------------------------------
# Validation, before any request

def _text(value):
    return isinstance(value, str) and bool(value.strip())


def zone_entry_errors(index, entry, option=OPTION):
    """Errors of one {environment, management_zone, permissions, state} entry."""
    where = '%s[%d]' % (option, index)
    if not isinstance(entry, dict):
        return ['%s must be a dict with environment, management_zone and permissions' % where]
    errors = []
    for key, what in (('environment', 'the name or id of an environment'), ('management_zone', 'a zone name')):
        if not _text(entry.get(key)):
            errors.append('%s.%s must be %s, got %r' % (where, key, what, entry.get(key)))
    state = entry.get('state') or 'present'
    if state not in ENTRY_STATES:
        errors.append('%s.state must be present or absent, got %r' % (where, state))
    permissions = entry.get('permissions')
    permissions = [] if permissions is None else permissions
    if not isinstance(permissions, list):
        return errors + ['%s.permissions must be a list of permission names' % where]
    errors.extend(name_errors(ZONE_PERMISSION, where + '.permissions', permissions))
    if state == 'present' and not permissions:
        errors.append('%s.permissions must name at least one permission (to take every permission on the zone '
                      'away, set %s.state to absent)' % (where, where))
    if state == 'absent' and VIEW_SECURITY_PROBLEMS in permissions and VIEWER not in permissions:
        errors.append('%s: VIEW_SECURITY_PROBLEMS cannot be taken away alone: the cluster adds it next to VIEWER by '
                      'itself; take VIEWER away too' % where)
    return errors


def zone_entries_errors(entries, option=OPTION):
    if entries is None:
        return []
    if not isinstance(entries, list):
        return ['%s must be a list of {environment, management_zone, permissions} entries' % option]
    errors = []
    for index, entry in enumerate(entries):
        errors.extend(zone_entry_errors(index, entry, option))
    return errors


def zone_environments(entries):
    """The environment references the entries name, in order, once each."""
    seen = []
    for entry in entries or ():
        if entry['environment'] not in seen:
            seen.append(entry['environment'])
    return seen


# ------------------------------------------------------------------------------------------------
# Zone names <-> ids inside one environment

class ZoneIndex:
    """The zones of the environments a run listed: {environment id: [{id, name}]}."""

    def __init__(self, zones_by_environment=None):
        self.zones = dict(zones_by_environment or {})

    def add(self, environment_id, zones):
        self.zones[environment_id] = list(zones)

    def resolve(self, environment_id, name):
        """(zone id, None) for the one zone of that name in the environment, else (None, error)."""
        ids = sorted(zone['id'] for zone in self.zones.get(environment_id, ()) if zone['name'] == name)
        if len(ids) == 1:
            return ids[0], None
        if not ids:
            return None, 'management zone %r does not exist in environment %s' % (name, environment_id)
        return None, ('management zone name %r is taken by %d zones in environment %s (ids: %s); rename one'
                      % (name, len(ids), environment_id, ', '.join(ids)))

    def reference(self, environment_id, zone_id):
        """How options and diffs name a zone: its name when that resolves back to it, else its id."""
        for zone in self.zones.get(environment_id, ()):
            if zone['id'] == zone_id and self.resolve(environment_id, zone['name'])[0] == zone_id:
                return zone['name']
        return zone_id


def resolve_zone_entries(entries, environment_index, zone_index, option=OPTION):
    """([(environment id, zone id, state, set of permissions)], errors); every error names environment and zone."""
    resolved, errors, seen = [], [], {}
    for position, entry in enumerate(entries):
        where = '%s[%d]' % (option, position)
        environment_id, error = environment_index.resolve(entry['environment'])
        if error:
            errors.append('%s (zone %r): %s' % (where, entry['management_zone'], error))
            continue
        zone_id, error = zone_index.resolve(environment_id, entry['management_zone'])
        if error:
            errors.append('%s: %s (environment %r)' % (where, error, entry['environment']))
            continue
        key = (environment_id, zone_id)
        if key in seen:
            errors.append('%s and %s[%d] both name zone %r of environment %r; list each zone once'
                          % (where, option, seen[key], entry['management_zone'], entry['environment']))
            continue
        seen[key] = position
        resolved.append((environment_id, zone_id, entry.get('state') or 'present', set(entry.get('permissions') or ())))
    return resolved, errors


# ------------------------------------------------------------------------------------------------
# API record <-> zone rights, plan, drift

def zone_rights_of(record):
    """(environment id, zone id) -> set of permissions, from one group's API record (zones without any left out)."""
    rights = {}
    for entry in (record or {}).get('mzPermissionsPerEnvironment') or ():
        for zone in entry.get('mzPermissions') or ():
            if zone.get('permissions'):
                rights[(entry.get('environmentUuid'), str(zone.get('mzId')))] = set(zone['permissions'])
    return rights


def records_by_group(records):
    """{group id: zone rights} of GET /groups/managementZones."""
    return dict((record.get('groupId'), zone_rights_of(record)) for record in records or ())


def planned_zone_rights(current, entries, mode):
    """The zone rights the group should hold: `entries` (resolved) on `current` (merge), or alone (replace)."""
    planned = dict((key, set(perms)) for key, perms in current.items()) if mode == 'merge' else {}
    for environment_id, zone_id, state, permissions in entries:
        key = (environment_id, zone_id)
        if state == 'present':
            planned[key] = planned.get(key, set()) | permissions
        elif not permissions or VIEWER in permissions:
            planned.pop(key, None)
        else:
            planned[key] = planned.get(key, set()) - permissions
    return dict((key, perms) for key, perms in planned.items() if perms)


def zone_holds(current, wanted):
    """True when a zone's permissions are what is wanted, VIEW_SECURITY_PROBLEMS added next to VIEWER aside."""
    current, wanted = set(current or ()), set(wanted or ())
    extra = current - wanted
    return wanted <= current and (not extra or (extra == {VIEW_SECURITY_PROBLEMS} and VIEWER in current))


def changed_zones(current, planned):
    """The (environment id, zone id) keys whose permissions would change, sorted."""
    return sorted(key for key in set(current) | set(planned) if not zone_holds(current.get(key), planned.get(key)))


def zone_put_body(group_id, current, planned):
    """The PUT body: every zone the group should hold, and [] for every zone it should lose.

    Right under both readings of the PUT: a server that changes only the zones named gets every zone it must
    change, one that replaces the group's zones gets every zone the group keeps.
    """
    keys = set(planned) | set(current)
    by_environment = {}
    for environment_id, zone_id in sorted(keys):
        permissions = sorted_zone_permissions(planned.get((environment_id, zone_id), ()))
        by_environment.setdefault(environment_id, []).append({'mzId': zone_id, 'permissions': permissions})
    return {'groupId': group_id, 'mzPermissionsPerEnvironment': [
        {'environmentUuid': environment_id, 'mzPermissions': zones} for environment_id, zones in sorted(by_environment.items())]}


def fresh_zone_named(message, fresh_zone_ids):
    """The zone id of `fresh_zone_ids` an error message names as unknown ("Management zone with ID x doesn't exist")."""
    text = message or ''
    if 'zone' not in text.lower():
        return None
    for zone_id in sorted(fresh_zone_ids, key=len, reverse=True):
        if re.search(r'(^|[^0-9-])%s($|[^0-9])' % re.escape(zone_id), text):
            return zone_id
    return None


# ------------------------------------------------------------------------------------------------
# Option shape and diff

def sorted_zone_permissions(permissions):
    """Permissions in the documented order, then VIEW_SECURITY_PROBLEMS, then other names sorted."""
    known = [name for name in ZONE_PERMISSIONS + (VIEW_SECURITY_PROBLEMS,) if name in permissions]
    return known + sorted(name for name in permissions if name not in known)


def zone_permissions_option(rights, environment_index, zone_index):
    """The management_zone_permissions option of `rights`: [{environment, management_zone, permissions}], sorted."""
    entries = [dict(environment=environment_index.reference(env_id),
                    management_zone=zone_index.reference(env_id, zone_id),
                    permissions=sorted_zone_permissions(perms))
               for (env_id, zone_id), perms in rights.items() if perms]
    return sorted(entries, key=lambda entry: (entry['environment'], entry['management_zone']))


def zone_diff_side(rights, keys, environment_index, zone_index):
    """{environment name: {zone name: [permissions]}} of the changed zones, for check mode and --diff."""
    side = {}
    for env_id, zone_id in keys:
        zones = side.setdefault(environment_index.reference(env_id), {})
        zones[zone_index.reference(env_id, zone_id)] = sorted_zone_permissions(rights.get((env_id, zone_id), ()))
    return side


# ------------------------------------------------------------------------------------------------
# The role's items: {group: [permissions]} or {group: {permissions: [...], management_zones: {zone: [...]}}}

ITEM_GROUP_KEYS = ('permissions', 'management_zones')


def split_item_grants(grants):
    """({group: [environment permissions]}, {group: {zone name: [permissions]}}) of an item's permissions map.

    A group's value is a list (environment permissions, as before) or a dict with `permissions` (that list) and/or
    `management_zones` (zone name in this environment -> permissions).
    """
    environment, zones = {}, {}
    for group, value in (grants or {}).items():
        if isinstance(value, dict):
            if value.get('permissions'):
                environment[group] = value['permissions']
            if value.get('management_zones'):
                zones[group] = value['management_zones']
        else:
            environment[group] = value
    return environment, zones


def item_zone_errors(grants):
    """Errors of the dict-shaped group values of an item's permissions map (the list values are checked elsewhere)."""
    errors = []
    for group, value in sorted((grants or {}).items(), key=lambda pair: str(pair[0])):
        if not isinstance(value, dict):
            continue
        where = 'permissions[%s]' % group
        unknown = sorted(set(value) - set(ITEM_GROUP_KEYS))
        if unknown:
            errors.append('%s: unknown key %s; a group takes permissions (a list) and management_zones (a map from '
                          'zone name to a list of permissions)' % (where, ', '.join(unknown)))
        zones = value.get('management_zones')
        if zones is not None and not isinstance(zones, dict):
            errors.append('%s.management_zones must be a map from zone name to a list of permissions' % where)
            continue
        if not value.get('permissions') and not zones:
            errors.append('%s must name permissions or management_zones' % where)
        for zone, permissions in sorted((zones or {}).items(), key=lambda pair: str(pair[0])):
            entry = dict(environment='-', management_zone=zone, permissions=permissions)
            errors.extend(error.replace('%s[0]' % OPTION, '%s.management_zones[%s]' % (where, zone))
                          for error in zone_entry_errors(0, entry) if 'environment' not in error.split(':')[0])
    return errors


def declared_zone_permissions(held):
    """What to declare for a zone that holds `held`: VIEW_SECURITY_PROBLEMS next to VIEWER (the cluster's) left out."""
    held = set(held or ())
    return held - {VIEW_SECURITY_PROBLEMS} if VIEWER in held else held


def exported_zones(groups, environment_index):
    """environment id -> {group name: {zone name: sorted declared permissions}} of dynatrace_user_group_info's groups.

    For the export: an entry naming no exported environment, or a zone only known by its id, is left out.
    """
    by_environment = {}
    for group in groups or ():
        for entry in group.get('management_zone_permissions') or ():
            environment_id = environment_index.resolve(entry.get('environment'))[0]
            permissions = declared_zone_permissions(entry.get('permissions'))
            if environment_id is not None and permissions:
                zones = by_environment.setdefault(environment_id, {}).setdefault(group['name'], {})
                zones[entry['management_zone']] = sorted_zone_permissions(permissions)
    return by_environment
