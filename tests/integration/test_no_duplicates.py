"""No second environment of a name under any timing, through ansible-playbook against the emulator.

Slow commits longer than the module's timeout, runs at the same moment, a name another environment
carries, a name declared twice, a renamed environment, a cluster that will not reuse an id. Each
test asserts on the emulator's stored environments and its request log.
"""

import threading
import time

import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_module, run_tasks
from tests.integration.test_role_environments import api_requests, role_task, run_role

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment'
FAIL_TASK = 'Fail when an environment could not be provisioned'


def creation_path(name):
    return ENVIRONMENTS + '/' + creation_id(name)


def stored(emulator, name):
    return [environment for environment in emulator.environments() if environment['name'] == name]


def writes(emulator):
    return [(entry['method'], entry['path'], entry['status']) for entry in emulator.requests()
            if entry['method'] != 'GET']


def api(emulator, method, path, **kwargs):
    """A request straight to the API (what a person or another tool does, not the module)."""
    return requests.request(method, emulator.url + path, headers={'Authorization': 'Api-Token ' + emulator.token},
                            timeout=10, **kwargs)


def wait_for_answers(emulator, seconds=15):
    """Wait until the emulator has acted on every request it received (slow commits finish after the client left)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(entry['status'] is not None for entry in emulator.requests()):
            return
        time.sleep(0.2)
    raise AssertionError('the emulator still works on requests: %s' % emulator.requests())


def at_once(*runs):
    """Start every run (a callable) at the same moment in its own thread; return their results in order."""
    results, start = [None] * len(runs), threading.Barrier(len(runs))

    def one(index):
        start.wait()
        results[index] = runs[index]()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


def failure_message(run):
    (entry,) = [entry for entry in run.results if entry['task'] == FAIL_TASK]
    assert entry['status'] == 'failed', run
    return entry['result']['msg']


# ------------------------------------------------------------------------------------------------
# Timing

def test_a_create_slower_than_the_timeout_never_makes_a_second_environment(emulator):
    emulator.configure(latency='write=2500ms')
    status, result = run_module('dynatrace_environment', emulator, name='slow-commit', timeout=1, retries=1)
    assert status == 'failed', result
    assert 'running the task again is safe' in result['msg'] and creation_id('slow-commit') in result['msg']
    wait_for_answers(emulator)
    assert len(stored(emulator, 'slow-commit')) == 1
    assert writes(emulator) == [('PUT', creation_path('slow-commit'), 201), ('PUT', creation_path('slow-commit'), 204)]
    emulator.configure(latency='write=0ms')
    status, again = run_module('dynatrace_environment', emulator, name='slow-commit', timeout=1, retries=1)
    assert status == 'ok' and again['environment_id'] == creation_id('slow-commit'), again


def test_a_first_create_slower_than_the_timeout_is_sent_again_and_made_once(emulator):
    # Whichever request creates (the PUT of this release, a POST of an earlier one), its first attempt is slow.
    for method, path in (('PUT', creation_path('slow-first')), ('POST', ENVIRONMENTS)):
        emulator.add_fault(method=method, path=path, action='delay', seconds=2)
    status, result = run_module('dynatrace_environment', emulator, name='slow-first', timeout=1)
    assert status == 'changed' and result['token_management_token'].startswith('dt0c01.'), result
    assert not result.get('warnings')
    wait_for_answers(emulator)
    assert len(stored(emulator, 'slow-first')) == 1
    assert sorted(status for dummy, dummy2, status in writes(emulator)) == [201, 204]


def test_two_runs_at_once_create_one_environment(emulator):
    emulator.configure(latency='write=1s')
    task = [{'name': 'create', MODULE: {'name': 'twin-run'}}]
    runs = at_once(*[lambda: run_tasks(task, emulator=emulator)] * 2)
    results = [run.last for run in runs]
    assert all(run.last_status == 'changed' for run in runs), runs
    assert len(stored(emulator, 'twin-run')) == 1
    assert len([result for result in results if result.get('token_management_token')]) == 1
    adopted = [result for result in results if not result.get('token_management_token')]
    assert 'tokenManagementToken' in str(adopted[0].get('warnings')), adopted
    assert sorted(status for dummy, dummy2, status in writes(emulator)) == [201, 204]


def test_two_copies_of_the_role_at_once_create_each_name_once(emulator, tmp_path):
    emulator.configure(latency='write=1s')
    declared = [{'name': 'awx-%d' % index} for index in range(3)]
    folders = [tmp_path / 'job-a', tmp_path / 'job-b']
    runs = at_once(*[lambda folder=folder: run_role(emulator, declared, environments_token_dir=str(folder))
                     for folder in folders])
    assert all(run.rc == 0 for run in runs), runs
    assert sorted(environment['name'] for environment in emulator.environments()) == ['awx-0', 'awx-1', 'awx-2']
    created = [entry for entry in api_requests(emulator) if entry['status'] == 201]
    assert len(created) == 3 and all(entry['method'] == 'PUT' for entry in created)
    # Every token came back once, in one of the two jobs, and was written to a file there.
    assert sum(len(list(folder.glob('*.token'))) for folder in folders if folder.exists()) == 3


def test_two_copies_of_the_role_at_once_make_each_api_token_once(emulator, tmp_path):
    # Token names are not unique in the API: the job whose PUT created an environment creates its API tokens with the
    # token of that answer; the other job, whose PUT only updated it, leaves them alone and says to run again.
    # Writes of 3 s: both jobs list the environments before either creating PUT commits, even when one starts late.
    emulator.configure(latency='write=3s')
    paas = {'name': 'paas', 'scopes': ['InstallerDownload']}
    declared = [{'name': 'awx-t-%d' % index, 'api_tokens': [paas]} for index in range(3)]
    for item in declared:
        # The creating job's token POST is slow: the other job would list the tokens before that token exists.
        emulator.add_fault(method='POST', path='/e/%s/api/v2/apiTokens' % creation_id(item['name']), action='delay',
                           seconds=4)
    folders = [tmp_path / 'job-a', tmp_path / 'job-b']
    runs = at_once(*[lambda folder=folder: run_role(emulator, declared, environments_token_dir=str(folder))
                     for folder in folders])
    ids = dict((environment['name'], environment['id']) for environment in emulator.environments())
    assert sorted(ids) == ['awx-t-0', 'awx-t-1', 'awx-t-2']
    for name, env_id in ids.items():
        names = [token['name'] for token in emulator.tokens() if token.get('environment') == env_id]
        assert names.count('paas') == 1, (name, names)
    # Every environment is one job's creation and the other's adoption: each adoption fails its item, naming it.
    messages = [failure_message(run) for run in runs if run.rc != 0]
    adopted = sorted(name for message in messages for name in message)
    assert adopted == sorted(ids), (runs, messages)
    assert all('another run' in text for message in messages for text in message.values()), messages
    # The run again converges: each token is found, none is made a second time.
    rerun = run_role(emulator, declared, environments_token_dir=str(folders[0]))
    assert rerun.rc == 0, rerun
    for env_id in ids.values():
        assert [t['name'] for t in emulator.tokens() if t.get('environment') == env_id].count('paas') == 1


# ------------------------------------------------------------------------------------------------
# Names already taken, declared twice, renamed

def test_environment_id_with_a_name_another_environment_carries_creates_nothing(emulator):
    taken = api(emulator, 'POST', ENVIRONMENTS, json={'name': 'taken'}).json()['id']
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='taken', environment_id='fresh-id')
    assert status == 'failed' and taken in result['msg'] and "'fresh-id'" in result['msg'], result
    assert writes(emulator) == [] and len(stored(emulator, 'taken')) == 1

    run = run_role(emulator, [{'name': 'taken', 'environment_id': 'fresh-id'}, {'name': 'free'}])
    assert run.rc != 0
    message = failure_message(run)
    assert list(message) == ['taken'] and taken in message['taken']
    assert len(stored(emulator, 'taken')) == 1 and len(stored(emulator, 'free')) == 1


def test_the_same_name_twice_in_environments_list_fails_before_any_request(emulator):
    emulator.clear_requests()
    declared = [{'name': 'double', 'environment_id': 'double-a'}, {'name': 'double', 'environment_id': 'double-b'}]
    run = run_role(emulator, declared)
    assert run.rc != 0
    assert "environments_list[0] and environments_list[1] both declare name 'double'" in run.stdout
    run = run_role(emulator, [{'name': 'one', 'environment_id': 'same-id'}, {'name': 'two', 'environment_id': 'same-id'}])
    assert run.rc != 0 and "both declare environment_id 'same-id'" in run.stdout
    assert api_requests(emulator) == [] and emulator.environments() == []


def test_an_environment_renamed_by_a_person_is_not_renamed_back_nor_doubled(emulator):
    status, result = run_module('dynatrace_environment', emulator, name='team-old', create_token=False)
    assert status == 'changed'
    renamed = api(emulator, 'PUT', creation_path('team-old'), json={'name': 'team-new', 'state': 'ENABLED'})
    assert renamed.status_code == 204
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='team-old', update_existing=True)
    assert status == 'failed' and "'team-new'" in result['msg'] and 'not renamed back' in result['msg'], result
    assert writes(emulator) == []
    run = run_role(emulator, [{'name': 'team-old'}])
    assert run.rc != 0 and 'not renamed back' in failure_message(run)['team-old']
    assert writes(emulator) == [] and [env['name'] for env in emulator.environments()] == ['team-new']


# ------------------------------------------------------------------------------------------------
# A cluster that refuses the id of a deleted environment

def test_a_refused_creation_id_falls_back_to_post_and_warns(emulator):
    emulator.configure(reuse_deleted_ids=False)
    assert run_module('dynatrace_environment', emulator, name='phoenix', create_token=False)[0] == 'changed'
    assert run_module('dynatrace_environment', emulator, name='phoenix', state='absent')[0] == 'changed'
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='phoenix')
    assert status == 'changed' and result['token_management_token'].startswith('dt0c01.'), result
    assert 'refused' in str(result['warnings']) and 'not idempotent' in str(result['warnings'])
    (environment,) = stored(emulator, 'phoenix')
    assert environment['id'] == result['environment_id'] != creation_id('phoenix')
    assert [(entry['method'], entry['status']) for entry in emulator.requests()] == [
        ('GET', 200), ('GET', 404), ('PUT', 400), ('POST', 201)]


def test_a_lost_post_answer_after_a_refused_id_adopts_the_one_environment(emulator):
    emulator.configure(reuse_deleted_ids=False)
    run_module('dynatrace_environment', emulator, name='ember', create_token=False)
    run_module('dynatrace_environment', emulator, name='ember', state='absent')
    emulator.add_fault(method='POST', path=ENVIRONMENTS, action='drop_after_commit')
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='ember')
    assert status == 'changed' and 'adopted' in str(result['warnings']), result
    assert len(stored(emulator, 'ember')) == 1 and 'token_management_token' not in result
    assert [(entry['method'], entry['status']) for entry in emulator.requests()] == [
        ('GET', 200), ('GET', 404), ('PUT', 400), ('POST', None), ('GET', 200)]


def test_lost_create_answers_without_create_token_warn_of_no_token(emulator):
    for method, path in (('PUT', creation_path('no-token')), ('POST', ENVIRONMENTS)):
        emulator.add_fault(method=method, path=path, action='drop_after_commit')
    status, result = run_module('dynatrace_environment', emulator, name='no-token', create_token=False)
    assert status == 'changed' and len(stored(emulator, 'no-token')) == 1
    assert not result.get('warnings'), result['warnings']


# ------------------------------------------------------------------------------------------------
# Request budgets: 3 per creation in the module, 1 + 2 per environment in the role

def test_request_budgets_of_creation(emulator):
    status, result = run_module('dynatrace_environment', emulator, name='budget')
    assert status == 'changed' and len(emulator.requests()) == 3
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='budget-id', environment_id='budget-id')
    assert status == 'changed' and len(emulator.requests()) == 3
    emulator.clear_requests()
    run = run_tasks([role_task([{'name': 'role-budget-%02d' % index} for index in range(20)])], emulator=emulator)
    assert run.rc == 0, run
    log = api_requests(emulator)
    assert len(log) == 1 + 20  # the listing, then one PUT per creation
    assert [entry['method'] for entry in log].count('PUT') == 20 and len(emulator.environments()) == 22
