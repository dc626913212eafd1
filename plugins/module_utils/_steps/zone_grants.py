# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writing one group's management-zone permissions: one PUT, retried briefly for a zone created a moment ago.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

A zone created a moment ago may be unknown to the permission API for about a minute (Terraform provider
issue #551): the PUT answers 400 or 404 naming the zone. Only when the zone it names is one this run
resolved by name is the PUT sent again, after growing waits (RETRY_DELAYS, a minute in all); any other
refusal fails at once.
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api.name_refusals import names_refused
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import ZONE_PERMISSION
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import (
    changed_zones, fresh_zone_named, planned_zone_rights, zone_diff_side, zone_permissions_option, zone_put_body,
    zone_rights_of,
)

RETRY_DELAYS = (1, 2, 4, 8, 15, 15, 15)


def write_zone_permissions(client, group_id, current, planned, fresh_zone_ids, sleep=time.sleep):
    """PUT the group's zone permissions (every zone it keeps, [] for those it loses); return the seconds waited."""
    body = zone_put_body(group_id, current, planned)
    names = sorted(set(name for permissions in planned.values() for name in permissions))
    waited = 0
    for delay in RETRY_DELAYS + (None,):
        try:
            with names_refused(ZONE_PERMISSION, 'management_zone_permissions', names, ('permission',)):
                api.update_zone_permissions(client, body)
            return waited
        except DynatraceError as exc:
            zone_id = fresh_zone_named(exc.message, fresh_zone_ids) if exc.status in (400, 404) else None
            if zone_id is None:
                raise
            if delay is None:
                raise exc.reworded('%s (management zone %s was created recently; the permission API still did not '
                                   'know it after %d seconds: run the task again in a minute)'
                                   % (exc.message, zone_id, waited))
        sleep(delay)
        waited += delay
        client.waited_seconds += delay
    return waited


def ensure_group_zones(client, group_id, resolved, zone_index, environment_index, mode, check_mode=False, current=None):
    """Make a group hold the resolved zone entries under `mode` (merge or replace); return what happened.

    `current` is the group's zone rights when the caller read them already (bulk: one read for every group); else
    they are read here (one GET; none for a group that does not exist yet, `group_id` None). Requests: that read,
    plus one PUT when a zone changes (retried only for zones of `resolved`, see RETRY_DELAYS). Returns
    {changed, rights (after), before and after ({environment: {zone: [permissions]}} of the changed zones)}.
    """
    if current is None:
        current = zone_rights_of(api.get_zone_permissions(client, group_id)) if group_id else {}
    planned = planned_zone_rights(current, resolved, mode)
    changed = changed_zones(current, planned)
    outcome = dict(changed=bool(changed), rights=current,
                   option=zone_permissions_option(current, environment_index, zone_index),
                   before=zone_diff_side(current, changed, environment_index, zone_index),
                   after=zone_diff_side(planned, changed, environment_index, zone_index))
    if not changed:
        return outcome
    if not check_mode:
        write_zone_permissions(client, group_id, current, planned, set(zone_id for dummy, zone_id, dummy2, dummy3 in resolved))
    outcome.update(rights=planned, option=zone_permissions_option(planned, environment_index, zone_index))
    return outcome
