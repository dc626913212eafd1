# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The management-zone permissions of a whole list of environments: one read, one write per group, in parallel.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

An item's permissions map may give a group {permissions: [...], management_zones: {zone name: [...]}}. The
zones are listed only in the environments whose items name zones (one listing with its token chain each,
_steps/zone_lookup), before any group is written: an item naming an unknown zone fails and nothing of it is
written. Then the zone permissions of every group are read once (GET /groups/managementZones), each group's
zones of every item are merged into it (merge mode) and written with one PUT per group that lacks some,
groups in parallel. A group that does not exist yet is created without environment permissions.
"""

from functools import partial

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import create_or_adopt, find_group
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import EnvironmentIndex, create_body
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import records_by_group
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.zone_grants import ensure_group_zones
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.zone_lookup import list_environment_zones
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import ZoneIndex


def resolve_zone_items(client, zone_items, warn=None, parallel=1):
    """(ZoneIndex, {environment id: {group: [resolved entries]}}, {environment id: error}) before any write.

    `zone_items`: [(environment id, {group: {zone name: [permissions]}})]. Each environment's zones are listed once,
    up to `parallel` environments at a time (each listing is a chain of five requests, four of them writes).
    """
    index, resolved, errors = ZoneIndex(), {}, {}
    environment_ids = sorted(set(environment_id for environment_id, dummy in zone_items))
    jobs = [partial(list_environment_zones, client, environment_id, None, warn) for environment_id in environment_ids]
    for environment_id, outcome in zip(environment_ids, run_jobs(jobs, parallel)):
        if outcome.failed:
            errors[environment_id] = 'management zones: %s' % outcome.error
        else:
            index.add(environment_id, outcome.value)
    for environment_id, grants in zone_items:
        if environment_id in errors:
            continue
        problems, entries = [], {}
        for group, zones in sorted(grants.items()):
            for zone_name, permissions in sorted(zones.items()):
                zone_id, error = index.resolve(environment_id, zone_name)
                if error:
                    problems.append('group %s: %s' % (group, error))
                else:
                    entries.setdefault(group, []).append((environment_id, zone_id, 'present', set(permissions)))
        if problems:
            errors[environment_id] = 'management zones: %s' % '; '.join(problems)
        else:
            resolved[environment_id] = entries
    return index, resolved, errors


def write_zone_grants(client, groups, resolved, zone_index, check_mode=False, warn=None, parallel=1):
    """Merge the resolved entries into each group (one PUT per group that lacks some); outcomes per environment.

    Returns {environment id: [{group, changed, before, after} or {group, failed, msg}]}, before/after by zone name.
    """
    by_group = {}
    for environment_id, entries in resolved.items():
        for group, group_entries in entries.items():
            by_group.setdefault(group, []).extend(group_entries)
    outcomes = dict((environment_id, []) for environment_id in resolved)
    if not by_group:
        return outcomes
    held = records_by_group(api.list_zone_permissions(client))
    if any(find_group(groups, name) is None for name in by_group):
        groups = api.list_groups(client)  # groups created by this run's environment grants
    names = sorted(by_group)
    jobs = [partial(_grant_group, client, groups, held, name, by_group[name], zone_index, check_mode, warn) for name in names]
    for name, outcome in zip(names, run_jobs(jobs, parallel)):
        for environment_id in sorted(set(entry[0] for entry in by_group[name])):
            if outcome.failed:
                outcomes[environment_id].append(dict(group=name, changed=False, failed=True,
                                                     msg='group %s: %s' % (name, outcome.error)))
            else:
                outcomes[environment_id].append(dict(group=name, changed=bool(outcome.value['before'].get(environment_id)),
                                                     before=outcome.value['before'].get(environment_id, {}),
                                                     after=outcome.value['after'].get(environment_id, {})))
    return outcomes


def _grant_group(client, groups, held, name, entries, zone_index, check_mode, warn):
    group = find_group(groups, name)
    if group is None and not check_mode:
        group, dummy = create_or_adopt(client, create_body(name, {}), warn or (lambda message: None))
    group_id = group['id'] if group else None
    return ensure_group_zones(client, group_id, entries, zone_index, EnvironmentIndex([]), 'merge', check_mode,
                              current=held.get(group_id, {}) if group_id else {})
