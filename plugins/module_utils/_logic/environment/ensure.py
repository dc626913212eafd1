# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environment's logic: make one environment look the way a task says (present or absent).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The planner (_model/environment_plan) decides through a live sight (_steps/environment_sight): it reads
only what the task addresses, refuses what would touch the wrong environment or make a second one of a
name, and names the step; _steps/environment_apply carries it out.

The request budget of every path is stated once, in the module documentation ("Requests per run"
in plugins/modules/dynatrace_environment.py); tests/unit/plugins/modules/test_dynatrace_environment.py
counts the calls of each path against it. Check mode sends the reads only.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.drift_report import drift_warning
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import desired_view
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_plan import item_errors, plan
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_apply import apply_step
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_sight import LiveSight


def option_errors(params):
    """Input errors of the options that only this module has (checked before any request)."""
    return item_errors(params)


def ensure_environment(client, params, check_mode=False, warn=None):
    """Run one dynatrace_environment task; return the module result (without request counters)."""
    step = plan(params, LiveSight(client, **_read_flags(params)))
    result = apply_step(client, params, step, check_mode, warn)[0]
    if result.get('drift') and warn:
        warn(drift_warning((result.get('environment') or {}).get('name') or result.get('environment_id'), result['drift']))
    return result


def _read_flags(params):
    """Quotas and storage are read only when a present task manages them."""
    if params['state'] == 'absent':
        return {}
    desired = desired_view(params)
    return dict(include_consumption='quotas' in desired, include_storage='storage' in desired)
