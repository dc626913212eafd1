# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_user_group's logic: make one user group hold what a task says (present or absent).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The request budget of every path is stated once, in the module documentation ("Requests per run"
in plugins/modules/dynatrace_user_group.py); tests/unit/plugins/modules/test_dynatrace_user_group.py
and the integration tests count the calls of each path against it. Check mode sends the reads only.
The merge/replace decision is _model/group_grants.decide(), which the bulk path (_bulk/grants.py) shares.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.zone_grants import ensure_group_zones
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.zone_lookup import resolve_zone_permissions
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.group_grants import MERGE, decide
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    EnvironmentIndex, create_body, diff_side, group_diff, group_to_options, names_differ, resolve_entries, rights_of,
    sorted_permissions, update_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    CONFIRM_CLUSTER_ADMIN, account_flags, flag_changes, flag_diff, flag_errors, wanted_flags, with_flags,
)

NAME_LISTS = (('ldap_group_names', 'ldapGroupNames'), ('sso_group_names', 'ssoGroupNames'))


def ensure_user_group(client, params, check_mode=False, diff=False, warn=None):
    """Run one dynatrace_user_group task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    if params['state'] == 'absent':
        return ensure_absent(client, params['name'], check_mode, diff, params.get(CONFIRM_CLUSTER_ADMIN))
    index = entries = zones = None
    if params.get('permissions') is not None or params.get('management_zone_permissions') is not None:
        index = read_index(client)
    if params.get('permissions') is not None:
        entries, errors = resolve_entries(params['permissions'], index)
        if errors:
            raise DynatraceError('; '.join(errors))
    if params.get('management_zone_permissions') is not None:
        zones = resolve_zone_permissions(client, params['management_zone_permissions'], index,
                                         params.get('zone_read_tokens'), warn)
    group = find_group(api.list_groups(client), params['name'])
    if index is None and rights_of(group):
        index = read_index(client)
    task = Task(params, entries, index or EnvironmentIndex([]))
    result = create(client, task, check_mode, warn) if group is None else update(client, task, group, check_mode, warn)
    if zones is not None:
        add_zones(client, result, zones, task, check_mode)
    return result


def add_zones(client, result, zones, task, check_mode):
    """The management-zone part of a task (after the group exists): its change, diff and option in the result."""
    resolved, zone_index = zones
    outcome = ensure_group_zones(client, result['group_id'], resolved, zone_index, task.index, task.mode, check_mode)
    result['group']['management_zone_permissions'] = outcome['option']
    if not outcome['changed']:
        return
    diff = result.setdefault('diff', dict(before={}, after={}, before_header='group %s' % task.name,
                                          after_header='group %s' % task.name))
    diff['before']['management_zones'] = outcome['before']
    diff['after']['management_zones'] = outcome['after']
    result['changed'] = True


def read_index(client):
    """The one environments listing of a task (every page)."""
    environments, dummy = api_environments.list_environments(client)
    return EnvironmentIndex(environments)


def find_group(groups, name):
    """The group named exactly `name`, or None. Whether the cluster compares names without case is not published:
    a group whose name differs only in case is not this one; the create's 406 tells (see create_or_adopt)."""
    exact = [group for group in groups if group['name'] == name]
    return exact[0] if len(exact) == 1 else None


def same_but_case(groups, name):
    return sorted(group['name'] for group in groups if group['name'] != name and group['name'].casefold() == name.casefold())


class Task:
    """What one task wants: the group name, resolved permission entries (or None), mode, name lists."""

    def __init__(self, params, entries, index):
        self.name = params['name']
        self.entries = entries
        self.mode = params.get('permissions_mode') or 'merge'
        self.index = index
        self.names = dict((option, params.get(option)) for option, dummy in NAME_LISTS)
        self.flags = wanted_flags(params)
        self.confirmed = bool(params.get(CONFIRM_CLUSTER_ADMIN))

    def flag_changes(self, group):
        """The flags that would change on `group` (None: a new group); a cluster_admin change unconfirmed fails."""
        changes = flag_changes(group, self.flags)
        errors = flag_errors(self.name, changes, self.confirmed)
        if errors:
            raise DynatraceError('; '.join(errors))
        return changes

    def decision(self, current):
        """The shared merge/replace decision: replace manages the whole group, merge the environments it names."""
        entries = self.entries or []
        managed = set(env_id for env_id, dummy, dummy2 in entries) if self.mode == MERGE else None
        return decide(current, entries, MERGE if self.entries is None else self.mode, managed)

    def rights(self, current):
        return self.decision(current).rights


def create(client, task, check_mode, warn):
    rights = task.rights({})
    flags = task.flag_changes(None)
    body = with_flags(create_body(task.name, rights, task.names['ldap_group_names'], task.names['sso_group_names']),
                      task.flags)
    predicted = dict(body, id=None)
    after = diff_side(rights, sorted(rights), task.index, dict(_names_of(predicted), **flag_diff(flags)[1]))
    result = dict(changed=True, group_id=None, group=group_to_options(predicted, task.index), revoked={}, undeclared={},
                  diff=dict(before={}, after=after, after_header='group %s (new)' % task.name))
    if check_mode:
        return result
    group, how = create_or_adopt(client, body, warn)
    if how == 'created':
        result.update(group_id=group['id'], group=group_to_options(group, task.index))
        return result
    if task.entries is None and rights_of(group):
        task.index = read_index(client)
    updated = update(client, task, group, check_mode, warn)
    if how == 'recovered':
        updated.update(changed=True, diff=result['diff'])
    return updated


def create_or_adopt(client, body, warn, attempts=2):
    """POST the group; return (group, how): how is 'created', 'adopted' or 'recovered'.

    A 406 means the name is taken: the group appeared after the read, so a fresh GET /groups
    finds it and it is 'adopted' (another run made it). A lost answer means the POST may have
    worked: a group of that name found by the fresh read is 'recovered' (most likely this POST
    made it); none found sends the POST once more. There is never a second group.
    """
    try:
        created = api.create_group(client, body)
    except (api.GroupNameTakenError, ResponseLostError) as exc:
        lost = isinstance(exc, ResponseLostError)
        groups = api.list_groups(client)
        found = find_group(groups, body['name'])
        if found is not None:
            warn('%s (%s); group %r exists now and is %s, no second group is created'
                 % ('the answer to the create was lost' if lost else 'the group appeared between the read and the '
                    'create', exc.message, body['name'], 'used' if lost else 'adopted and updated'))
            return found, 'recovered' if lost else 'adopted'
        if lost and attempts > 1:
            return create_or_adopt(client, body, warn, attempts - 1)
        folded = same_but_case(groups, body['name'])
        if folded and not lost:
            raise DynatraceError('the cluster refused to create group %r (%s): it compares group names without case, '
                                 'and %s exists; use the existing name' % (body['name'], exc.message, ', '.join(
                                     repr(name) for name in folded)), status=exc.status, method='POST',
                                 path=api.GROUPS_PATH)
        raise DynatraceError('the create of group %r failed (%s) and no group of that name exists'
                             % (body['name'], exc), status=exc.status, method='POST', path=api.GROUPS_PATH)
    if created is None:
        # An empty answer: the id comes from the list.
        created = find_group(api.list_groups(client), body['name'])
        if created is None:
            raise DynatraceError('the create of group %r answered nothing and the group is not in the list'
                                 % body['name'], method='POST', path=api.GROUPS_PATH)
    return created, 'created'


def update(client, task, group, check_mode, warn=None):
    """Read-modify-write: `group` is a fresh read; the whole group is sent back with the changes."""
    current = rights_of(group)
    decision = task.decision(current)
    rights = decision.rights
    before_names, after_names = {}, {}
    for option, key in NAME_LISTS:
        if names_differ(group, key, task.names[option]):
            before_names[option] = sorted(group.get(key) or ())
            after_names[option] = sorted(set(task.names[option]))
    flags = task.flag_changes(group)
    before_names.update(flag_diff(flags)[0])
    after_names.update(flag_diff(flags)[1])
    result = dict(changed=False, group_id=group['id'], group=group_to_options(group, task.index),
                  revoked=by_reference(decision.revoked, task.index), undeclared=by_reference(decision.undeclared, task.index))
    for environment, permissions in sorted(result['undeclared'].items()):
        (warn or (lambda message: None))(
            'group %s holds %s on environment %s, which the task does not declare; permissions_mode merge keeps it, '
            'replace revokes it' % (task.name, ', '.join(permissions), environment))
    if not decision.changed and not after_names:
        return result
    body = with_flags(update_body(group, rights, task.names['ldap_group_names'], task.names['sso_group_names']),
                      task.flags)
    answer = body if check_mode else (api.update_group(client, body) or body)
    result.update(changed=True, group=group_to_options(answer, task.index),
                  diff=group_diff(task.name, current, rights, task.index, before_names, after_names))
    return result


def by_reference(rights, index):
    """environment id -> permissions, as environment name (or id) -> sorted permissions, for results and messages."""
    return dict((index.reference(env_id), sorted_permissions(perms)) for env_id, perms in rights.items() if perms)


def ensure_absent(client, name, check_mode, diff, confirmed=False):
    group = find_group(api.list_groups(client), name)
    if group is None:
        return dict(changed=False, group_id=None, group={})
    if account_flags(group)['cluster_admin'] and not confirmed:
        raise DynatraceError('group %r makes its members cluster administrators: deleting it takes that away; set '
                             '%s: true to confirm' % (name, CONFIRM_CLUSTER_ADMIN))
    index = read_index(client) if diff and rights_of(group) else EnvironmentIndex([])
    before = diff_side(rights_of(group), sorted(rights_of(group)), index, _names_of(group))
    result = dict(changed=True, group_id=group['id'], group={},
                  diff=dict(before=before, after={}, before_header='group %s' % name))
    if not check_mode:
        api.delete_group(client, group['id'])
    return result


def _names_of(group):
    return dict((option, sorted(group.get(key) or ())) for option, key in NAME_LISTS)
