"""dynatrace_environment through ansible-playbook against the emulator, asserting on the request log."""

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.races import delete_while_put_waits
from tests.integration.runner import run_module, run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'


def creation_path(name):
    """The path of the environment the module creates for `name` (PUT under its creation id)."""
    return ENVIRONMENTS + '/' + creation_id(name)


# The create example of the Dynatrace documentation (seed page), in the module's options shape.
SEED_QUOTAS = {
    'host_units': {'max_limit': 1},
    'dem_units': {'monthly_limit': 1, 'annual_limit': 1},
    'user_sessions': {'total_monthly_limit': 1, 'total_annual_limit': 2},
    'synthetic_monitors': {'monthly_limit': 1, 'annual_limit': 1},
    'davis_data_units': {'monthly_limit': 1, 'annual_limit': 2},
}
SEED_STORAGE = {
    'transaction_storage': {'max_limit': 1024},
    'session_replay_storage': {'max_limit': 2048},
    'symbol_files_from_mobile_apps': {'max_limit': 5050},
    'service_request_level_retention': {'max_limit_in_days': 35},
    'service_code_level_retention': {'max_limit_in_days': 10},
    'real_user_monitoring_retention': {'max_limit_in_days': 35},
    'synthetic_monitoring_retention': {'max_limit_in_days': 35},
    'session_replay_retention': {'max_limit_in_days': 35},
    'user_actions_per_minute': {'max_limit': 3500},
    'transaction_traffic_quota': {'max_limit': 1000},
}
SEED_TASK = dict(name='MyNewTeam', tags=['owner:john.wicked@dynatrace.com', 'department:finance'], trial=False,
                 quotas=SEED_QUOTAS, storage=SEED_STORAGE)


def writes(log):
    return [entry for entry in log if entry['method'] != 'GET']


def stored(emulator, name):
    return [environment for environment in emulator.environments() if environment['name'] == name]


def api_create(emulator, name, **fields):
    """Create an environment straight through the API (setup that the module must not do itself)."""
    answer = requests.post(emulator.url + ENVIRONMENTS, json=dict(name=name, **fields), timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    return answer.json()['id']


def test_create_with_the_seed_example_then_rerun_changes_nothing(emulator):
    status, result = run_module('dynatrace_environment', emulator, **SEED_TASK)
    assert status == 'changed', result
    assert result['token_management_token'].startswith('dt0c01.')
    log = emulator.requests()
    assert [(e['method'], e['path'], e['status']) for e in log] == [
        ('GET', ENVIRONMENTS, 200), ('GET', creation_path('MyNewTeam'), 404), ('PUT', creation_path('MyNewTeam'), 201)]
    assert 'createToken=true' in log[2]['query']
    (created,) = stored(emulator, 'MyNewTeam')
    assert created['id'] == result['environment_id'] == creation_id('MyNewTeam')
    assert created['quotas']['demUnits']['monthlyLimit'] == 1 and created['quotas']['userSessions']['totalAnnualLimit'] == 2
    assert created['storage']['serviceCodeLevelRetention']['maxLimitInDays'] == 10
    assert created['storage']['transactionTrafficQuota']['maxLimit'] == 1000
    assert sorted(created['tags']) == sorted(SEED_TASK['tags'])

    emulator.clear_requests()
    status, again = run_module('dynatrace_environment', emulator, **SEED_TASK)
    assert status == 'ok' and again['changed'] is False and again['drift'] == {}
    assert 'token_management_token' not in again
    assert [(e['method'], e['path']) for e in emulator.requests()] == [('GET', ENVIRONMENTS)]
    assert again['environment']['quotas']['host_units'] == {'max_limit': 1}


def test_steady_state_without_quotas_is_one_plain_request(emulator):
    api_create(emulator, 'plain')
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='plain', tags=[])
    assert status == 'ok', result
    (entry,) = emulator.requests()
    assert 'includeConsumptionInfo' not in entry['query'] and 'includeStorageInfo' not in entry['query']


def test_check_mode_before_and_after_creation(emulator):
    status, predicted = run_module('dynatrace_environment', emulator, check=True, diff=True, **SEED_TASK)
    assert status == 'changed' and predicted['environment']['name'] == 'MyNewTeam'
    assert predicted['environment_id'] == creation_id('MyNewTeam')  # known before it exists
    assert predicted['diff']['after']['quotas']['host_units'] == {'max_limit': 1}
    assert writes(emulator.requests()) == [] and stored(emulator, 'MyNewTeam') == []

    status, real = run_module('dynatrace_environment', emulator, diff=True, **SEED_TASK)
    assert status == 'changed' and real['diff'] == predicted['diff']
    assert real['environment_id'] == predicted['environment_id']

    emulator.clear_requests()
    status, after = run_module('dynatrace_environment', emulator, check=True, **SEED_TASK)
    assert status == 'ok' and writes(emulator.requests()) == []


def test_diff_output_never_shows_the_token(emulator):
    """A creation without a token shows its diff; one that returns a token is censored whole, diff included."""
    module = 'clusterops.dynatrace.dynatrace_environment'
    run = run_tasks([{'name': 'create without token', module: dict(name='difftest', tags=['a'], create_token=False)},
                     {'name': 'create with token', module: dict(name='tokendiff', tags=['a'])}],
                    emulator=emulator, diff=True, stdout_callback='default')
    assert run.rc == 0, run.stdout
    assert '+++ after' in run.stdout and '"difftest"' in run.stdout  # the diff was printed
    assert '"tokendiff"' not in run.stdout and len(emulator.environments()) == 2
    assert 'dt0c01.' not in run.stdout + run.stderr


def test_update_off_reports_drift_and_sends_nothing(emulator):
    run_module('dynatrace_environment', emulator, name='drifty', quotas={'host_units': {'max_limit': 5}})
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='drifty', tags=['x'],
                                quotas={'host_units': {'max_limit': 9}})
    assert status == 'ok' and result['changed'] is False
    assert result['drift'] == {'quotas.host_units.max_limit': {'current': 5, 'desired': 9},
                               'tags': {'current': [], 'desired': ['x']}}
    # An `ok` task shows no diff: the drift is a warning naming the fields, seen without a register.
    assert result['warnings'] == ['environment drifty differs from its declaration and was left as it is (update_existing '
                                  'is false): quotas.host_units.max_limit, tags; set update_existing: true to make it match']
    assert writes(emulator.requests()) == []
    assert stored(emulator, 'drifty')[0]['quotas']['hostUnits']['maxLimit'] == 5


def test_update_on_sends_only_what_changed_and_keeps_sibling_limits(emulator):
    run_module('dynatrace_environment', emulator, name='upd', quotas={'dem_units': {'monthly_limit': 10, 'annual_limit': 100},
                                                                      'host_units': {'max_limit': 3}},
               storage={'session_replay_retention': {'max_limit_in_days': 20}})
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='upd', update_existing=True,
                                quotas={'dem_units': {'annual_limit': 200}, 'host_units': {'max_limit': 3}})
    assert status == 'changed', result
    log = emulator.requests()
    assert [e['method'] for e in log] == ['GET', 'PUT']
    body = log[1]['body']
    assert body['quotas'] == {'demUnits': {'monthlyLimit': 10, 'annualLimit': 200}}
    assert 'storage' not in body
    (environment,) = stored(emulator, 'upd')
    assert (environment['quotas']['demUnits']['monthlyLimit'], environment['quotas']['demUnits']['annualLimit']) == (10, 200)
    assert environment['quotas']['hostUnits']['maxLimit'] == 3
    assert environment['storage']['sessionReplayRetention']['maxLimitInDays'] == 20

    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='upd', update_existing=True,
                                quotas={'dem_units': {'annual_limit': 200}})
    assert status == 'ok' and [e['method'] for e in emulator.requests()] == ['GET']


def test_enable_disable_and_unlimited(emulator):
    run_module('dynatrace_environment', emulator, name='toggle', quotas={'host_units': {'max_limit': 4}})
    status, result = run_module('dynatrace_environment', emulator, name='toggle', enabled=False, update_existing=True,
                                quotas={'host_units': {'max_limit': 'unlimited'}})
    assert status == 'changed'
    (environment,) = stored(emulator, 'toggle')
    assert environment['state'] == 'DISABLED' and environment['quotas']['hostUnits']['maxLimit'] is None
    status, result = run_module('dynatrace_environment', emulator, name='toggle', enabled=False, update_existing=True,
                                quotas={'host_units': {'max_limit': 'unlimited'}})
    assert status == 'ok'


def test_name_that_is_a_substring_of_others_is_not_confused(emulator):
    api_create(emulator, 'preprod')
    api_create(emulator, 'PROD')
    status, result = run_module('dynatrace_environment', emulator, name='prod')
    assert status == 'changed'
    assert len(stored(emulator, 'prod')) == 1 and len(stored(emulator, 'PROD')) == 1
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='prod')
    assert status == 'ok' and len(emulator.requests()) == 1


@pytest.mark.parametrize('name', ['team (payments), EU', 'it\'s "quoted"', '(),', 'a&b=c%20d/e?f#g'])
def test_names_with_special_characters_are_found(emulator, name):
    status, result = run_module('dynatrace_environment', emulator, name=name)
    assert status == 'changed', result
    status, result = run_module('dynatrace_environment', emulator, name=name)
    assert status == 'ok', result
    assert len(stored(emulator, name)) == 1


def test_duplicate_names_fail_listing_the_ids_and_are_never_deleted(emulator):
    first, second = api_create(emulator, 'twin'), api_create(emulator, 'twin')
    emulator.clear_requests()
    for state in ('present', 'absent'):
        status, result = run_module('dynatrace_environment', emulator, name='twin', state=state)
        assert status == 'failed'
        assert first in result['msg'] and second in result['msg'] and 'environment_id' in result['msg']
    assert writes(emulator.requests()) == [] and len(stored(emulator, 'twin')) == 2
    status, result = run_module('dynatrace_environment', emulator, name='twin', environment_id=first, state='absent')
    assert status == 'changed' and [e['id'] for e in stored(emulator, 'twin')] == [second]


def test_absent_disables_then_deletes_and_twice_is_unchanged(emulator):
    api_create(emulator, 'doomed')
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='doomed', state='absent', check=True)
    assert status == 'changed' and writes(emulator.requests()) == []
    status, result = run_module('dynatrace_environment', emulator, name='doomed', state='absent')
    assert status == 'changed'
    assert [e['method'] for e in writes(emulator.requests())] == ['PUT', 'DELETE']
    assert stored(emulator, 'doomed') == []
    status, result = run_module('dynatrace_environment', emulator, name='doomed', state='absent')
    assert status == 'ok' and result['changed'] is False


def test_license_rejection_names_every_field_and_creates_nothing(emulator):
    # A cluster before 1.326 still has Log Monitoring storage, so that its license can refuse it.
    emulator.configure(deny_features=['log_monitoring', 'dem'], cluster_version='1.320.25.20250701-123456')
    status, result = run_module('dynatrace_environment', emulator, name='licensed',
                                quotas={'log_monitoring': {'monthly_limit': 5}, 'dem_units': {'monthly_limit': 1}},
                                storage={'log_monitoring_retention': {'max_limit_in_days': 30}})
    assert status == 'failed'
    for path in ('quotas.logMonitoring', 'quotas.demUnits', 'storage.logMonitoringRetention'):
        assert path in result['msg']
    assert {v['path'].split('.')[1] for v in result['constraint_violations']} >= {'logMonitoring', 'demUnits',
                                                                                  'logMonitoringRetention'}
    assert stored(emulator, 'licensed') == []


def test_dps_license_with_quotas_fails_with_advice(emulator):
    api_create(emulator, 'dps-env')
    emulator.configure(license='dps')
    status, result = run_module('dynatrace_environment', emulator, name='dps-env', quotas={'host_units': {'max_limit': 1}})
    assert status == 'failed' and 'DPS' in result['msg'] and 'remove the quotas option' in result['msg']


def test_lost_response_on_create_is_sent_again_and_adopts_the_one_environment(emulator):
    emulator.add_fault(method='PUT', path=creation_path('lossy'), times=1, action='drop_after_commit')
    status, result = run_module('dynatrace_environment', emulator, name='lossy')
    assert status == 'changed', result
    (environment,) = stored(emulator, 'lossy')
    assert result['environment_id'] == environment['id'] and result['retries'] == 1
    assert 'token_management_token' not in result
    assert 'tokenManagementToken' in str(result.get('warnings')), result
    assert [(e['method'], e['status']) for e in writes(emulator.requests())] == [('PUT', None), ('PUT', 204)]


def test_create_refused_before_processing_is_sent_again(emulator):
    emulator.add_fault(method='PUT', path=creation_path('throttled'), times=2, action='status', status=429,
                       headers={'Retry-After': '0'})
    status, result = run_module('dynatrace_environment', emulator, name='throttled')
    assert status == 'changed' and result['retries'] == 2
    assert len(stored(emulator, 'throttled')) == 1


def test_environment_id_creates_through_put_upsert(emulator):
    status, result = run_module('dynatrace_environment', emulator, environment_id='team-fixed', name='Fixed team')
    assert status == 'changed' and result['environment_id'] == 'team-fixed'
    assert result['token_management_token'].startswith('dt0c01.')
    assert [(e['method'], e['path']) for e in emulator.requests()] == [
        ('GET', ENVIRONMENTS + '/team-fixed'), ('GET', ENVIRONMENTS), ('PUT', ENVIRONMENTS + '/team-fixed')]
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, environment_id='team-fixed', name='Fixed team')
    assert status == 'ok' and len(emulator.requests()) == 1


INVALID_INPUTS = [
    (dict(name=''), 'name must be 1 to 100 characters'),
    (dict(name='x' * 101), 'name must be 1 to 100 characters long, got 101'),
    (dict(environment_id='no spaces'), 'environment_id must match'),
    (dict(name='t', tags=['a', 'a']), "tags must be unique"),
    (dict(name='t', tags=['y' * 101]), 'tags[0] must be at most 100 characters'),
    (dict(name='t', quotas={'host_units': {'max_limit': -5}}), 'quotas.host_units.max_limit must be at least 0, got -5'),
    (dict(name='t', quotas={'dem_units': {'monthly_limit': 'many'}}), "quotas.dem_units.monthly_limit must be an integer or 'unlimited'"),
    (dict(name='t', quotas={'host_units': {'min_limit': 1}}), 'min_limit'),
    (dict(name='t', storage={'session_replay_retention': {'max_limit_in_days': 40}}),
     'storage.session_replay_retention.max_limit_in_days must be between 1 and 35, got 40'),
    (dict(name='t', storage={'service_request_level_retention': {'max_limit_in_days': 10},
                             'service_code_level_retention': {'max_limit_in_days': 11}}),
     'storage.service_code_level_retention.max_limit_in_days must not exceed'),
    (dict(name='t', storage={'transaction_traffic_quota': {'max_limit': 50}}), 'between 100 and 100000'),
    (dict(name='t', state='gone'), 'state'),
    (dict(state='absent'), 'one of the following is required: name, environment_id'),
    (dict(name='t', url=''), 'url must not be empty'),
    (dict(name='t', url='ftp://cluster'), 'url must start with http:// or https://'),
    (dict(name='t', timeout=0), 'timeout must be greater than 0'),
    (dict(name='t', retries=-1), 'retries must be 0 or more'),
]


def test_invalid_input_fails_before_any_write(emulator):
    tasks = [{'name': 'case %d' % index, 'clusterops.dynatrace.dynatrace_environment': args, 'ignore_errors': True}
             for index, (args, dummy) in enumerate(INVALID_INPUTS)]
    run = run_tasks(tasks, emulator=emulator)
    assert len(run.results) == len(INVALID_INPUTS), run
    for (args, message), entry in zip(INVALID_INPUTS, run.results):
        assert entry['status'] == 'failed', (args, entry)
        assert message in entry['result']['msg'], (args, entry['result']['msg'])
    assert emulator.requests() == []


def test_secrets_are_absent_from_verbose_output(emulator):
    run = run_tasks([{'name': 'create', 'clusterops.dynatrace.dynatrace_environment': {'name': 'quiet'},
                      'no_log': True}], emulator=emulator, verbosity=3, stdout_callback='default')
    assert run.rc == 0, run.stdout[-3000:]
    assert '<localhost> EXEC' in run.stdout  # really verbose
    assert 'dt0c01.' not in run.stdout + run.stderr


def test_an_update_racing_another_jobs_delete_reports_it_gone_and_leaves_nothing(emulator):
    environment_id = emulator.create_environment('raced', tags=['old'])
    emulator.clear_requests()
    other_job = delete_while_put_waits(emulator, environment_id, 'raced')
    status, result = run_module('dynatrace_environment', emulator, name='raced', tags=['new'], update_existing=True)
    other_job.join(30)
    assert status == 'failed' and 'was deleted while this task ran' in result['msg'], result
    assert emulator.environments() == []
    writes = [(entry['method'], entry['status']) for entry in emulator.requests() if entry['method'] != 'GET']
    # The module's PUT (held, then 201: it re-created the environment), the other job's PUT and DELETE in between,
    # then the module's own disabling PUT and DELETE of what its PUT re-created.
    assert sorted(writes) == sorted([('PUT', 201), ('PUT', 204), ('DELETE', 204), ('PUT', 204), ('DELETE', 204)])
