# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environment's logic: make one environment look the way a task says (present or absent).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Reads what the task addresses, refuses what would touch the wrong environment or make a second
one of a name, then runs the steps of _environment_create and _environment_change.

The request budget of every path is stated once, in the module documentation ("Requests per run"
in plugins/modules/dynatrace_environment.py); tests/unit/plugins/modules/test_dynatrace_environment.py
counts the calls of each path against it. Check mode sends the reads only.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.drift_report import drift_warning
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import desired_view
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_change import converge, delete
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_create import (
    create_with_id, find_created,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import (
    ambiguous_name, creation_id, id_name_mismatch, name_taken, rename_taken,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_lookup import find_by_name
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError


class AmbiguousNameError(DynatraceError):
    """More than one environment carries the requested name."""


def option_errors(params):
    """Input errors of the options that only this module has (checked before any request)."""
    errors = []
    if params.get('rename') and not (params.get('environment_id') and params.get('name')):
        errors.append('rename: true needs environment_id (the environment) and name (its new name)')
    if params.get('rename') and params.get('state') == 'absent':
        errors.append('rename: true does not go with state: absent')
    if params.get('allow_duplicate_name') and not params.get('environment_id'):
        errors.append('allow_duplicate_name: true needs environment_id (the id of the second environment of the name)')
    if params.get('name_lookup') is False and params.get('state') == 'absent':
        errors.append('name_lookup: false is for state: present only (a deletion always looks the environment up)')
    return errors


def ensure_environment(client, params, check_mode=False, warn=None):
    """Run one dynatrace_environment task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    if params['state'] == 'absent':
        return ensure_absent(client, params, check_mode)
    result = ensure_present(client, params, check_mode, warn)
    if result.get('drift'):
        warn(drift_warning(result['environment'].get('name') or result.get('environment_id'), result['drift']))
    return result


def _read_flags(params):
    """Quotas and storage are read only when the task manages them."""
    desired = desired_view(params)
    return dict(include_consumption='quotas' in desired, include_storage='storage' in desired)


def single_by_name(client, name, **flags):
    """The one environment of this exact name, or None; fails when several carry it."""
    matches = find_by_name(client, name, **flags)
    if len(matches) > 1:
        raise AmbiguousNameError(ambiguous_name(name, matches))
    return matches[0] if matches else None


def ensure_present(client, params, check_mode, warn):
    flags = _read_flags(params)
    if params.get('environment_id'):
        return present_by_id(client, params, check_mode, warn, flags)
    if params.get('name_lookup', True):
        environment = single_by_name(client, params['name'], **flags)
        if environment is not None:
            return converge(client, environment, params, check_mode)
    environment = find_created(client, params['name'], **flags)
    if environment is not None:
        return converge(client, environment, params, check_mode)
    return create_with_id(client, params, creation_id(params['name']), check_mode, warn, post_when_refused=True)


def present_by_id(client, params, check_mode, warn, flags):
    environment_id, name = params['environment_id'], params.get('name')
    environment = api.get_environment(client, environment_id, **flags)
    if environment is not None:
        check_agreement(client, params, environment)
        return converge(client, environment, params, check_mode)
    if not name:
        raise DynatraceError('environment %s does not exist; name is required to create it' % environment_id)
    if params.get('name_lookup', True) and not params.get('allow_duplicate_name'):
        holders = find_by_name(client, name)
        if holders:
            raise DynatraceError(name_taken(environment_id, name, holders))
    return create_with_id(client, params, environment_id, check_mode, warn)


def check_agreement(client, params, environment):
    """environment_id and name, when both are given, must name the same environment (or rename: true asks for it)."""
    name = params.get('name')
    if name is None or environment.get('name') == name:
        return
    absent = params['state'] == 'absent'
    if absent or not params.get('rename'):
        raise DynatraceError(id_name_mismatch(params['environment_id'], name, environment, absent=absent))
    if params['update_existing']:
        holders = [other for other in find_by_name(client, name) if other['id'] != environment['id']]
        if holders:
            raise DynatraceError(rename_taken(environment['id'], name, holders))


def ensure_absent(client, params, check_mode):
    if params.get('environment_id'):
        environment = api.get_environment(client, params['environment_id'])
        if environment is not None:
            check_agreement(client, params, environment)
    else:
        environment = single_by_name(client, params['name'])
    if environment is None:
        return dict(changed=False, environment_id=params.get('environment_id'), environment={}, drift={})
    return delete(client, environment, check_mode)
