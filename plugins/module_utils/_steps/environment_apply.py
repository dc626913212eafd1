# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Carry out the Step the planner (_model/environment_plan) chose for one item: the one executor of both modules.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_plan as planner
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_change import converge, delete
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_create import create_telling_adoption
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError


def apply_step(client, params, step, check_mode=False, warn=None):
    """Send what `step` needs; return (module result, adopted), adopted when a creating PUT only updated it."""
    if step.kind == planner.REFUSE:
        raise DynatraceError(step.message)
    if step.kind == planner.CREATE:
        return create_telling_adoption(client, params, step.environment_id, check_mode, warn,
                                       post_when_refused=step.post_when_refused)
    if step.kind in (planner.CONVERGE, planner.ADOPT, planner.RENAME):
        return converge(client, step.environment, params, check_mode), False
    if step.kind == planner.DELETE:
        return delete(client, step.environment, check_mode), False
    return dict(changed=False, environment_id=step.environment_id, environment={}, drift={}), False
