# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The group permissions of a whole list of environments: one write per group, groups written in parallel.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

A group is read-modify-written as a whole, so two writers of one group at once would lose each
other's change. The declared permissions of every environment are gathered per group and decided
at once by the one merge/replace decision dynatrace_user_group uses (_model/group_grants.decide):
one PUT per group that changes, one POST per group that does not exist (a 406 race adopts it, as
dynatrace_user_group does). Different groups are different objects, so they are written up to
`parallel` at a time. Merge mode (the default) keeps everything else on a group and reports what a
managed environment holds beyond the declaration; replace mode revokes it, on the managed
environments only (or on every environment with replace_scope cluster). All from the one groups
listing the caller read.
"""

from functools import partial

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.group_grants import (
    GroupSetting, decide_for_environments, group_settings, settings_flag_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    create_body, flag_changes, flag_diff, names_differ, rights_of, sorted_permissions, update_body, with_flags,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import create_or_adopt, find_group


def grant_all(client, groups, grants, check_mode=False, warn=None, parallel=1, settings=None, managed=None, report=None):
    """Apply [(environment id, {group: [permissions]})] against the listing `groups`.

    settings: [{name, permissions_mode, replace_scope, ldap_group_names, sso_group_names}] (a group left out is
    merged; a group named there exists after the run, with those name lists when given); managed: the environment
    ids the run manages (default: those of `grants`). Returns {environment id: [outcome per group, sorted by
    group]}, each outcome {group, changed, created, before, after} plus `revoked` and `undeclared` (the permissions
    taken away, or held and not declared) when there are some, or {group, failed, msg} when that group's write
    failed. An environment outside `grants` appears only when a group changes there. `report`, a list, receives
    one {group, changed, created, ...} per group that changes as a whole (created, name lists) or fails.
    """
    warn = warn or (lambda message: None)
    report = [] if report is None else report
    errors = settings_flag_errors(groups, settings, find_group)
    if errors:  # a caller that did not check first: still no write
        raise ValueError('; '.join(errors))
    modes = group_settings(settings)
    managed = set(managed if managed is not None else (environment_id for environment_id, dummy in grants))
    by_group = dict((name, {}) for name in modes)
    for environment_id, declared in grants:
        for name, permissions in declared.items():
            by_group.setdefault(name, {})[environment_id] = set(permissions)
    names = sorted(by_group)
    jobs = []
    for name in names:
        setting = modes.get(name) or GroupSetting()
        scope = None if setting.everywhere else managed
        jobs.append(partial(_grant_group, client, groups, Want(name, by_group[name], setting, scope), check_mode, warn))
    per_environment = dict((environment_id, []) for environment_id, dummy in grants)
    for name, outcome in zip(names, run_jobs(jobs, parallel, congestion=lambda: client.gate.pushbacks)):
        if outcome.failed:
            failure = dict(group=name, changed=False, failed=True, msg='group %s: %s' % (name, outcome.error))
            if not by_group[name]:  # a group of the settings only: no item carries its failure
                report.append(failure)
            for environment_id in by_group[name]:
                per_environment.setdefault(environment_id, []).append(failure)
            continue
        by_environment, whole = outcome.value
        if whole:
            report.append(whole)
        for environment_id, result in sorted(by_environment.items()):
            per_environment.setdefault(environment_id, []).append(result)
    return per_environment


class Want:
    """What a run wants of one group: its declared permissions by environment, its setting and the managed scope."""

    def __init__(self, name, declared, setting, managed):
        self.name, self.declared, self.setting, self.managed = name, declared, setting, managed

    def name_changes(self, group):
        """(before, after) of the name lists that differ from `group` (None: a group to create)."""
        before, after = {}, {}
        for option, key in NAME_LISTS:
            wanted = self.setting.names[option]
            if wanted is not None and (group is None or names_differ(group, key, wanted)):
                before[option] = sorted((group or {}).get(key) or ())
                after[option] = sorted(set(wanted))
        return before, after


NAME_LISTS = (('ldap_group_names', 'ldapGroupNames'), ('sso_group_names', 'ssoGroupNames'))


def _grant_group(client, groups, want, check_mode, warn, adopted=None):
    """Decide one group for every environment at once, with one write: (outcome per environment, group outcome)."""
    group = adopted or find_group(groups, want.name)
    if group is None and not want.declared and not want.setting.declared:
        return {}, None
    flags = flag_changes(group, want.setting.flags)
    current = rights_of(group)
    decision = decide_for_environments(current, want.declared, want.setting.mode, want.managed)
    outcomes = dict((env_id, _outcome(want.name, group, env_id, current, decision))
                    for env_id in sorted(set(want.declared) | set(decision.revoked) | set(decision.undeclared)))
    before_names, after_names = want.name_changes(group)
    if flags:
        flags_before, flags_after = flag_diff(flags)
        before_names, after_names = dict(before_names, **flags_before), dict(after_names, **flags_after)
    whole = dict(group=want.name, changed=True, created=group is None, before=before_names if group else {}, after=after_names) \
        if group is None or after_names else None
    if (group is not None and not decision.changed and not after_names) or check_mode:
        return outcomes, whole
    names = [want.setting.names[option] for option, dummy in NAME_LISTS]
    if group is None:
        group, how = create_or_adopt(client, with_flags(create_body(want.name, decision.rights, *names), want.setting.flags), warn)
        if how == 'created':
            return outcomes, whole
        again, again_whole = _grant_group(client, groups, want, check_mode, warn, adopted=group)
        for outcome in again.values():
            outcome.update(changed=outcome['changed'] or how == 'recovered', created=how == 'recovered')
        return again, (whole if how == 'recovered' else again_whole)
    api.update_group(client, with_flags(update_body(group, decision.rights, *names), want.setting.flags))
    return outcomes, whole


def _outcome(name, group, env_id, current, decision):
    before = sorted_permissions(current.get(env_id, ()))
    changed = group is None or env_id in decision.changed
    outcome = dict(group=name, changed=changed, created=group is None, before=before,
                   after=sorted_permissions(decision.rights.get(env_id, ())) if changed else before)
    if decision.revoked.get(env_id):
        outcome['revoked'] = sorted_permissions(decision.revoked[env_id])
    if decision.undeclared.get(env_id):
        outcome['undeclared'] = sorted_permissions(decision.undeclared[env_id])
    return outcome
