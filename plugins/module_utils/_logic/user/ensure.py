# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_user's logic: one user, or a list of users, by id with groups by name.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

One users read and one groups read plan the whole list; any refusal (an id whose email differs, an
unknown group, a user that cannot be created) stops the task before its first write. When something
is to be written, the user repository's mode is read once: LDAP fails the task with one message, in
check mode too. The first write goes alone, so a 403 of SSO (which no read shows) stops the task
before any other write; the rest go in parallel. The request budget is stated once, in the module
documentation ("Requests per run" in plugins/modules/dynatrace_user.py).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import users as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import DEFAULT_PARALLEL, run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user import (
    create_body, items_of, plan_users, user_diff, user_to_options,
)


def ensure_users(client, params, check_mode=False, diff=False, warn=None):
    """Run one dynatrace_user task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    items = items_of(params)
    if not items:
        return _summary(params, [])  # an empty list: nothing to read
    users = api.list_users(client)
    needs_groups = diff or any(item['state'] == 'present' for item in items)
    groups = api_groups.list_groups(client) if needs_groups else []
    steps, errors, index = plan_users(items, users, groups)
    if errors:
        raise DynatraceError('nothing was changed: %s' % '; '.join(errors))
    writes = [step for step in steps if step.action != 'none']
    if writes and api.users_are_external(client):
        raise api.ExternalUsersError(api.EXTERNAL_USERS, status=403, method='GET', path=api.AUTHENTICATION_MODE_PATH)
    outcomes = dict((id(step), _predicted(step)) for step in steps)
    if not check_mode and writes:
        outcomes.update(_write_all(client, writes, params.get('users') is not None and params.get('parallel'), warn))
    if params.get('users') is None and 'error' in outcomes[id(steps[0])]:
        raise outcomes[id(steps[0])]['error']
    results = [_result(step, outcomes[id(step)], index) for step in steps]
    return _summary(params, results)


def _predicted(step):
    """The user after the step, as far as the plan knows it (check mode, and an empty answer)."""
    if step.action == 'delete':
        return dict(user=None)
    if step.action == 'none':
        return dict(user=step.current)
    return dict(user=step.body)


def _write_all(client, writes, parallel, warn):
    """{id(step): outcome} of every write: the first alone (an SSO 403 stops the rest), the others in parallel."""
    first = writes[0]
    done = {id(first): _guarded(client, first, warn)}
    if isinstance(done[id(first)].get('error'), api.ExternalUsersError):
        raise done[id(first)]['error']
    # Adaptive like the bulk engine: fewer at once while the cluster pushes back (429/503), more again after.
    outcomes = run_jobs([lambda step=step: _guarded(client, step, warn) for step in writes[1:]],
                        parallel or DEFAULT_PARALLEL, congestion=lambda: client.gate.pushbacks)
    done.update((id(step), outcome.value) for step, outcome in zip(writes[1:], outcomes))
    return done


def _guarded(client, step, warn):
    """The outcome of one write: {'user': ...} or {'error': the DynatraceError}; never raises."""
    try:
        return dict(user=_write(client, step, warn))
    except DynatraceError as exc:
        return dict(error=exc)


def _write(client, step, warn):
    if step.action == 'delete':
        api.delete_user(client, step.user_id)
        return None
    if step.action == 'update':
        return api.update_user(client, step.body) or step.body
    return _create(client, step, warn)


def _create(client, step, warn, attempts=2):
    """POST the user (with its first password, if any). A 406 or a lost answer reads the id again.

    406: the id appeared after the read; with the declared email it is adopted and updated (another run
    made it), with another email it fails. Lost answer: found with the declared email, it is taken as
    created by this POST; not found, the POST is sent once more. There is never a second user.
    """
    try:
        return api.create_user(client, create_body(step.body, step.item.get('password'))) or step.body
    except (api.UserIdTakenError, ResponseLostError) as exc:
        found = api.get_user(client, step.user_id)
        lost = isinstance(exc, ResponseLostError)
        if found is None:
            if lost and attempts > 1:
                return _create(client, step, warn, attempts - 1)
            raise
        if (found.get('email') or '').casefold() != step.body['email'].casefold():
            raise DynatraceError('user %r appeared with the email %r, not %r, while this task ran; it was left as it '
                                 'is' % (step.user_id, found.get('email'), step.body['email']),
                                 status=exc.status, method='POST', path=api.USERS_PATH)
        how = ('was found after the answer to its create was lost' if lost
               else 'appeared between the read and the create, and is adopted')
        warn('user %r %s; no second user is created' % (step.user_id, how))
        if lost:
            return found
        body = dict(step.body, groups=sorted(set(step.body['groups']) | set(found.get('groups') or ()))
                    if step.item['groups_mode'] == 'merge' else step.body['groups'])
        return api.update_user(client, body) or body


def _result(step, outcome, index):
    """The per-item result: id, action, changed, user (option shape), diff; failed and msg when it failed."""
    result = dict(id=step.user_id, action=step.action, changed=step.action != 'none')
    if 'error' in outcome:
        return dict(result, changed=False, failed=True, msg=str(outcome['error']), user=user_to_options(step.current, index))
    result['user'] = user_to_options(outcome['user'], index)
    if result['changed']:
        after = None if step.action == 'delete' else outcome['user']
        result['diff'] = user_diff(step.current, after, index)
    return result


def _summary(params, results):
    """One user: its result at the top; a list: `users` in list order, failures named, failed when any is."""
    failures = dict((result['id'], result['msg']) for result in results if result.get('failed'))
    if params.get('users') is None:
        (result,) = results
        summary = dict(changed=result['changed'], user_id=result['id'], action=result['action'], user=result['user'])
        if result.get('diff'):
            summary['diff'] = result['diff']
        return summary
    summary = dict(changed=any(result['changed'] for result in results), users=results, failures=failures,
                   diff=[result['diff'] for result in results if result.get('diff')])
    if failures:
        summary.update(failed=True, msg='%d of %d users failed: %s' % (
            len(failures), len(results), '; '.join('%s: %s' % failure for failure in sorted(failures.items()))))
    return summary
