# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The group permissions of a whole list of environments: one write per group, groups written in parallel.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

A group is read-modify-written as a whole, so two writers of one group at once would lose each
other's change. Instead of one write per environment and group (dynatrace_user_group's
grant_environment, for one environment), the declared permissions of every environment are
gathered per group and merged into it at once: one PUT per group lacking some, one POST per group
that does not exist (a 406 race adopts it, as dynatrace_user_group does). Different groups are
different objects, so they are written up to `parallel` at a time. Merge mode: nothing else on a
group changes. All from the one groups listing the caller read.
"""

from functools import partial

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    changed_environments, create_body, planned_rights, rights_of, sorted_permissions, update_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import create_or_adopt, find_group


def grant_all(client, groups, grants, check_mode=False, warn=None, parallel=1):
    """Apply [(environment id, {group: [permissions]})] in merge mode against the listing `groups`.

    Returns {environment id: [outcome per group, sorted by group]}, each outcome {group, changed, created,
    before, after} as grant_environment gives it, or {group, failed, msg} when that group's write failed.
    """
    warn = warn or (lambda message: None)
    by_group = {}
    for environment_id, declared in grants:
        for name, permissions in declared.items():
            by_group.setdefault(name, []).append((environment_id, set(permissions)))
    names = sorted(by_group)
    jobs = [partial(_grant_group, client, groups, name, by_group[name], check_mode, warn) for name in names]
    per_environment = dict((environment_id, []) for environment_id, dummy in grants)
    for name, outcome in zip(names, run_jobs(jobs, parallel, congestion=lambda: client.gate.pushbacks)):
        for environment_id, dummy in by_group[name]:
            if outcome.failed:
                failure = dict(group=name, changed=False, failed=True, msg='group %s: %s' % (name, outcome.error))
                per_environment[environment_id].append(failure)
            else:
                per_environment[environment_id].append(outcome.value[environment_id])
    return per_environment


def _grant_group(client, groups, name, entries, check_mode, warn, adopted=None):
    """Merge every environment's permissions into group `name` with one write; the outcome per environment."""
    group = adopted or find_group(groups, name)
    current = rights_of(group)
    rights = planned_rights(current, [(env_id, 'present', perms) for env_id, perms in entries], 'merge')
    changing = group is None or bool(changed_environments(current, rights))
    outcomes = {}
    for env_id, dummy in entries:
        before = sorted_permissions(current.get(env_id, ()))
        holds = group is not None and env_id not in changed_environments(current, rights)
        outcomes[env_id] = dict(group=name, changed=not holds, created=group is None,
                                before=before, after=before if holds else sorted_permissions(rights[env_id]))
    if not changing or check_mode:
        return outcomes
    if group is None:
        group, how = create_or_adopt(client, create_body(name, rights), warn)
        if how == 'created':
            return outcomes
        again = _grant_group(client, groups, name, entries, check_mode, warn, adopted=group)
        for env_id, outcome in again.items():
            outcome.update(changed=outcome['changed'] or how == 'recovered', created=how == 'recovered')
        return again
    api.update_group(client, update_body(group, rights))
    return outcomes
