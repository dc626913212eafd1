"""Bad input to dynatrace_environment: a clear failure naming the option path and the rule, before any request.

Extends the table of tests/integration/test_dynatrace_environment.py (test_invalid_input_fails_before_any_write)
with every option's type and range. All cases run in one playbook (ignore_errors) for speed.
"""

import requests

from tests.integration.parallel_cases import run_cases_in_parallel
from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment'
UNSUPPORTED = 'Unsupported parameters for (clusterops.dynatrace.dynatrace_environment) module: '


def retention(option, days):
    return dict(name='t', storage={option: {'max_limit_in_days': days}})


def storage_limit(option, value):
    return dict(name='t', storage={option: {'max_limit': value}})


def quota(option, field, value):
    return dict(name='t', quotas={option: {field: value}})


# (module options, text the message must contain: the option path and the rule)
BAD_INPUT = [
    # name and environment_id
    (dict(name='   '), 'name must not be blank'),
    (dict(name='n' * 250), 'name must be 1 to 100 characters long, got 250'),
    (dict(state='absent', name=''), 'name must be 1 to 100 characters long, got 0'),
    (dict(environment_id='x' * 71), 'environment_id must match [a-zA-Z0-9_-]{1,70}'),
    (dict(environment_id='../environments'), "environment_id must match [a-zA-Z0-9_-]{1,70}, got '../environments'"),
    (dict(environment_id='', name='t'), "environment_id must match [a-zA-Z0-9_-]{1,70}, got ''"),
    # tags
    (dict(name='t', tags=['ok', '']), "tags[1] must be a non-empty string, got ''"),
    (dict(name='t', tags=['ok', 'z' * 150]), 'tags[1] must be at most 100 characters long, got 150'),
    (dict(name='t', tags=['a', 'b', 'b']), "tags must be unique, 'b' is given twice"),
    (dict(name='t', tags={'team': 'a'}), "argument 'tags' is of type"),
    # booleans
    (dict(name='t', enabled='maybe'), "argument 'enabled' is of type"),
    (dict(name='t', trial='sometimes'), "argument 'trial' is of type"),
    (dict(name='t', update_existing='perhaps'), "argument 'update_existing' is of type"),
    (dict(name='t', create_token='please'), "argument 'create_token' is of type"),
    (dict(name='t', validate_certs='mostly'), "argument 'validate_certs' is of type"),
    (dict(name='t', state='present-ish'), "value of state must be one of: present, absent, got: present-ish"),
    # connection options
    (dict(name='t', timeout='slow'), "argument 'timeout' is of type"),
    (dict(name='t', timeout=-3), 'timeout must be greater than 0 seconds, got -3'),
    (dict(name='t', retries='many'), "argument 'retries' is of type"),
    (dict(name='t', retries=1.5), "argument 'retries' is of type"),
    (dict(name='t', url='   '), 'url must not be empty'),
    (dict(name='t', url='dynatrace.example.com'), 'url must start with http:// or https://, got no scheme'),
    (dict(name='t', url='file:///etc/passwd'), "url must start with http:// or https://, got scheme 'file'"),
    (dict(name='t', url='https://'), 'url must name a host after https://'),
    (dict(name='t', url='https://:8443/'), 'url must name a host after https://'),
    (dict(name='t', api_token=''), 'api_token must not be empty'),
    (dict(name='t', url='https://127.0.0.1:9', ca_path='/nowhere/ca.pem'), 'ca_path /nowhere/ca.pem does not exist'),
    (dict(name='t', colour='blue'), UNSUPPORTED + 'colour'),
    # quotas: shape
    (dict(name='t', quotas={'hosts': {'max_limit': 1}}), 'quotas.hosts is not a quotas entry (known: custom_metrics, '),
    (quota('dem_units', 'max_limit', 1), 'quotas.dem_units accepts only monthly_limit, annual_limit, got max_limit'),
    (dict(name='t', quotas='lots'), "argument 'quotas' is of type str and we were unable to convert to dict"),
    (dict(name='t', quotas={'host_units': 5}), 'quotas.host_units must be a dict of max_limit, got int 5'),
    (dict(name='t', quotas={'dem_units': 'many'}), "quotas.dem_units must be a dict of monthly_limit, annual_limit, got str"),
    (dict(name='t', quotas=['host_units']), "argument 'quotas' is of type list and we were unable to convert to dict"),
    # limits beyond the API's 64-bit integers
    (quota('host_units', 'max_limit', 2 ** 63),
     'quotas.host_units.max_limit must be at most 9223372036854775807 (the largest 64-bit integer), got 9223372036854775808'),
    (quota('davis_data_units', 'annual_limit', '99999999999999999999'),
     'quotas.davis_data_units.annual_limit must be at most 9223372036854775807'),
    (storage_limit('transaction_storage', 10 ** 30), 'storage.transaction_storage.max_limit must be at most 9223372036854775807'),
    # quotas: values
    (quota('host_units', 'max_limit', 1.5), "quotas.host_units.max_limit must be an integer or 'unlimited', got 1.5"),
    (quota('host_units', 'max_limit', True), "quotas.host_units.max_limit must be an integer or 'unlimited', got True"),
    (quota('user_sessions', 'total_annual_limit', [1]), "quotas.user_sessions.total_annual_limit must be an integer or 'unlimited'"),
    (quota('davis_data_units', 'annual_limit', '12k'), "quotas.davis_data_units.annual_limit must be an integer or 'unlimited', got '12k'"),
    (quota('custom_metrics', 'max_limit', 'infinite'), "quotas.custom_metrics.max_limit must be an integer or 'unlimited'"),
    (quota('log_monitoring', 'monthly_limit', -1), 'quotas.log_monitoring.monthly_limit must be at least 0, got -1'),
    (quota('synthetic_monitors', 'annual_limit', '-7'), 'quotas.synthetic_monitors.annual_limit must be at least 0, got -7'),
    # storage: shape
    (dict(name='t', storage={'session_replay_retention': {'max_limit': 3}}),
     'storage.session_replay_retention accepts only max_limit_in_days, got max_limit'),
    (dict(name='t', storage={'retention': {'max_limit_in_days': 3}}), 'storage.retention is not a storage entry'),
    (dict(name='t', storage=['a']), "argument 'storage' is of type list and we were unable to convert to dict"),
    (dict(name='t', storage={'session_replay_retention': 35}),
     'storage.session_replay_retention must be a dict of max_limit_in_days, got int 35'),
    # storage: bytes
    (storage_limit('transaction_storage', -1), 'storage.transaction_storage.max_limit must be at least 1, got -1'),
    (storage_limit('log_monitoring_storage', '1 GB'), "storage.log_monitoring_storage.max_limit must be an integer or 'unlimited'"),
    # storage: retention bounds
    (retention('service_request_level_retention', 0), 'storage.service_request_level_retention.max_limit_in_days must be between 1 and 365, got 0'),
    (retention('service_code_level_retention', 366), 'storage.service_code_level_retention.max_limit_in_days must be between 1 and 365, got 366'),
    (retention('real_user_monitoring_retention', 36), 'storage.real_user_monitoring_retention.max_limit_in_days must be between 1 and 35, got 36'),
    (retention('synthetic_monitoring_retention', 0), 'storage.synthetic_monitoring_retention.max_limit_in_days must be between 1 and 35, got 0'),
    (retention('rum_non_aggregated_data_retention', 366),
     'storage.rum_non_aggregated_data_retention.max_limit_in_days must be between 1 and 365, got 366'),
    (retention('log_monitoring_retention', 4), 'storage.log_monitoring_retention.max_limit_in_days must be between 5 and 90, got 4'),
    (retention('log_monitoring_retention', 91), 'storage.log_monitoring_retention.max_limit_in_days must be between 5 and 90, got 91'),
    (retention('session_replay_retention', 'unlimited'), "storage.session_replay_retention.max_limit_in_days cannot be unlimited"),
    (dict(name='t', storage={'service_request_level_retention': {'max_limit_in_days': 30},
                             'service_code_level_retention': {'max_limit_in_days': 'unlimited'}}),
     'storage.service_code_level_retention.max_limit_in_days cannot be unlimited'),
    (dict(name='t', storage={'service_request_level_retention': {'max_limit_in_days': '20'},
                             'service_code_level_retention': {'max_limit_in_days': '21'}}),
     'storage.service_code_level_retention.max_limit_in_days must not exceed '
     'storage.service_request_level_retention.max_limit_in_days (20), got 21'),
    # storage: rates
    (storage_limit('user_actions_per_minute', 0), 'storage.user_actions_per_minute.max_limit must be between 1 and 2147483646, got 0'),
    (storage_limit('user_actions_per_minute', 2147483647),
     'storage.user_actions_per_minute.max_limit must be between 1 and 2147483646, got 2147483647'),
    (storage_limit('transaction_traffic_quota', 99), 'storage.transaction_traffic_quota.max_limit must be between 100 and 100000, got 99'),
    (storage_limit('transaction_traffic_quota', 100001),
     'storage.transaction_traffic_quota.max_limit must be between 100 and 100000, got 100001'),
    (storage_limit('transaction_traffic_quota', 'unlimited'), 'storage.transaction_traffic_quota.max_limit cannot be unlimited'),
]


def test_bad_input_table_fails_before_any_request(emulator, tmp_path):
    cases = BAD_INPUT
    labelled = dict(('case%02d' % index, args) for index, (args, dummy) in enumerate(cases))
    outcomes = run_cases_in_parallel(emulator, tmp_path, MODULE, labelled)
    for index, (args, needle) in enumerate(cases):
        status, result = outcomes['case%02d' % index]
        assert status == 'failed', (args, result)
        message = result['msg']
        assert needle in message, (args, message)
        assert 'Traceback' not in str(result.get('exception', '')) and 'module_stderr' not in result
        assert emulator.token.rsplit('.', 1)[1] not in message
    assert emulator.requests() == []


def test_several_errors_are_reported_together(emulator):
    run = run_tasks([{'name': 'many', MODULE: dict(name='x' * 101, tags=['a', 'a'], quotas={'host_units': {'max_limit': -1}},
                                                   storage={'session_replay_retention': {'max_limit_in_days': 99}}),
                      'ignore_errors': True}], emulator=emulator)
    result = run.last
    assert run.last_status == 'failed'
    assert len(result['errors']) == 4, result
    for needle in ('name must be', 'tags must be unique', 'quotas.host_units.max_limit', 'storage.session_replay_retention'):
        assert needle in result['msg']
    assert emulator.requests() == []


def test_code_level_retention_above_the_stored_request_level_is_refused_after_reading_only(emulator):
    """Only the code level is declared: the rule needs the stored request level, so the module reads it, refuses,
    and writes nothing."""
    answer = requests.post(emulator.url + ENVIRONMENTS, timeout=10, headers={'Authorization': 'Api-Token ' + emulator.token},
                           json={'name': 'kept', 'storage': {'serviceRequestLevelRetention': {'maxLimitInDays': 10}}})
    assert answer.status_code == 201
    emulator.clear_requests()
    run = run_tasks([{'name': 'raise code level', MODULE: dict(name='kept', update_existing=True,
                                                               storage={'service_code_level_retention': {'max_limit_in_days': 20}}),
                      'ignore_errors': True}], emulator=emulator)
    assert run.last_status == 'failed'
    assert ('storage.service_code_level_retention.max_limit_in_days must not exceed '
            'storage.service_request_level_retention.max_limit_in_days (10), got 20') in run.last['msg']
    assert [entry['method'] for entry in emulator.requests()] == ['GET']
