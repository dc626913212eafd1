"""Fault injection: what dynatrace_environment does when the cluster, a proxy or the network misbehaves.

Each case asserts the module outcome and the emulator's request log. Cases that can share a playbook do (one
ansible-playbook start-up instead of many): faults are queued per method and path, so cases that use their
own environment id (their own path) can all be queued up front. Faults on the shared listing path are queued
by a task right before the module task that should meet them.

Waits are kept short: `Retry-After: 0` where the status honours it, `retries: 2` for persistent failures
(backoff 0.25-0.5 s, then 0.5-1 s).
"""

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.parallel_cases import run_cases_in_parallel
from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment'
TRANSIENT = (503, 502, 504, 556)
HONOURS_RETRY_AFTER = (429, 503, 556)


def writes(log):
    return [entry for entry in log if entry['method'] != 'GET']


def stored(emulator, name):
    return [environment for environment in emulator.environments() if environment['name'] == name]


def api_put(emulator, environment_id, name, state='ENABLED', tags=()):
    """Create an environment with a known id straight through the API (PUT upsert): setup, not the module."""
    answer = requests.put('%s%s/%s' % (emulator.url, ENVIRONMENTS, environment_id), timeout=10,
                          json=dict(name=name, state=state, tags=list(tags)),
                          headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text


def queue_fault_task(label, fault):
    """A task that queues a fault through the control API when it runs (so its headers can hold 'now')."""
    return {'name': 'queue fault for %s' % label,
            'ansible.builtin.uri': {'url': '{{ emulator_url }}/_emulator/faults', 'method': 'POST', 'body_format': 'json',
                                    'body': fault, 'status_code': 201}}


def module_task(label, **args):
    return {'name': label, MODULE: args, 'ignore_errors': True}


def fault_headers(status):
    return {'Retry-After': '0'} if status in HONOURS_RETRY_AFTER else {}


def no_traceback(result):
    """ansible-core 2.19 puts '(traceback unavailable)' in `exception` of any failure without one."""
    return 'Traceback' not in str(result.get('exception', '')) and 'module_stderr' not in result


def the(run, label):
    """The result of the one task called `label`."""
    results = [entry for entry in run.results if entry['task'] == label]
    assert len(results) == 1, (label, run)
    return results[0]['status'], results[0]['result']


def for_path(log, path):
    return [(entry['method'], entry['status']) for entry in log if entry['path'] == path]


# ------------------------------------------------------------------------------------------------
# 429: every way a cluster says when to come back

def test_429_waits_as_told_by_each_header_and_reports_the_wait(emulator):
    seconds_ahead = "{{ (now().timestamp() | int + 8) | string }}"
    microseconds_ahead = "{{ ((now().timestamp() * 1000000) | int + 7500000) | string }}"
    cases = [
        ('retry-after', {'Retry-After': '1'}),
        ('reset-seconds', {'X-RateLimit-Reset': seconds_ahead}),
        ('reset-microseconds', {'X-RateLimit-Reset': microseconds_ahead}),
        ('no-header', {}),
    ]
    tasks = []
    for label, headers in cases:
        tasks.append(queue_fault_task(label, dict(method='GET', path=ENVIRONMENTS, action='status', status=429,
                                                  headers=headers)))
        tasks.append(module_task(label, name='throttled-' + label))
    run = run_tasks(tasks, emulator=emulator, play_vars={'emulator_url': emulator.url})
    assert run.rc == 0, run
    waited = {}
    for label, dummy in cases:
        status, result = the(run, label)
        assert status == 'changed', (label, result)
        assert result['retries'] == 1, (label, result)
        waited[label] = result['waited_seconds']
        assert len(stored(emulator, 'throttled-' + label)) == 1
    # Retry-After: 1 is one second. The reset timestamps were 7-8 s (whole seconds) and 7.5 s (microseconds)
    # ahead when queued, a moment before the request: a wait of about that minus the task start-up (a few
    # seconds on a loaded machine), never the 60 s cap that a microsecond timestamp read as seconds or
    # milliseconds would give.
    assert 0.99 <= waited['retry-after'] <= 1.01, waited
    assert 1.0 < waited['reset-seconds'] <= 8.0, waited
    assert 1.0 < waited['reset-microseconds'] <= 7.5, waited
    # No header: the first backoff step, 0.25-0.5 s.
    assert 0.25 <= waited['no-header'] <= 0.5, waited
    log = emulator.requests()
    assert [entry['status'] for entry in log] == [429, 200, 404, 201] * 4
    assert [entry['method'] for entry in writes(log)] == ['PUT'] * 4


def test_429_forever_gives_up_after_retries_with_bounded_wait(emulator):
    emulator.add_fault(method='GET', path=ENVIRONMENTS, times=3, action='status', status=429, headers={'Retry-After': '0.2'})
    run = run_tasks([module_task('throttled', name='never', retries=2)], emulator=emulator)
    status, result = the(run, 'throttled')
    assert status == 'failed'
    assert 'HTTP 429' in result['msg'] and '3 attempts' in result['msg'], result['msg']
    assert result['retries'] == 2 and result['waited_seconds'] == pytest.approx(0.4)
    assert [entry['status'] for entry in emulator.requests()] == [429, 429, 429]


# ------------------------------------------------------------------------------------------------
# 503, 502, 504, 556 on GET, PUT and DELETE, once (retried) and for good (fails after `retries`)

def status_matrix_cases():
    """(label, status, method, persistent) for every transient status on every idempotent method."""
    return [('%s-%d-%s' % (method.lower(), status, 'down' if persistent else 'blip'), status, method, persistent)
            for status in TRANSIENT for method in ('GET', 'PUT', 'DELETE') for persistent in (False, True)]


def test_transient_statuses_on_get_put_delete(emulator, tmp_path):
    cases = status_matrix_cases()
    arguments = {}
    for label, status, method, persistent in cases:
        api_put(emulator, label, 'env ' + label, tags=['before'])
        emulator.add_fault(method=method, path='%s/%s' % (ENVIRONMENTS, label), times=3 if persistent else 1,
                           action='status', status=status, headers=fault_headers(status))
        arguments[label] = dict(environment_id=label, name='env ' + label, retries=2, tags=['before'])
        if method == 'PUT':
            arguments[label].update(tags=['after'], update_existing=True)
        elif method == 'DELETE':
            arguments[label].update(state='absent')
    emulator.clear_requests()
    outcomes = run_cases_in_parallel(emulator, tmp_path, MODULE, arguments)
    log = emulator.requests()
    environments = dict((environment['id'], environment) for environment in emulator.environments())
    for label, status, method, persistent in cases:
        task_status, result = outcomes[label]
        calls = for_path(log, '%s/%s' % (ENVIRONMENTS, label))
        faulted = [(method, status)] * (3 if persistent else 1)
        if persistent:
            assert task_status == 'failed', (label, result)
            message = result['msg']
            assert '%s %s/%s failed with HTTP %d' % (method, ENVIRONMENTS, label, status) in message, (label, message)
            assert '(after 3 attempts)' in message, (label, message)
            assert result['status'] == status and result['retries'] == 2 and no_traceback(result)
        else:
            assert task_status in ('ok', 'changed'), (label, result)
            assert result['retries'] == 1, (label, result)
        if method == 'GET':
            expected = faulted + ([] if persistent else [('GET', 200)])
        elif method == 'PUT':
            expected = [('GET', 200)] + faulted + ([] if persistent else [('PUT', 204)])
        else:
            expected = [('GET', 200), ('PUT', 204)] + faulted + ([] if persistent else [('DELETE', 204)])
        assert calls == expected, (label, calls)
        # What the cluster holds: untouched, updated, deleted, or (a failed delete) disabled and still there.
        if method == 'GET':
            assert environments[label]['tags'] == ['before']
        elif method == 'PUT':
            assert environments[label]['tags'] == (['before'] if persistent else ['after']), label
        elif persistent:
            assert environments[label]['state'] == 'DISABLED', label
        else:
            assert label not in environments


def test_lost_answers_of_idempotent_calls_are_retried_without_harm(emulator):
    """Connection reset on the listing, a GET slower than `timeout`, a lost PUT answer and a creating PUT reset
    before the server acted: each is retried and exactly one environment results."""
    emulator.add_fault(method='GET', path=ENVIRONMENTS, action='reset')
    emulator.add_fault(method='GET', path=ENVIRONMENTS + '/slow-get', action='delay', seconds=2)
    emulator.add_fault(method='PUT', path=ENVIRONMENTS + '/lost-put', action='drop_after_commit')
    tasks = [
        module_task('reset listing', name='after-reset'),
        module_task('slow get', environment_id='slow-get', name='slow', timeout=1),
        module_task('lost put', environment_id='lost-put', name='lost put'),
        queue_fault_task('reset put', dict(method='PUT', path=ENVIRONMENTS + '/' + creation_id('put-reset'),
                                           action='reset')),
        module_task('reset put', name='put-reset'),
    ]
    run = run_tasks(tasks, emulator=emulator, play_vars={'emulator_url': emulator.url})
    assert run.rc == 0, run
    log = emulator.requests()

    status, result = the(run, 'reset listing')
    assert status == 'changed' and result['retries'] == 1
    assert len(stored(emulator, 'after-reset')) == 1

    status, result = the(run, 'slow get')
    assert status == 'changed' and result['retries'] == 1 and result['environment_id'] == 'slow-get'
    # The first GET was answered after the client had given up; the second one counted.
    assert [method for method, dummy in for_path(log, ENVIRONMENTS + '/slow-get')] == ['GET', 'GET', 'PUT']

    status, result = the(run, 'lost put')
    assert status == 'changed' and result['retries'] == 1
    # The first PUT created it, its answer (with the token) was lost, the second PUT updated it: the token is gone
    # and the module says so instead of returning without it silently.
    assert for_path(log, ENVIRONMENTS + '/lost-put') == [('GET', 404), ('PUT', None), ('PUT', 204)]
    assert 'token_management_token' not in result
    assert 'token-management token came back in that other answer only' in str(result.get('warnings')), result
    assert len(stored(emulator, 'lost put')) == 1

    # A reset creating PUT is sent again (it is idempotent): the second one creates, with the token.
    status, result = the(run, 'reset put')
    assert status == 'changed', result
    assert len(stored(emulator, 'put-reset')) == 1
    assert [status for method, status in for_path(log, ENVIRONMENTS + '/' + creation_id('put-reset'))
            if method == 'PUT'] == [None, 201]
    assert 'token_management_token' in result


# ------------------------------------------------------------------------------------------------
# Proxy pages and broken bodies: a clear failure, no traceback, nothing written

PROXY_PAGE = ('<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{font:12px}</style></head>'
              '<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.'
              '</p>' + '<!-- padding -->' * 200 + '<hr><address>Apache/2.4.57 Server at dynatrace.example.com</address>'
              '</body></html>')


LOGIN_PAGE = '<html><head><title>Sign in - Corporate SSO</title></head><body><form>...</form></body></html>'


def test_proxy_error_pages_and_broken_bodies_fail_clearly_and_change_nothing(emulator):
    cases = [
        ('html 502', dict(status=502, body=PROXY_PAGE, content_type='text/html', times=3), '502 Bad Gateway'),
        ('truncated 200', dict(status=200, body='{"totalCount": 1, "pageSize": 100, "environments": [{"na',
                               content_type='application/json; charset=utf-8'), 'not valid JSON'),
        ('login page 200', dict(status=200, body=LOGIN_PAGE, content_type='text/html'), 'Sign in - Corporate SSO'),
        ('empty 200', dict(status=200, body='', content_type='application/json'), 'no "environments" list'),
    ]
    for label, fault, dummy in cases:
        emulator.add_fault(method='GET', path=ENVIRONMENTS, action='status', **fault)
    run = run_tasks([module_task(label, name='untouched-' + label.replace(' ', '-'), retries=2)
                     for label, dummy, dummy in cases], emulator=emulator)
    for label, fault, needle in cases:
        status, result = the(run, label)
        assert status == 'failed', (label, result)
        message = result['msg']
        assert needle in message, (label, message)
        assert 'GET %s failed' % ENVIRONMENTS in message, (label, message)
        assert len(message) < 400 and '<' not in message and 'Traceback' not in message, (label, message)
        assert no_traceback(result), (label, result)
    log = emulator.requests()
    assert writes(log) == [] and emulator.environments() == []
    assert [entry['status'] for entry in log] == [502, 502, 502, 200, 200, 200]


# ------------------------------------------------------------------------------------------------
# The cluster goes away during a run

def test_emulator_stopped_mid_run_fails_naming_the_url(emulator_factory):
    cluster = emulator_factory()
    port = int(cluster.url.rsplit(':', 1)[1])
    tasks = [
        {'name': 'before', MODULE: dict(name='first')},
        {'name': 'stop the cluster', 'ansible.builtin.command': {'argv': ['kill', '-TERM', str(cluster.process.pid)]}},
        {'name': 'wait until it is gone',
         'ansible.builtin.wait_for': {'host': '127.0.0.1', 'port': port, 'state': 'stopped', 'timeout': 20}},
        module_task('after', name='second', retries=1),
    ]
    run = run_tasks(tasks, emulator=cluster)
    assert the(run, 'before')[0] == 'changed', run
    status, result = the(run, 'after')
    assert status == 'failed'
    assert 'cannot reach %s' % cluster.url in result['msg'], result['msg']
    assert 'Connection refused' in result['msg'] and '(after 2 attempts)' in result['msg'], result['msg']
    assert no_traceback(result) and result['retries'] == 1
    assert cluster.process.wait(10) == 0


# ------------------------------------------------------------------------------------------------
# Parallel runs

def test_25_parallel_runs_create_25_environments_without_duplicates(emulator):
    hosts = ['worker%02d' % index for index in range(25)]
    run = run_tasks([{'name': 'create', MODULE: {'name': 'parallel-{{ inventory_hostname }}'}}], emulator=emulator,
                    inventory=','.join(hosts) + ',', hosts='all', forks=25)
    assert run.rc == 0, run
    assert sorted(entry['host'] for entry in run.results) == hosts
    assert all(entry['status'] == 'changed' for entry in run.results), run
    names = sorted(environment['name'] for environment in emulator.environments())
    assert names == ['parallel-' + host for host in hosts]
    ids = [entry['result']['environment_id'] for entry in run.results]
    assert len(set(ids)) == 25
    log = emulator.requests()
    assert len([entry for entry in log if entry['method'] == 'PUT' and entry['status'] == 201]) == 25
    assert len(log) == 75 and all(entry['status'] in (200, 201, 404) for entry in log)
