"""clusterops.dynatrace.dynatrace_environments through ansible-playbook against the emulator.

The whole list is one task: one listing plans it, writes run in parallel, and the request log shows
what each case costs.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.races import delete_while_put_waits
from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'
TOKENS = [{'name': 'paas', 'scopes': ['InstallerDownload']}, {'name': 'ingest', 'scopes': ['metrics.ingest']}]


def run_module(module, emulator, check=False, diff=False, **args):
    """One task of `module` (failures ignored, so the registered result of a failed run is read too)."""
    task = {'name': 'module under test', 'clusterops.dynatrace.' + module: args, 'ignore_errors': True}
    run = run_tasks([task], emulator=emulator, check=check, diff=diff)
    assert run.results, 'rc=%s\n%s\n%s' % (run.rc, run.stdout[-3000:], run.stderr[-3000:])
    return run.last_status, run.last


def api_requests(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['path'].startswith(('/api/', '/e/'))]


def names(emulator):
    return sorted(environment['name'] for environment in emulator.environments())


def test_a_failing_item_in_the_middle_is_named_and_the_others_are_created(emulator):
    declared = [{'name': 'team-%02d' % number} for number in range(30)]
    emulator.add_fault(method='PUT', path='%s/%s' % (ENVIRONMENTS, creation_id('team-15')), action='status', status=400)
    status, result = run_module('dynatrace_environments', emulator, environments=declared, parallel=4)
    assert status == 'failed'
    assert list(result['failures']) == ['team-15'] and '400' in result['failures']['team-15']
    assert 'team-15' in result['msg'] and '1 of 30' in result['msg']
    assert names(emulator) == sorted('team-%02d' % number for number in range(30) if number != 15)
    assert [r['name'] for r in result['outcomes']] == [item['name'] for item in declared]
    assert result['outcomes'][15]['failed'] is True and not result['outcomes'][14].get('failed')
    assert sorted(result['created']) == sorted('team-%02d' % number for number in range(30) if number != 15)
    # One listing, then one PUT per item.
    methods = [method for method, dummy in api_requests(emulator)]
    assert methods == ['GET'] + ['PUT'] * 30


def test_check_mode_with_diff_reports_each_item_by_name_and_writes_nothing(emulator):
    existing = emulator.create_environment('kept', tags=['old'])
    emulator.clear_requests()
    declared = [{'name': 'new-one', 'tags': ['a']}, {'name': 'kept', 'tags': ['new']}, {'name': 'new-two'}]
    status, result = run_module('dynatrace_environments', emulator, check=True, diff=True, environments=declared,
                                update_existing=True)
    assert status == 'changed'
    assert api_requests(emulator) == [('GET', ENVIRONMENTS)]
    assert names(emulator) == ['kept'] and existing
    headers = [(diff['before_header'], diff['after_header']) for diff in result['diff']]
    assert headers == [('new-one', 'new-one'), ('kept', 'kept'), ('new-two', 'new-two')]
    assert result['diff'][1]['before'] == {'tags': ['old']} and result['diff'][1]['after'] == {'tags': ['new']}
    assert [r['environment_id'] for r in result['outcomes']][0] == creation_id('new-one')


@pytest.mark.parametrize('parallel', [1, 8])
def test_parallel_1_and_8_give_the_same_end_state_and_requests(emulator, parallel):
    declared = [{'name': 'p-%02d' % number, 'tags': ['t'], 'api_tokens': TOKENS[:1],
                 'permissions': {'viewers': ['VIEWER']}} for number in range(12)]
    status, result = run_module('dynatrace_environments', emulator, environments=declared, parallel=parallel)
    assert status == 'changed', result
    requests = sorted(api_requests(emulator))
    # One write per group: the 12 environments' permissions are merged into it at once.
    expected = ([('GET', ENVIRONMENTS), ('GET', GROUPS), ('POST', GROUPS)]
                + [('PUT', '%s/%s' % (ENVIRONMENTS, creation_id(item['name']))) for item in declared]
                + [('GET', '/e/%s/api/v2/apiTokens' % creation_id(item['name'])) for item in declared]
                + [('POST', '/e/%s/api/v2/apiTokens' % creation_id(item['name'])) for item in declared])
    assert requests == sorted(expected)
    assert names(emulator) == sorted(item['name'] for item in declared)
    (group,) = emulator.groups()
    assert group['accessRight']['VIEWER'] == sorted(creation_id(item['name']) for item in declared)


def test_steady_state_of_100_onboarded_teams_costs_two_requests(emulator):
    declared = [{'name': 'team-%03d' % number, 'api_tokens': TOKENS,
                 'permissions': {'team-%03d-admins' % number: ['VIEWER', 'MANAGE_SETTINGS']}} for number in range(100)]
    status, first = run_module('dynatrace_environments', emulator, environments=declared, parallel=8)
    assert status == 'changed' and not first['failures']
    files = [token['file'] for result in first['outcomes'] for token in result['api_tokens']]
    assert len(files) == 200 and all(token['state'] == 'created' for r in first['outcomes'] for token in r['api_tokens'])
    emulator.clear_requests()
    status, again = run_module('dynatrace_environments', emulator, environments=declared, recorded_token_files=files)
    assert status == 'ok', again
    assert api_requests(emulator) == [('GET', ENVIRONMENTS), ('GET', GROUPS)]
    assert again['created'] == {} and again['api_tokens_created'] == {}
    assert len(first['api_tokens_created']) == 100 and first['outcomes'][0]['paas_token_file'] == files[1]  # sorted by name: ingest, paas


def test_tokens_not_recorded_are_looked_up_with_one_mint_per_environment(emulator):
    declared = [{'name': 'minted', 'api_tokens': TOKENS}]
    run_module('dynatrace_environments', emulator, environments=declared)
    env_id = creation_id('minted')
    emulator.clear_requests()
    status, result = run_module('dynatrace_environments', emulator, environments=declared, verify_tokens=True)
    assert status == 'ok', result
    assert [t['state'] for t in result['outcomes'][0]['api_tokens']] == ['exists', 'exists']
    methods = [(method, path.replace(env_id, 'ID')) for method, path in api_requests(emulator)]
    assert methods[0] == ('GET', ENVIRONMENTS)
    assert methods[1] == ('POST', '%s/ID/tokenManagementToken' % ENVIRONMENTS)
    assert methods[2] == ('GET', '/e/ID/api/v2/apiTokens') and methods[3][0] == 'DELETE' and len(methods) == 4


def test_bad_input_in_one_item_fails_before_any_request(emulator):
    declared = [{'name': 'fine'}, {'name': 'bad', 'api_tokens': [{'name': 'x', 'scopes': ['PaaSIntegration']}],
                                   'permissions': {'g': ['viewer']}}]
    status, result = run_module('dynatrace_environments', emulator, environments=declared)
    assert status == 'failed'
    assert 'environments[1] (bad)' in result['msg'] and 'PaaSIntegration' in result['msg'] and 'viewer' in result['msg']
    assert api_requests(emulator) == []


def test_a_429_slows_every_worker_not_only_the_one_that_got_it(emulator):
    emulator.configure(latency='write=200ms')
    declared = [{'name': 'rate-%d' % number} for number in range(8)]
    emulator.add_fault(method='PUT', path='%s/%s' % (ENVIRONMENTS, creation_id('rate-0')), action='status', status=429,
                       headers={'Retry-After': '2'})
    status, result = run_module('dynatrace_environments', emulator, environments=declared, parallel=4)
    assert status == 'changed', result
    assert names(emulator) == sorted(item['name'] for item in declared)
    # The worker that got the 429 waited 2 s and retried once; the others waited for the same pause before their
    # next request instead of sending into the limit (each wait counted, none a retry).
    assert result['retries'] == 1
    assert result['waited_seconds'] >= 2 + 2 * 1.5, result['waited_seconds']


def test_an_update_racing_another_jobs_delete_fails_that_item_and_leaves_nothing(emulator):
    raced = emulator.create_environment('raced', tags=['old'])
    kept = emulator.create_environment('kept', tags=['old'])
    emulator.clear_requests()
    other_job = delete_while_put_waits(emulator, raced, 'raced')
    status, result = run_module('dynatrace_environments', emulator, update_existing=True,
                                environments=[{'name': 'raced', 'tags': ['new']}, {'name': 'kept', 'tags': ['new']}])
    other_job.join(30)
    assert status == 'failed' and list(result['failures']) == ['raced']
    assert 'was deleted while this task ran' in result['failures']['raced'] and raced in result['failures']['raced']
    assert [(env['id'], env['tags']) for env in emulator.environments()] == [(kept, ['new'])]
    assert result['created'] == {} and result['outcomes'][1]['changed'] is True
