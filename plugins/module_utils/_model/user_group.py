# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The user group model: permission names, option <-> API mapping, the diff (merge/replace: _model/group_grants).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure: no client, no request. The API holds a group's permissions as `accessRight`, a map from
permission to environment ids; the model works on the transposed map, environment id -> set of
permissions ("rights"), which is how tasks declare them and how the diff shows them.

The cluster adds VIEWER for every environment that has any other permission, may add
VIEW_SECURITY_PROBLEMS next to VIEWER, and adds MANAGE_SETTINGS next to CONFIGURE_REQUEST_CAPTURE_DATA.
None of them is ever drift: a group "holds" what a task wants when it has every wanted permission,
whatever the server added on top.

Permission names follow the one rule of api_names: only malformed names are refused here, the
cluster decides on the rest (it adds permissions with its releases).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import (
    DOCUMENTED_ENVIRONMENT_PERMISSIONS, ENVIRONMENT_PERMISSION, name_errors, sorted_names,
)

PERMISSIONS = DOCUMENTED_ENVIRONMENT_PERMISSIONS
VIEWER = 'VIEWER'
VIEW_SECURITY_PROBLEMS = 'VIEW_SECURITY_PROBLEMS'
MANAGE_SETTINGS = 'MANAGE_SETTINGS'
CONFIGURE_REQUEST_CAPTURE_DATA = 'CONFIGURE_REQUEST_CAPTURE_DATA'
MODES = ('merge', 'replace')
ENTRY_STATES = ('present', 'absent')
# The account flags of a group: the write field, then the fields a GET may answer it in. Current clusters answer
# the write field itself (isAccessAccount, isManageAccount); older ones (the 2021 spec) answer the has* fields and
# treat the is* fields as write-only.
ACCOUNT_FLAGS = (('access_account', 'isAccessAccount', ('isAccessAccount', 'hasAccessAccountRole')),
                 ('manage_account', 'isManageAccount', ('isManageAccount', 'hasManageAccountAndViewProductUsageRole')))


def account_flags(group):
    """{cluster_admin, access_account, manage_account} of a group as read, under either read model."""
    group = group or {}
    flags = dict(cluster_admin=bool(group.get('isClusterAdminGroup')))
    for option, dummy, read_fields in ACCOUNT_FLAGS:
        flags[option] = any(bool(group.get(field)) for field in read_fields)
    return flags


# ------------------------------------------------------------------------------------------------
# Validation, before any request

def _text_list_errors(option, values):
    if values is None:
        return []
    if not isinstance(values, list):
        return ['%s must be a list of strings' % option]
    return ['%s[%d] must be a non-empty string, got %r' % (option, index, value)
            for index, value in enumerate(values) if not isinstance(value, str) or not value.strip()]


def permission_list_errors(where, permissions):
    """Errors of one list of permission names: only malformed ones (the shared rule of api_names)."""
    return name_errors(ENVIRONMENT_PERMISSION, where, permissions)


def entry_errors(index, entry):
    where = 'permissions[%d]' % index
    if not isinstance(entry, dict):
        return ['%s must be a dict with environment and permissions' % where]
    errors = []
    environment = entry.get('environment')
    if not isinstance(environment, str) or not environment.strip():
        errors.append('%s.environment must be the name or id of an environment, got %r' % (where, environment))
    state = entry.get('state') or 'present'
    if state not in ENTRY_STATES:
        errors.append('%s.state must be present or absent, got %r' % (where, state))
    permissions = entry.get('permissions')
    if permissions is None:
        permissions = []
    errors.extend(permission_list_errors(where + '.permissions', permissions))
    if state == 'present' and isinstance(permissions, list) and not permissions:
        errors.append('%s.permissions must name at least one permission (to take every permission of the '
                      'environment away, set %s.state to absent)' % (where, where))
    if state == 'absent' and isinstance(permissions, list) and VIEW_SECURITY_PROBLEMS in permissions \
            and VIEWER not in permissions:
        errors.append('%s: VIEW_SECURITY_PROBLEMS cannot be taken away alone: the cluster may add it next to VIEWER '
                      'by itself; take VIEWER away too (which removes every permission of the environment)' % where)
    return errors


def validate_group_options(params):
    """Every input error of dynatrace_user_group's options, each naming the option and the rule."""
    errors = []
    name = params.get('name')
    if not isinstance(name, str) or not name.strip():
        errors.append('name must be a non-empty group name, got %r' % (name,))
    elif name != name.strip():
        errors.append('name must not start or end with blanks, got %r' % name)
    if params.get('permissions_mode', 'merge') not in MODES:
        errors.append('permissions_mode must be merge or replace, got %r' % params.get('permissions_mode'))
    for option in ('ldap_group_names', 'sso_group_names'):
        errors.extend(_text_list_errors(option, params.get(option)))
    entries = params.get('permissions')
    if entries is not None and not isinstance(entries, list):
        errors.append('permissions must be a list of {environment, permissions} entries')
    else:
        for index, entry in enumerate(entries or []):
            errors.extend(entry_errors(index, entry))
    if params.get('state') == 'absent':
        given = [option for option in ('permissions', 'ldap_group_names', 'sso_group_names')
                 if params.get(option) is not None]
        if given:
            errors.append('%s cannot be used with state absent: the whole group is deleted' % ', '.join(given))
    return errors


def grant_errors(grants):
    """Errors of a {group name: [permissions]} map (one environment's groups, merge mode)."""
    if not isinstance(grants, dict):
        return ['permissions must be a map from group name to a list of permissions']
    errors = []
    for group, permissions in grants.items():
        if not isinstance(group, str) or not group.strip() or group != group.strip():
            errors.append('permissions: %r is not a usable group name (non-empty, no blanks around it)' % (group,))
        errors.extend(permission_list_errors('permissions[%s]' % group, permissions))
        if isinstance(permissions, list) and not permissions:
            errors.append('permissions[%s] must name at least one permission' % group)
    return errors


# ------------------------------------------------------------------------------------------------
# Environments: names and ids

class EnvironmentIndex:
    """The environments of one listing: resolve what a task names, and name what a group holds."""

    def __init__(self, environments):
        self.names = dict((env['id'], env.get('name')) for env in environments)
        self.ids_by_name = {}
        for env in environments:
            self.ids_by_name.setdefault(env.get('name'), []).append(env['id'])

    def resolve(self, value):
        """(environment id, None) for a name or id that means exactly one environment, else (None, error)."""
        by_name = sorted(self.ids_by_name.get(value, []))
        candidates = sorted(set(by_name + ([value] if value in self.names else [])))
        if len(candidates) == 1:
            return candidates[0], None
        if not candidates:
            return None, 'environment %r does not exist (no environment has that name or id)' % value
        return None, ('environment %r is ambiguous: it names %d environments (ids: %s); give the id instead'
                      % (value, len(candidates), ', '.join(candidates)))

    def reference(self, environment_id):
        """How options and diffs name an environment: its name when that resolves back to it, else its id."""
        name = self.names.get(environment_id)
        if name is not None and self.resolve(name)[0] == environment_id:
            return name
        return environment_id


def resolve_entries(entries, index):
    """([(environment id, state, set of permissions)], errors) for the permissions option."""
    resolved, errors, seen = [], [], {}
    for position, entry in enumerate(entries):
        environment_id, error = index.resolve(entry['environment'])
        if error:
            errors.append('permissions[%d]: %s' % (position, error))
            continue
        if environment_id in seen:
            errors.append('permissions[%d] and permissions[%d] both name environment %s; list each environment once'
                          % (seen[environment_id], position, environment_id))
            continue
        seen[environment_id] = position
        resolved.append((environment_id, entry.get('state') or 'present', set(entry.get('permissions') or ())))
    return resolved, errors


# ------------------------------------------------------------------------------------------------
# accessRight <-> rights (the merge/replace decision is _model/group_grants.decide)

def rights_of(group):
    """environment id -> set of permissions, from a group's accessRight."""
    rights = {}
    for permission, environment_ids in ((group or {}).get('accessRight') or {}).items():
        for environment_id in environment_ids or ():
            rights.setdefault(environment_id, set()).add(permission)
    return rights


def access_right(rights):
    """The accessRight map of `rights` (sorted, empty entries left out)."""
    by_permission = {}
    for environment_id, permissions in rights.items():
        for permission in permissions:
            by_permission.setdefault(permission, set()).add(environment_id)
    return dict((permission, sorted(ids)) for permission, ids in sorted(by_permission.items()))


def environment_holds(current, wanted):
    """True when an environment's current permissions are what is wanted, the server-added ones aside."""
    current, wanted = current or set(), wanted or set()
    if not wanted:
        return not current
    return wanted <= current and not current - wanted - implied_by(wanted)


def implied_by(permissions):
    """What the cluster adds by itself next to `permissions`: VIEWER and VIEW_SECURITY_PROBLEMS always (VIEWER comes
    with any permission), MANAGE_SETTINGS with CONFIGURE_REQUEST_CAPTURE_DATA."""
    implied = {VIEWER, VIEW_SECURITY_PROBLEMS}
    if CONFIGURE_REQUEST_CAPTURE_DATA in permissions:
        implied.add(MANAGE_SETTINGS)
    return implied


def declared_permissions(held):
    """What to declare for an environment that holds `held`: the least set that environment_holds() accepts.

    The permissions the cluster adds by itself are left out: VIEWER next to another permission, and
    VIEW_SECURITY_PROBLEMS next to VIEWER. VIEWER alone (or with VIEW_SECURITY_PROBLEMS) stays VIEWER.
    """
    held = set(held or ())
    own = held - implied_by(held)
    if not own:
        own = {VIEWER} if VIEWER in held else held
    return own


def changed_environments(current, planned):
    """The environment ids whose permissions would change."""
    return sorted(env_id for env_id in set(current) | set(planned)
                  if not environment_holds(current.get(env_id), planned.get(env_id)))


def names_differ(group, key, wanted):
    return wanted is not None and set(wanted) != set((group or {}).get(key) or ())


# ------------------------------------------------------------------------------------------------
# Request bodies

def create_body(name, rights, ldap_group_names=None, sso_group_names=None):
    """The POST /groups body of a new group (no id: the cluster chooses it)."""
    return {'name': name, 'isClusterAdminGroup': False, 'isAccessAccount': False, 'isManageAccount': False,
            'ldapGroupNames': sorted(set(ldap_group_names or ())), 'ssoGroupNames': sorted(set(sso_group_names or ())),
            'accessRight': access_right(rights)}


def update_body(group, rights, ldap_group_names=None, sso_group_names=None):
    """The PUT /groups body: the whole group as read, with new rights (and name lists when given).

    PUT replaces the group, so everything the task does not manage is sent back as read; the
    write-only role flags are filled in from their read-only counterparts, or the roles are lost.
    """
    body = dict(group)
    flags = account_flags(group)
    for option, write_field, dummy in ACCOUNT_FLAGS:
        body[write_field] = flags[option]
    body['accessRight'] = access_right(rights)
    if ldap_group_names is not None:
        body['ldapGroupNames'] = sorted(set(ldap_group_names))
    if sso_group_names is not None:
        body['ssoGroupNames'] = sorted(set(sso_group_names))
    return body


# ------------------------------------------------------------------------------------------------
# Option shape and diff

def sorted_permissions(permissions):
    """Permissions in the documented order; names the documentation does not list come last, sorted."""
    return sorted_names(ENVIRONMENT_PERMISSION, permissions)


def permissions_option(rights, index):
    """The permissions option of `rights`: [{environment, permissions}], sorted by environment."""
    entries = [dict(environment=index.reference(env_id), permissions=sorted_permissions(perms))
               for env_id, perms in rights.items() if perms]
    return sorted(entries, key=lambda entry: entry['environment'])


def group_to_options(group, index):
    """A group (API shape) in the option shape of dynatrace_user_group: its output feeds its input."""
    options = dict(name=group.get('name'), permissions=permissions_option(rights_of(group), index),
                   ldap_group_names=sorted(group.get('ldapGroupNames') or ()),
                   sso_group_names=sorted(group.get('ssoGroupNames') or ()))
    options.update(account_flags(group))
    return options


def group_details(group):
    """What a group has beyond the options: its id and the roles the API reports."""
    flags = account_flags(group)
    return dict(id=group.get('id'), is_cluster_admin_group=flags['cluster_admin'],
                access_account=flags['access_account'], manage_account=flags['manage_account'])


def diff_side(rights, environment_ids, index, names=None):
    """One side of --diff: the permissions of `environment_ids` by environment name, plus changed name lists."""
    side = dict(permissions=dict((index.reference(env_id), sorted_permissions(rights.get(env_id, ())))
                                 for env_id in environment_ids))
    side.update(names or {})
    return side


def group_diff(name, current, planned, index, before_names=None, after_names=None):
    """before/after of the changed environments (by name) and name lists, for check mode and --diff."""
    changed = changed_environments(current, planned)
    return dict(before=diff_side(current, changed, index, before_names),
                after=diff_side(planned, changed, index, after_names),
                before_header='group %s' % name, after_header='group %s' % name)


# ------------------------------------------------------------------------------------------------
# The cluster-wide flags a task sets (account_flags() reads them under either read model)

FLAG_OPTIONS = (('cluster_admin', 'isClusterAdminGroup'), ('access_account', 'isAccessAccount'),
                ('manage_account', 'isManageAccount'))
CONFIRM_CLUSTER_ADMIN = 'confirm_cluster_admin'


def wanted_flags(params):
    """{option: bool} of the flags a task gives; a flag left out is kept as it is."""
    return dict((option, bool(params[option])) for option, dummy in FLAG_OPTIONS if params.get(option) is not None)


def flag_changes(group, wanted):
    """{option: (before, after)} of the flags that would change (`group` None: a group to create, all false)."""
    current = account_flags(group)
    return dict((option, (current[option], value)) for option, value in wanted.items() if current[option] != value)


def flag_errors(name, changes, confirmed):
    """A change of cluster_admin hands the cluster over (or takes it away): it needs the confirmation option."""
    if 'cluster_admin' not in changes or confirmed:
        return []
    before, after = changes['cluster_admin']
    return ['cluster_admin: group %r would %s cluster administrators (every member %s the whole cluster); set %s: true '
            'to confirm' % (name, 'make its members' if after else 'stop making its members',
                            'administers' if after else 'no longer administers', CONFIRM_CLUSTER_ADMIN)]


def with_flags(body, wanted):
    """A POST or PUT body with the flags a task gives written into their write fields."""
    body = dict(body)
    for option, write_field in FLAG_OPTIONS:
        if option in wanted:
            body[write_field] = wanted[option]
    return body


def flag_diff(changes):
    """(before, after) dicts of the changed flags, for --diff."""
    return (dict((option, pair[0]) for option, pair in changes.items()),
            dict((option, pair[1]) for option, pair in changes.items()))


def flag_option_errors(params):
    """Input errors of the flag options: none with state absent (the group goes)."""
    given = [option for option, dummy in FLAG_OPTIONS if params.get(option) is not None]
    if params.get('state') == 'absent' and given:
        return ['%s cannot be used with state absent: the whole group is deleted' % ', '.join(given)]
    return []
