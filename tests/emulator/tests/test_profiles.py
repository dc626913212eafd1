"""License profiles (ddu, classic, dps), denied features, the cluster version's storage schema, the
unlimited-storage reading, and zero usage of new environments."""

import pytest

from tests.emulator.tests.helpers import ENVIRONMENTS, Api, violations

DEM = 'Cannot set DEM units quota as DEM units are not allowed for this license.'
SYNTHETIC = 'Cannot set Synthetic monitors quota as Synthetic monitors are not allowed for this license.'
LOG_QUOTA = 'Cannot set Log Monitoring quota as Log Monitoring is not allowed for this license.'
CUSTOM = 'Cannot set Custom metrics quota as Custom metrics are not allowed for this license.'
DDU = 'Cannot set Davis data units quota as Davis data units are not allowed for this license.'
LOG_RETENTION = 'Cannot set Log Monitoring retention as Log Monitoring is not configured for this cluster.'
LOG_STORAGE = 'Cannot set Log Monitoring storage as Log Monitoring is not configured for this cluster.'
LEGACY = '1.320.25.20250701-123456'
BOTH = '?includeConsumptionInfo=true&includeStorageInfo=true'


def shown(api, env_id):
    return api.get(f'{ENVIRONMENTS}/{env_id}{BOTH}').json()


def test_ddu_is_the_default_with_null_custom_metrics_and_log_monitoring(api):
    env_id = api.create(quotas={'davisDataUnits': {'monthlyLimit': 5, 'annualLimit': 50}})
    quotas = shown(api, env_id)['quotas']
    assert quotas['customMetrics'] is None and quotas['logMonitoring'] is None
    assert quotas['davisDataUnits']['monthlyLimit'] == 5
    listed = api.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).json()['environments'][0]['quotas']
    assert listed['customMetrics'] is None and listed['logMonitoring'] is None


@pytest.mark.parametrize('quotas, expected', [
    ({'customMetrics': {'maxLimit': 10}}, {'quotas.customMetrics': CUSTOM}),
    ({'logMonitoring': {'monthlyLimit': 1}}, {'quotas.logMonitoring': LOG_QUOTA}),
    ({'customMetrics': {'maxLimit': None}, 'logMonitoring': {'annualLimit': 1}, 'hostUnits': {'maxLimit': -1}},
     {'quotas.customMetrics': CUSTOM, 'quotas.logMonitoring': LOG_QUOTA, 'quotas.hostUnits.maxLimit': 'must be greater than or equal to 0'}),
])
def test_ddu_refuses_custom_metrics_and_log_monitoring(api, quotas, expected):
    assert violations(api.post(ENVIRONMENTS, json={'name': 'x', 'quotas': quotas})) == expected
    assert api.handle.environments() == []
    env_id = api.create()
    assert set(violations(api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'x', 'quotas': quotas}))) == set(expected)


def test_ddu_accepts_the_null_sub_objects_a_get_returns(api):
    env_id = api.create()
    current = shown(api, env_id)
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json=current).status_code == 204


def test_classic_edits_both_and_has_no_davis_data_units(emulator_factory):
    api = Api(emulator_factory(profile='classic'))
    env_id = api.create(quotas={'customMetrics': {'maxLimit': 10}, 'logMonitoring': {'monthlyLimit': 1, 'annualLimit': 12}})
    quotas = shown(api, env_id)['quotas']
    assert quotas['customMetrics']['maxLimit'] == 10 and quotas['logMonitoring']['annualLimit'] == 12
    assert quotas['davisDataUnits'] is None
    assert violations(api.post(ENVIRONMENTS, json={'name': 'x', 'quotas': {'davisDataUnits': {'monthlyLimit': 1}}})) == {
        'quotas.davisDataUnits': DDU}


def test_classic_at_run_time_and_reset_back_to_ddu(api):
    api.handle.configure(license='classic')
    env_id = api.create(quotas={'customMetrics': {'maxLimit': 3}})
    assert shown(api, env_id)['quotas']['customMetrics']['maxLimit'] == 3
    api.handle.reset()
    assert api.handle.config()['license'] == 'ddu'
    assert 'quotas.customMetrics' in violations(api.post(ENVIRONMENTS, json={'name': 'x', 'quotas': {'customMetrics': {'maxLimit': 3}}}))


@pytest.mark.parametrize('params', [{'includeConsumptionInfo': 'true'}, {'includeUncachedConsumptionInfo': 'true'}])
def test_dps_consumption_flags_are_422(api, params):
    env_id = api.create()
    api.handle.configure(license='dps')
    for path in (ENVIRONMENTS, f'{ENVIRONMENTS}/{env_id}'):
        response = api.get(path, params=params)
        assert response.status_code == 422
        assert response.headers['content-type'] == 'application/json; charset=utf-8'
        assert 'not available' in response.json()['error']['message'] and 'DPS' in response.json()['error']['message']
    assert api.get(ENVIRONMENTS, params={'includeStorageInfo': 'true'}).status_code == 200


def test_dps_rejects_every_quota_field(api):
    api.handle.configure(license='dps')
    body = {'name': 'x', 'quotas': {'hostUnits': {'maxLimit': 1}, 'davisDataUnits': {'monthlyLimit': 2}}}
    assert set(violations(api.post(ENVIRONMENTS, json=body))) == {'quotas.hostUnits', 'quotas.davisDataUnits'}
    assert api.handle.environments() == []
    assert api.post(ENVIRONMENTS, json={'name': 'x', 'storage': {'transactionStorage': {'maxLimit': 1}}}).status_code == 201


def test_dps_from_the_command_line(emulator_factory):
    handle = emulator_factory(license='dps')
    assert Api(handle).get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).status_code == 422


@pytest.mark.parametrize('feature, body, expected', [
    ('dem', {'quotas': {'demUnits': {'monthlyLimit': 1}}}, {'quotas.demUnits': DEM}),
    ('synthetic', {'quotas': {'syntheticMonitors': {'annualLimit': 1}}}, {'quotas.syntheticMonitors': SYNTHETIC}),
    ('log_monitoring', {'storage': {'logMonitoringRetention': {'maxLimitInDays': 10}}}, {'storage.logMonitoringRetention': LOG_RETENTION}),
    ('log_monitoring', {'storage': {'logMonitoringStorage': {'maxLimit': 10}}}, {'storage.logMonitoringStorage': LOG_STORAGE}),
])
def test_denied_feature_gives_the_real_message(api, feature, body, expected):
    api.handle.configure(deny_features=[feature], cluster_version=LEGACY)
    assert violations(api.post(ENVIRONMENTS, json={'name': 'x', **body})) == expected
    assert api.handle.environments() == []


def test_all_denied_fields_and_bounds_are_reported_together(emulator_factory):
    api = Api(emulator_factory(profile='classic', deny_features=['dem', 'synthetic', 'log_monitoring'], cluster_version=LEGACY))
    body = {'name': '', 'quotas': {'demUnits': {'monthlyLimit': 1}, 'syntheticMonitors': {'monthlyLimit': 1},
                                   'logMonitoring': {'monthlyLimit': 1}},
            'storage': {'logMonitoringRetention': {'maxLimitInDays': 10}, 'logMonitoringStorage': {'maxLimit': 1}}}
    found = violations(api.post(ENVIRONMENTS, json=body))
    assert set(found) == {'name', 'quotas.demUnits', 'quotas.syntheticMonitors', 'quotas.logMonitoring',
                          'storage.logMonitoringRetention', 'storage.logMonitoringStorage'}
    assert found['storage.logMonitoringRetention'] == LOG_RETENTION and found['quotas.logMonitoring'] == LOG_QUOTA
    assert api.handle.environments() == []


def test_denied_features_show_as_null(api):
    api.handle.configure(deny_features=['log_monitoring', 'dem'], cluster_version=LEGACY)
    stored = shown(api, api.create())
    assert stored['quotas']['demUnits'] is None and stored['storage']['logMonitoringRetention'] is None


def test_put_with_denied_feature_changes_nothing(api):
    env_id = api.create(quotas={'hostUnits': {'maxLimit': 4}})
    api.handle.configure(deny_features=['dem'])
    body = {'name': 'renamed', 'quotas': {'hostUnits': {'maxLimit': 9}, 'demUnits': {'monthlyLimit': 1}}}
    assert list(violations(api.put(f'{ENVIRONMENTS}/{env_id}', json=body))) == ['quotas.demUnits']
    stored = api.stored(env_id)
    assert stored['name'] == 'team-a' and stored['quotas']['hostUnits']['maxLimit'] == 4


@pytest.mark.parametrize('field, value', [('logMonitoringRetention', {'maxLimitInDays': 30}),
                                          ('logMonitoringStorage', {'maxLimit': 10}), ('logMonitoringRetention', None)])
def test_current_cluster_has_no_log_monitoring_storage(api, field, value):
    env_id = api.create()
    assert 'logMonitoringRetention' not in shown(api, env_id)['storage']
    assert 'logMonitoringStorage' not in shown(api, env_id)['storage']
    found = violations(api.post(ENVIRONMENTS, json={'name': 'x', 'storage': {field: value}}))
    assert found == {f'storage.{field}': 'Unrecognized field, not marked as ignorable.'}


def test_older_cluster_has_log_monitoring_storage_and_no_rum_non_aggregated(emulator_factory):
    api = Api(emulator_factory(profile='legacy'))
    env_id = api.create(storage={'logMonitoringRetention': {'maxLimitInDays': 30}, 'logMonitoringStorage': {'maxLimit': 10}})
    storage = shown(api, env_id)['storage']
    assert storage['logMonitoringRetention']['maxLimitInDays'] == 30 and storage['logMonitoringStorage']['maxLimit'] == 10
    assert 'rumNonAggregatedDataRetention' not in storage
    found = violations(api.post(ENVIRONMENTS, json={'name': 'x', 'storage': {'rumNonAggregatedDataRetention': {'maxLimitInDays': 9}}}))
    assert list(found) == ['storage.rumNonAggregatedDataRetention']


def test_version_switch_at_run_time(api):
    env_id = api.create(storage={'rumNonAggregatedDataRetention': {'maxLimitInDays': 9}})
    api.handle.configure(cluster_version=LEGACY)
    assert 'rumNonAggregatedDataRetention' not in shown(api, env_id)['storage']
    assert shown(api, env_id)['storage']['logMonitoringRetention']['maxLimitInDays'] == 35
    api.handle.configure(cluster_version='1.326.0.20250901-000000')
    assert shown(api, env_id)['storage']['rumNonAggregatedDataRetention']['maxLimitInDays'] == 9


def test_unlimited_storage_reads_back_as_zero_by_default(api):
    env_id = api.create(storage={'sessionReplayStorage': {'maxLimit': 2048}})
    storage = shown(api, env_id)['storage']
    assert storage['transactionStorage']['maxLimit'] == 0 and storage['symbolFilesFromMobileApps']['maxLimit'] == 0
    assert storage['sessionReplayStorage']['maxLimit'] == 2048
    assert storage['userActionsPerMinute']['maxLimit'] == 3500
    assert api.stored(env_id)['storage']['transactionStorage']['maxLimit'] is None  # the control API shows the truth
    # With the zero reading a sent 0 means unlimited, so a GET-then-PUT client keeps it unlimited.
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'team-a', 'storage': {'sessionReplayStorage': {'maxLimit': 0}}}).status_code == 204
    assert api.stored(env_id)['storage']['sessionReplayStorage']['maxLimit'] is None


def test_unlimited_storage_reads_back_as_null_with_the_other_reading(api):
    api.handle.configure(unlimited_storage='null')
    env_id = api.create(storage={'sessionReplayStorage': {'maxLimit': 0}})
    storage = shown(api, env_id)['storage']
    assert storage['transactionStorage']['maxLimit'] is None and storage['sessionReplayStorage']['maxLimit'] == 0
    listed = api.get(ENVIRONMENTS, params={'includeStorageInfo': 'true'}).json()['environments'][0]['storage']
    assert listed['transactionStorage']['maxLimit'] is None


def test_new_environments_have_zero_usage_and_seeded_ones_do_not(api):
    env_id = api.create()
    seeded = api.handle.seed(5)
    quotas = {env['id']: env['quotas'] for env in api.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).json()['environments']}
    assert all(value == 0 for quota in quotas[env_id].values() if quota for key, value in quota.items()
               if 'Limit' not in key)
    assert any(quotas[other]['hostUnits']['currentUsage'] for other in seeded)


def test_reset_restores_the_command_line_settings(api):
    api.handle.configure(license='dps', deny_features=['dem'], unlimited_storage='null')
    api.handle.reset()
    config = api.handle.config()
    assert (config['license'], config['deny_features'], config['unlimited_storage']) == ('ddu', [], 'zero')
    assert api.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).status_code == 200
    assert api.post(ENVIRONMENTS, json={'name': 'x', 'quotas': {'demUnits': {'monthlyLimit': 1}}}).status_code == 201
