# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environment's logic: make one environment look the way a task says (present or absent).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The request budget of every path is stated once, in the module documentation ("Requests per run"
in plugins/modules/dynatrace_environment.py); tests/unit/plugins/modules/test_dynatrace_environment.py
counts the calls of each path against it. Check mode sends the reads only.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _api_environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment import (
    api_to_options, apply_desired, current_view, desired_view, differences, options_to_create_body,
    retention_order_errors, update_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment_lookup import find_by_name
from ansible_collections.clusterops.dynatrace.plugins.module_utils._http import DynatraceError, ResponseLostError

MINT_TOKEN_HINT = ('mint one with POST /api/cluster/v2/environments/%s/tokenManagementToken '
                   '(a cluster token with scope EnvironmentTokenManagement)')


class AmbiguousNameError(DynatraceError):
    """More than one environment carries the requested name."""


def ensure_environment(client, params, check_mode=False, warn=None):
    """Run one dynatrace_environment task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    if params['state'] == 'absent':
        return ensure_absent(client, params, check_mode)
    return ensure_present(client, params, check_mode, warn)


def locate(client, params, include_consumption=False, include_storage=False):
    """The environment (API shape) the task addresses, by id or by exact name, or None."""
    if params.get('environment_id'):
        return api.get_environment(client, params['environment_id'], include_consumption, include_storage)
    matches = find_by_name(client, params['name'], include_consumption, include_storage)
    if len(matches) > 1:
        raise AmbiguousNameError('name %r matches %d environments (ids: %s); set environment_id to choose one'
                                 % (params['name'], len(matches), ', '.join(sorted(e['id'] for e in matches))))
    return matches[0] if matches else None


def ensure_present(client, params, check_mode, warn):
    desired = desired_view(params)
    environment = locate(client, params, include_consumption='quotas' in desired, include_storage='storage' in desired)
    if environment is None:
        return create(client, params, check_mode, warn)
    current = api_to_options(environment)
    changes = differences(desired, current_view(current, desired))
    result = dict(changed=False, environment_id=current['environment_id'], environment=current, drift={})
    if not changes:
        return result
    before, after = _changed_fields(changes, 'current'), _changed_fields(changes, 'desired')
    if not params['update_existing']:
        result.update(drift=changes, diff=dict(before=before, after=after,
                                               before_header='%s (current; update_existing is false, nothing changed)'
                                               % current['name'], after_header='%s (as declared)' % current['name']))
        return result
    target = apply_desired(current, params)
    order_errors = retention_order_errors(target.get('storage'))
    if order_errors:
        raise DynatraceError('; '.join(order_errors))
    if not check_mode:
        api.put_environment(client, environment['id'], update_body(environment, params, changes))
    result.update(changed=True, environment=target, diff=dict(before=before, after=after))
    return result


def create(client, params, check_mode, warn):
    if not params.get('name'):
        raise DynatraceError('environment %s does not exist; name is required to create it' % params['environment_id'])
    body = options_to_create_body(params)
    predicted = api_to_options(dict(body, id=params.get('environment_id')))
    result = dict(changed=True, environment_id=predicted['environment_id'], environment=predicted, drift={},
                  diff=dict(before={}, after=desired_view(dict(params, enabled=predicted['enabled']))))
    if check_mode:
        return result
    if params.get('environment_id'):
        created, token = api.put_environment(client, params['environment_id'], body, create_token=params['create_token'])
        environment_id = params['environment_id']
        if not created and params['create_token']:
            # The lookup found no such id, yet the upsert updated: a first PUT whose answer was lost (the client
            # sent it again) or a concurrent run created it, and the token came back in that lost answer only.
            warn('Environment %s did not exist when looked up, but the create request ended as an update: an '
                 'earlier attempt whose answer was lost, or a concurrent run, created it. Its token-management token '
                 'was not returned: %s.' % (environment_id, MINT_TOKEN_HINT % environment_id))
    else:
        environment_id, token = post_without_duplicates(client, params, body, warn)
    result['environment_id'] = environment_id
    result['environment'] = dict(predicted, environment_id=environment_id)
    if params['create_token'] and token:
        result['token_management_token'] = token
    return result


def post_without_duplicates(client, params, body, warn, attempts=2):
    """POST the environment; when an answer is lost, find out what happened instead of guessing.

    After a lost answer the name is looked up again (the lookup before the POST found none):
    one match means the POST worked, so the environment is adopted (its token is lost with the
    answer); no match means it did not, so it is sent again; several mean another run created
    one at the same time, which only a person can sort out.
    """
    for dummy in range(attempts):
        try:
            return api.create_environment(client, body, create_token=params['create_token'])
        except ResponseLostError as lost:
            last_loss = lost
            matches = find_by_name(client, params['name'])
        if len(matches) == 1:
            environment_id = matches[0]['id']
            warn('The answer to the create request was lost (%s), but environment %r was created with id %s and '
                 'is adopted. Its token-management token was lost with the answer: %s.'
                 % (last_loss.message, params['name'], environment_id, MINT_TOKEN_HINT % environment_id))
            return environment_id, None
        if len(matches) > 1:
            raise DynatraceError('the answer to the create request was lost, and %d environments named %r exist now '
                                 '(ids: %s): another run created one at the same time. Delete the extra one.'
                                 % (len(matches), params['name'], ', '.join(sorted(m['id'] for m in matches))))
    raise DynatraceError('the create request for %r was sent %d times and each answer was lost; no environment of '
                         'that name exists. Check the network path to the cluster.' % (params['name'], attempts),
                         method='POST', path=last_loss.path, attempts=attempts)


def ensure_absent(client, params, check_mode):
    environment = locate(client, params)
    if environment is None:
        return dict(changed=False, environment_id=params.get('environment_id'), environment={}, drift={})
    before = api_to_options(environment)
    result = dict(changed=True, environment_id=environment['id'], environment={}, drift={},
                  diff=dict(before=before, after={}))
    if check_mode:
        return result
    if environment.get('state', 'ENABLED') != 'DISABLED':
        # The API refuses to delete an enabled environment: disable it first.
        api.put_environment(client, environment['id'], dict(name=environment['name'], state='DISABLED',
                                                            trial=bool(environment.get('trial')),
                                                            tags=list(environment.get('tags') or [])))
    api.delete_environment(client, environment['id'])
    return result


def _changed_fields(changes, side):
    """Nested before/after dicts of the changed fields only, for --diff."""
    view = {}
    for path, values in changes.items():
        keys = path.split('.')
        node = view
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = values[side]
    return view
