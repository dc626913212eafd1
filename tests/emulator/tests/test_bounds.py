"""Every bound of the Environment object, each broken once: one constraint violation per field."""

import pytest

from tests.emulator.tests.helpers import ENVIRONMENTS, violations

CASES = [
    ({'name': ''}, 'name'),
    ({'name': 'n' * 101}, 'name'),
    ({'name': None}, 'name'),
    ({'name': 'x', 'tags': ['a', 'a']}, 'tags'),
    ({'name': 'x', 'tags': ['t' * 101]}, 'tags[0]'),
    ({'name': 'x', 'state': 'PAUSED'}, 'state'),
    ({'name': 'x', 'trial': 'yes'}, 'trial'),
    ({'name': 'x', 'unknownField': 1}, 'unknownField'),
    ({'name': 'x', 'quotas': {'hostUnits': {'maxLimit': -1}}}, 'quotas.hostUnits.maxLimit'),
    ({'name': 'x', 'quotas': {'demUnits': {'monthlyLimit': 1.5}}}, 'quotas.demUnits.monthlyLimit'),
    ({'name': 'x', 'quotas': {'userSessions': {'totalAnnualLimit': '5'}}}, 'quotas.userSessions.totalAnnualLimit'),
    ({'name': 'x', 'quotas': {'hostUnits': {'max_limit': 1}}}, 'quotas.hostUnits.max_limit'),
    ({'name': 'x', 'storage': {'transactionStorage': {'maxLimit': -1}}}, 'storage.transactionStorage.maxLimit'),
    ({'name': 'x', 'storage': {'serviceRequestLevelRetention': {'maxLimitInDays': 366}}},
     'storage.serviceRequestLevelRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'serviceCodeLevelRetention': {'maxLimitInDays': 0}}}, 'storage.serviceCodeLevelRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'realUserMonitoringRetention': {'maxLimitInDays': 36}}}, 'storage.realUserMonitoringRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'syntheticMonitoringRetention': {'maxLimitInDays': 0}}}, 'storage.syntheticMonitoringRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'sessionReplayRetention': {'maxLimitInDays': 36}}}, 'storage.sessionReplayRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'sessionReplayRetention': {'maxLimitInDays': None}}}, 'storage.sessionReplayRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'rumNonAggregatedDataRetention': {'maxLimitInDays': 366}}},
     'storage.rumNonAggregatedDataRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'userActionsPerMinute': {'maxLimit': 0}}}, 'storage.userActionsPerMinute.maxLimit'),
    ({'name': 'x', 'storage': {'userActionsPerMinute': {'maxLimit': 2147483647}}}, 'storage.userActionsPerMinute.maxLimit'),
    ({'name': 'x', 'storage': {'transactionTrafficQuota': {'maxLimit': 99}}}, 'storage.transactionTrafficQuota.maxLimit'),
    ({'name': 'x', 'storage': {'transactionTrafficQuota': {'maxLimit': 100001}}}, 'storage.transactionTrafficQuota.maxLimit'),
    ({'name': 'x', 'storage': {'serviceRequestLevelRetention': {'maxLimitInDays': 5}, 'serviceCodeLevelRetention': {'maxLimitInDays': 6}}},
     'storage.serviceCodeLevelRetention.maxLimitInDays'),
]


# Clusters before 1.326 still have the Log Monitoring storage fields.
LEGACY_VERSION = '1.320.25.20250701-123456'
LEGACY_CASES = [
    ({'name': 'x', 'storage': {'logMonitoringStorage': {'maxLimit': -5}}}, 'storage.logMonitoringStorage.maxLimit'),
    ({'name': 'x', 'storage': {'logMonitoringRetention': {'maxLimitInDays': 4}}}, 'storage.logMonitoringRetention.maxLimitInDays'),
    ({'name': 'x', 'storage': {'logMonitoringRetention': {'maxLimitInDays': 91}}}, 'storage.logMonitoringRetention.maxLimitInDays'),
]


@pytest.mark.parametrize('body, path', CASES, ids=[path + ':' + repr(body)[:40] for body, path in CASES])
def test_a_broken_bound_is_one_violation_and_creates_nothing(api, body, path):
    assert list(violations(api.post(ENVIRONMENTS, json=body))) == [path]
    assert api.handle.environments() == []


@pytest.mark.parametrize('body, path', LEGACY_CASES, ids=[path for body, path in LEGACY_CASES])
def test_a_broken_log_monitoring_bound_on_an_older_cluster(api, body, path):
    api.handle.configure(cluster_version=LEGACY_VERSION)
    assert list(violations(api.post(ENVIRONMENTS, json=body))) == [path]
    assert api.handle.environments() == []


def test_bounds_accept_their_edges(api):
    body = {'name': 'n' * 100, 'tags': ['t' * 100], 'storage': {
        'serviceRequestLevelRetention': {'maxLimitInDays': 365}, 'serviceCodeLevelRetention': {'maxLimitInDays': 365},
        'sessionReplayRetention': {'maxLimitInDays': 1}, 'rumNonAggregatedDataRetention': {'maxLimitInDays': 365},
        'userActionsPerMinute': {'maxLimit': None}, 'transactionTrafficQuota': {'maxLimit': 100000}}}
    assert api.post(ENVIRONMENTS, json=body).status_code == 201


def test_log_monitoring_bounds_accept_their_edges_on_an_older_cluster(api):
    api.handle.configure(cluster_version=LEGACY_VERSION)
    for days in (5, 90):
        assert api.post(ENVIRONMENTS, json={'name': 'x', 'storage': {'logMonitoringRetention': {'maxLimitInDays': days}}}).status_code == 201


def test_id_pattern_on_put(api):
    assert api.put(f'{ENVIRONMENTS}/{"a" * 71}', json={'name': 'x'}).status_code == 400
    assert api.put(f'{ENVIRONMENTS}/{"a" * 70}', json={'name': 'x'}).status_code == 201


def test_several_violations_are_reported_together(api):
    body = {'name': '', 'tags': ['x', 'x'], 'storage': {'sessionReplayRetention': {'maxLimitInDays': 99}}}
    assert set(violations(api.post(ENVIRONMENTS, json=body))) == {'name', 'tags', 'storage.sessionReplayRetention.maxLimitInDays'}


def test_violation_has_every_envelope_field(api):
    found = api.post(ENVIRONMENTS, json={'name': ''}).json()['error']['constraintViolations'][0]
    assert found == {'path': 'name', 'message': found['message'], 'parameterLocation': 'PAYLOAD_BODY', 'location': None}


def test_code_level_retention_is_compared_with_the_stored_request_level(api):
    env_id = api.create(storage={'serviceRequestLevelRetention': {'maxLimitInDays': 20}, 'serviceCodeLevelRetention': {'maxLimitInDays': 10}})
    too_long = {'name': 'x', 'storage': {'serviceCodeLevelRetention': {'maxLimitInDays': 21}}}
    assert 'storage.serviceCodeLevelRetention.maxLimitInDays' in violations(api.put(f'{ENVIRONMENTS}/{env_id}', json=too_long))
    lower_request = {'name': 'x', 'storage': {'serviceRequestLevelRetention': {'maxLimitInDays': 9}}}
    assert 'storage.serviceCodeLevelRetention.maxLimitInDays' in violations(api.put(f'{ENVIRONMENTS}/{env_id}', json=lower_request))
    assert api.stored(env_id)['storage']['serviceRequestLevelRetention']['maxLimitInDays'] == 20


def test_body_must_be_an_object(api):
    assert api.post(ENVIRONMENTS, json=['name']).status_code == 400
