# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Changing one environment that was already read: bring it to the declared values, or delete it.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Steps shared by every caller that holds the environment as the API answered it (from a lookup,
a GET, or a whole listing read with the quota and storage information the task manages).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    api_to_options, apply_desired, current_view, desired_view, differences, retention_order_errors, update_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_plan import drift_headers
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError


def converge(client, environment, params, check_mode=False):
    """Compare `environment` (API shape) with `params`; update it when update_existing; return the module result.

    With update_existing false nothing is sent: the differences are the result's drift and diff.
    """
    desired = desired_view(params)
    current = api_to_options(environment)
    changes = differences(desired, current_view(current, desired))
    result = dict(changed=False, environment_id=current['environment_id'], environment=current, drift={})
    if not changes:
        return result
    before, after = changed_fields(changes, 'current'), changed_fields(changes, 'desired')
    if not params['update_existing']:
        headers = drift_headers(current['name'])
        result.update(drift=changes, diff=dict(before=before, after=after, before_header=headers[0],
                                               after_header=headers[1]))
        return result
    target = apply_desired(current, params)
    order_errors = retention_order_errors(target.get('storage'))
    if order_errors:
        raise DynatraceError('; '.join(order_errors))
    if not check_mode:
        created, dummy = api.put_environment(client, environment['id'], update_body(environment, params, changes))
        if created:
            raise _gone(client, environment, 'updated')
    result.update(changed=True, environment=target, diff=dict(before=before, after=after))
    return result


def delete(client, environment, check_mode=False):
    """Disable `environment` when it is enabled (the API refuses to delete an enabled one), then delete it."""
    result = dict(changed=True, environment_id=environment['id'], environment={}, drift={},
                  diff=dict(before=api_to_options(environment), after={}))
    if check_mode:
        return result
    if environment.get('state', 'ENABLED') != 'DISABLED':
        created, dummy = api.put_environment(client, environment['id'], _disabled(environment))
        if created:  # deleted since it was read: the disabling PUT re-created it, and the DELETE removes it again
            api.delete_environment(client, environment['id'])
            return dict(result, changed=False, diff=dict(before={}, after={}))
    api.delete_environment(client, environment['id'])
    return result


def _disabled(environment):
    return dict(name=environment['name'], state='DISABLED', trial=bool(environment.get('trial')),
                tags=list(environment.get('tags') or []))


def _gone(client, environment, verb):
    """An update whose PUT created the environment (201): another job deleted it since it was read.

    The PUT is an upsert, so it re-created the environment, empty: that one is disabled and deleted again, so the
    update leaves nothing behind, and the task fails saying the environment is gone.
    """
    api.put_environment(client, environment['id'], _disabled(environment))
    api.delete_environment(client, environment['id'])
    return DynatraceError('environment %s (%r) was deleted while this task ran (after it was read, before it was %s). '
                          'The update request re-created it (the API creates what it does not find), so that copy was '
                          'deleted again: nothing was %s and nothing is left. Declare it again to create it anew.'
                          % (environment['id'], environment.get('name'), verb, verb))


def changed_fields(changes, side):
    """Nested before/after dicts of the changed fields only, for --diff."""
    view = {}
    for path, values in changes.items():
        keys = path.split('.')
        node = view
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = values[side]
    return view
