"""DPS licensing and features the license or cluster lacks (--license, --deny-feature, /_emulator/config)."""

import pytest

from tests.emulator.tests.helpers import ENVIRONMENTS, Api, violations

DEM = 'Cannot set DEM units quota as DEM units are not allowed for this license.'
SYNTHETIC = 'Cannot set Synthetic monitors quota as Synthetic monitors are not allowed for this license.'
LOG_QUOTA = 'Cannot set Log Monitoring quota as Log Monitoring is not allowed for this license.'
LOG_RETENTION = 'Cannot set Log Monitoring retention as Log Monitoring is not configured for this cluster.'
LOG_STORAGE = 'Cannot set Log Monitoring storage as Log Monitoring is not configured for this cluster.'


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
    ('log_monitoring', {'quotas': {'logMonitoring': {'monthlyLimit': 1}}}, {'quotas.logMonitoring': LOG_QUOTA}),
    ('log_monitoring', {'storage': {'logMonitoringRetention': {'maxLimitInDays': 10}}}, {'storage.logMonitoringRetention': LOG_RETENTION}),
    ('log_monitoring', {'storage': {'logMonitoringStorage': {'maxLimit': 10}}}, {'storage.logMonitoringStorage': LOG_STORAGE}),
])
def test_denied_feature_gives_the_real_message(api, feature, body, expected):
    api.handle.configure(deny_features=[feature])
    assert violations(api.post(ENVIRONMENTS, json={'name': 'x', **body})) == expected
    assert api.handle.environments() == []


def test_all_denied_fields_and_bounds_are_reported_together(emulator_factory):
    api = Api(emulator_factory(deny_features=['dem', 'synthetic', 'log_monitoring']))
    body = {'name': '', 'quotas': {'demUnits': {'monthlyLimit': 1}, 'syntheticMonitors': {'monthlyLimit': 1},
                                   'logMonitoring': {'monthlyLimit': 1}},
            'storage': {'logMonitoringRetention': {'maxLimitInDays': 10}, 'logMonitoringStorage': {'maxLimit': 1}}}
    found = violations(api.post(ENVIRONMENTS, json=body))
    assert set(found) == {'name', 'quotas.demUnits', 'quotas.syntheticMonitors', 'quotas.logMonitoring',
                          'storage.logMonitoringRetention', 'storage.logMonitoringStorage'}
    assert found['storage.logMonitoringRetention'] == LOG_RETENTION
    assert api.handle.environments() == []


def test_denied_features_show_as_null_on_new_environments(api):
    api.handle.configure(deny_features=['log_monitoring'])
    stored = api.stored(api.create())
    assert stored['quotas']['logMonitoring'] is None and stored['storage']['logMonitoringRetention'] is None


def test_put_with_denied_feature_changes_nothing(api):
    env_id = api.create(quotas={'hostUnits': {'maxLimit': 4}})
    api.handle.configure(deny_features=['dem'])
    body = {'name': 'renamed', 'quotas': {'hostUnits': {'maxLimit': 9}, 'demUnits': {'monthlyLimit': 1}}}
    assert list(violations(api.put(f'{ENVIRONMENTS}/{env_id}', json=body))) == ['quotas.demUnits']
    stored = api.stored(env_id)
    assert stored['name'] == 'team-a' and stored['quotas']['hostUnits']['maxLimit'] == 4


def test_reset_restores_the_command_line_settings(api):
    api.handle.configure(license='dps', deny_features=['dem'])
    api.handle.reset()
    assert api.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).status_code == 200
    assert api.post(ENVIRONMENTS, json={'name': 'x', 'quotas': {'demUnits': {'monthlyLimit': 1}}}).status_code == 201
