# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one merge/replace decision of a group's environment permissions.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure: no client, no request. dynatrace_user_group (one group, entries by environment) and the bulk
path of dynatrace_environments and the environments role (every group named by a list of
environments) both decide here what a group holds after the run, what it loses, and what it
holds that nothing declares:

- merge: the declared permissions are added and everything else is kept; what the group holds on
  a managed environment beyond the declaration is reported as undeclared (drift), never changed.
- replace: on the managed environments the group holds exactly what is declared (nothing when an
  environment declares nothing for it): the rest is revoked. Environments outside `managed` keep
  their permissions, unless `managed` is None (the whole group is managed).

VIEWER is implied by any other permission, the cluster may add VIEW_SECURITY_PROBLEMS next to VIEWER
and adds MANAGE_SETTINGS next to CONFIGURE_REQUEST_CAPTURE_DATA (user_group.implied_by): none of them
is ever drift, or a revocation while what implies it stays.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    CONFIRM_CLUSTER_ADMIN, FLAG_OPTIONS, VIEWER, changed_environments, flag_changes, flag_errors, implied_by,
    wanted_flags,
)

MERGE, REPLACE = 'merge', 'replace'
# Where replace revokes what is not declared: the environments the run manages, or the whole cluster.
REPLACE_SCOPES = ('listed', 'cluster')
NAME_LISTS = ('ldap_group_names', 'sso_group_names')
FLAGS = tuple(option for option, dummy in FLAG_OPTIONS)
SETTING_OPTIONS = ('name', 'permissions_mode', 'replace_scope') + NAME_LISTS + FLAGS + (CONFIRM_CLUSTER_ADMIN,)


class Decision:
    """What one group holds after the run, and why.

    rights: environment id -> permissions to hold (the whole group); revoked: environment id ->
    permissions taken away; undeclared: environment id -> permissions held and kept that nothing
    declares (merge); changed: the environment ids whose permissions change.
    """

    def __init__(self, rights, revoked, undeclared, changed):
        self.rights, self.revoked, self.undeclared, self.changed = rights, revoked, undeclared, changed


def _implied(permissions):
    """What the cluster adds by itself next to `permissions` (the model's one rule, implied_by)."""
    return implied_by(permissions) if permissions else set()


def _granted(permissions):
    return set(permissions) | {VIEWER} if permissions else set()


def _start(current, mode, managed):
    """The rights a decision starts from: all of them in merge mode; in replace mode those outside `managed`."""
    if mode == MERGE:
        return dict((env_id, set(perms)) for env_id, perms in current.items())
    if managed is None:
        return {}
    return dict((env_id, set(perms)) for env_id, perms in current.items() if env_id not in managed)


def _apply(planned, entries):
    """Apply (environment id, state, permissions) entries; VIEWER comes with every grant and takes everything with it."""
    for environment_id, state, permissions in entries:
        if state == 'present':
            planned[environment_id] = planned.get(environment_id, set()) | _granted(permissions)
        elif not permissions or VIEWER in permissions:
            planned.pop(environment_id, None)
        else:
            planned[environment_id] = planned.get(environment_id, set()) - set(permissions)
    return dict((env_id, perms) for env_id, perms in planned.items() if perms)


def _kept_additions(current, planned):
    """Keep what the cluster added where what made it add them stays (VIEW_SECURITY_PROBLEMS next to VIEWER,
    MANAGE_SETTINGS next to CONFIGURE_REQUEST_CAPTURE_DATA): sending them back is no change, and no revocation."""
    for env_id, perms in planned.items():
        if VIEWER in perms:
            perms.update(set(current.get(env_id, ())) & implied_by(perms))
    return planned


def decide(current, entries, mode=MERGE, managed=None):
    """The decision for one group.

    current: environment id -> set of permissions, as read (rights_of(group)).
    entries: [(environment id, 'present' or 'absent', set of permissions)], each environment once.
    mode: merge or replace. managed: the environment ids this run manages (a set), or None for every environment.
    """
    current = dict((env_id, set(perms)) for env_id, perms in (current or {}).items() if perms)
    planned = _kept_additions(current, _apply(_start(current, mode, managed), entries))
    revoked = {}
    for env_id, held in current.items():
        lost = held - planned.get(env_id, set())
        if lost:
            revoked[env_id] = lost
    declared = dict((env_id, set(perms)) for env_id, state, perms in entries if state == 'present')
    absent = set(env_id for env_id, state, dummy in entries if state != 'present')
    undeclared = {}
    if mode == MERGE:
        in_scope = set(current) if managed is None else set(managed) & set(current)
        for env_id in sorted(in_scope - absent):
            extra = planned.get(env_id, set()) - _granted(declared.get(env_id)) - _implied(declared.get(env_id))
            if extra:
                undeclared[env_id] = extra
    return Decision(planned, revoked, undeclared, changed_environments(current, planned))


def decide_for_environments(current, declared, mode=MERGE, managed=None):
    """decide() for a bulk caller: `declared` maps environment id -> set of permissions granted there."""
    entries = [(env_id, 'present', set(perms)) for env_id, perms in sorted(declared.items())]
    return decide(current, entries, mode, managed)


def settings_errors(settings, where='groups'):
    """Errors of the per-group settings of a bulk run: [{name, permissions_mode, replace_scope, ldap/sso_group_names}]."""
    if settings is None:
        return []
    if not isinstance(settings, list):
        return ['%s must be a list of {name, permissions_mode, replace_scope}' % where]
    errors, seen = [], set()
    for position, setting in enumerate(settings):
        here = '%s[%d]' % (where, position)
        if not isinstance(setting, dict):
            errors.append('%s must be a dict with name, permissions_mode and replace_scope' % here)
            continue
        name = setting.get('name')
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            errors.append('%s.name must be a group name (non-empty, no blanks around it), got %r' % (here, name))
        elif name in seen:
            errors.append('%s: group %r is listed twice; list each group once' % (here, name))
        seen.add(name)
        if (setting.get('permissions_mode') or MERGE) not in (MERGE, REPLACE):
            errors.append('%s.permissions_mode must be merge or replace, got %r' % (here, setting.get('permissions_mode')))
        if (setting.get('replace_scope') or 'listed') not in REPLACE_SCOPES:
            errors.append('%s.replace_scope must be listed or cluster, got %r' % (here, setting.get('replace_scope')))
        for option in NAME_LISTS:
            errors.extend(_name_list_errors('%s.%s' % (here, option), setting.get(option)))
        for option in FLAGS + (CONFIRM_CLUSTER_ADMIN,):
            if setting.get(option) is not None and not isinstance(setting.get(option), bool):
                errors.append('%s.%s must be true or false, got %r' % (here, option, setting.get(option)))
        unknown = sorted(set(setting) - set(SETTING_OPTIONS))
        if unknown:
            errors.append('%s: unknown option(s) %s; the options are %s' % (here, ', '.join(unknown), ', '.join(SETTING_OPTIONS)))
    return errors


def _name_list_errors(where, values):
    if values is None:
        return []
    if not isinstance(values, list):
        return ['%s must be a list of strings' % where]
    return ['%s[%d] must be a non-empty string, got %r' % (where, index, value)
            for index, value in enumerate(values) if not isinstance(value, str) or not value.strip()]


class GroupSetting:
    """One group's setting: mode, whether replace reaches every environment, and its LDAP/SSO names (None: kept)."""

    def __init__(self, setting=None):
        setting = setting or {}
        self.mode = setting.get('permissions_mode') or MERGE
        self.everywhere = (setting.get('replace_scope') or 'listed') == 'cluster'
        self.declared = bool(setting)  # a group the settings name exists after the run, permissions or not
        self.names = dict((option, setting.get(option)) for option in NAME_LISTS)
        self.flags = wanted_flags(setting)  # the flags given; a flag left out is kept
        self.confirmed = bool(setting.get(CONFIRM_CLUSTER_ADMIN))


def group_settings(settings):
    """group name -> GroupSetting, from the validated settings list."""
    return dict((setting['name'], GroupSetting(setting)) for setting in settings or ())


def needs_confirmation_check(settings):
    """True when a setting gives cluster_admin without confirm_cluster_admin: the groups must be read to know
    whether it changes (before any write of the run)."""
    return any(setting.get('cluster_admin') is not None and not setting.get(CONFIRM_CLUSTER_ADMIN)
               for setting in settings or ())


def settings_flag_errors(groups, settings, find):
    """The refusals of cluster_admin changes without confirm_cluster_admin, naming each group and the option.

    groups: the groups listing; find(groups, name): the group of that name or None (a group to create).
    """
    errors = []
    for setting in settings or ():
        wanted = wanted_flags(setting)
        if wanted:
            errors.extend('groups %s' % error for error in flag_errors(
                setting['name'], flag_changes(find(groups, setting['name']), wanted), setting.get(CONFIRM_CLUSTER_ADMIN)))
    return errors
