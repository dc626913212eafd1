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
    decide_for_environments, group_settings,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    create_body, rights_of, sorted_permissions, update_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import create_or_adopt, find_group


def grant_all(client, groups, grants, check_mode=False, warn=None, parallel=1, settings=None, managed=None):
    """Apply [(environment id, {group: [permissions]})] against the listing `groups`.

    settings: [{name, permissions_mode, replace_scope}] (a group left out is merged); managed: the environment
    ids the run manages (default: those of `grants`). Returns {environment id: [outcome per group, sorted by
    group]}, each outcome {group, changed, created, before, after} plus `revoked` and `undeclared` (the
    permissions taken away, or held and not declared) when there are some, or {group, failed, msg} when that
    group's write failed. An environment outside `grants` appears only when a group changes there.
    """
    warn = warn or (lambda message: None)
    modes = group_settings(settings)
    managed = set(managed if managed is not None else (environment_id for environment_id, dummy in grants))
    by_group = dict((name, {}) for name in modes)
    for environment_id, declared in grants:
        for name, permissions in declared.items():
            by_group.setdefault(name, {})[environment_id] = set(permissions)
    names = sorted(by_group)
    jobs = []
    for name in names:
        mode, everywhere = modes.get(name, ('merge', False))
        jobs.append(partial(_grant_group, client, groups, name, by_group[name], mode, None if everywhere else managed,
                            check_mode, warn))
    per_environment = dict((environment_id, []) for environment_id, dummy in grants)
    for name, outcome in zip(names, run_jobs(jobs, parallel)):
        if outcome.failed:
            failure = dict(group=name, changed=False, failed=True, msg='group %s: %s' % (name, outcome.error))
            for environment_id in by_group[name]:
                per_environment.setdefault(environment_id, []).append(failure)
            continue
        for environment_id, result in sorted(outcome.value.items()):
            per_environment.setdefault(environment_id, []).append(result)
    return per_environment


def _grant_group(client, groups, name, declared, mode, managed, check_mode, warn, adopted=None):
    """Decide group `name` for every environment at once, with one write; the outcome per environment."""
    group = adopted or find_group(groups, name)
    if group is None and not declared:
        return {}
    current = rights_of(group)
    decision = decide_for_environments(current, declared, mode, managed)
    outcomes = dict((env_id, _outcome(name, group, env_id, current, decision))
                    for env_id in sorted(set(declared) | set(decision.revoked) | set(decision.undeclared)))
    if (group is not None and not decision.changed) or check_mode:
        return outcomes
    if group is None:
        group, how = create_or_adopt(client, create_body(name, decision.rights), warn)
        if how == 'created':
            return outcomes
        again = _grant_group(client, groups, name, declared, mode, managed, check_mode, warn, adopted=group)
        for outcome in again.values():
            outcome.update(changed=outcome['changed'] or how == 'recovered', created=how == 'recovered')
        return again
    api.update_group(client, update_body(group, decision.rights))
    return outcomes


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
