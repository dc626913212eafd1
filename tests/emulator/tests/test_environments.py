"""Create, get, PUT upsert and delete of Cluster API v2 environments."""

import re
import time

from tests.emulator.tests.helpers import ENVIRONMENTS, violations

SEED_BODY = {
    'name': 'MyNewTeam', 'state': 'ENABLED', 'tags': ['owner:john.wicked@dynatrace.com', 'department:finance'], 'trial': False,
    'quotas': {'hostUnits': {'maxLimit': 1}, 'demUnits': {'monthlyLimit': 1, 'annualLimit': 1},
               'userSessions': {'totalMonthlyLimit': 1, 'totalAnnualLimit': 2},
               'syntheticMonitors': {'monthlyLimit': 1, 'annualLimit': 1}, 'davisDataUnits': {'monthlyLimit': 1, 'annualLimit': 2}},
    'storage': {'transactionStorage': {'maxLimit': 1024}, 'sessionReplayStorage': {'maxLimit': 2048},
                'symbolFilesFromMobileApps': {'maxLimit': 5050}, 'serviceRequestLevelRetention': {'maxLimitInDays': 35},
                'serviceCodeLevelRetention': {'maxLimitInDays': 10}, 'realUserMonitoringRetention': {'maxLimitInDays': 35},
                'syntheticMonitoringRetention': {'maxLimitInDays': 35}, 'sessionReplayRetention': {'maxLimitInDays': 35},
                'userActionsPerMinute': {'maxLimit': 3500}, 'transactionTrafficQuota': {'maxLimit': 1000}},
}
UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


def test_create_answers_201_with_location_and_short_representation(api):
    response = api.post(ENVIRONMENTS, json=SEED_BODY)
    assert response.status_code == 201
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
    body = response.json()
    assert UUID.match(body['id'])
    assert body == {'id': body['id'], 'name': 'MyNewTeam'}
    assert response.headers['Location'].endswith(f"{ENVIRONMENTS}/{body['id']}")


def test_create_stores_the_seed_limits_and_realistic_defaults(api):
    stored = api.stored(api.post(ENVIRONMENTS, json=SEED_BODY).json()['id'])
    assert stored['quotas']['demUnits']['monthlyLimit'] == 1 and stored['quotas']['userSessions']['totalAnnualLimit'] == 2
    assert stored['quotas']['syntheticMonitors']['annualLimit'] == 1
    assert stored['quotas']['logMonitoring'] is None and stored['quotas']['customMetrics'] is None  # DDU license
    assert stored['storage']['serviceCodeLevelRetention']['maxLimitInDays'] == 10
    assert stored['storage']['rumNonAggregatedDataRetention']['maxLimitInDays'] == 35  # cluster default
    assert 'logMonitoringRetention' not in stored['storage']  # not in the schema of a 1.330 cluster
    assert stored['storage']['transactionStorage']['currentlyUsed'] == 0  # a new environment has no usage yet
    assert stored['quotas']['hostUnits']['currentUsage'] == 0 and stored['quotas']['demUnits']['consumedThisYear'] == 0
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$', stored['creationDate'])
    assert stored['state'] == 'ENABLED' and stored['trial'] is False


def test_create_with_create_token_returns_a_working_environment_token(api):
    response = api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'with-token'})
    assert response.status_code == 201
    token, env_id = response.json()['tokenManagementToken'], response.json()['id']
    assert re.match(r'^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$', token)
    assert api.get(f'/e/{env_id}/api/v2/apiTokens', token=token).status_code == 200
    # A token-management token is an environment token without DataExport.
    assert api.get(ENVIRONMENTS, token=token).status_code == 401
    assert api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=token).status_code == 403


def test_create_with_an_id_is_400(api):
    response = api.post(ENVIRONMENTS, json={'name': 'x', 'id': 'chosen'})
    assert 'id' in violations(response)
    assert api.handle.environments() == []


def test_duplicate_names_are_allowed(api):
    assert api.create('same') != api.create('same')


def test_malformed_json_is_400_envelope(api):
    response = api.post(ENVIRONMENTS, data='{"name": "x",', headers={'Content-Type': 'application/json'})
    assert response.status_code == 400
    assert response.json()['error']['code'] == 400


def test_get_hides_quotas_and_storage_unless_asked(api):
    env_id = api.create()
    plain = api.get(f'{ENVIRONMENTS}/{env_id}').json()
    assert set(plain) == {'name', 'id', 'trial', 'state', 'tags', 'creationDate'}
    assert 'quotas' in api.get(f'{ENVIRONMENTS}/{env_id}?includeConsumptionInfo=true').json()
    assert 'quotas' in api.get(f'{ENVIRONMENTS}/{env_id}?includeUncachedConsumptionInfo=true').json()
    with_storage = api.get(f'{ENVIRONMENTS}/{env_id}?includeStorageInfo=true').json()
    assert 'storage' in with_storage and 'quotas' not in with_storage


def test_get_unknown_is_404_envelope(api):
    response = api.get(f'{ENVIRONMENTS}/does-not-exist')
    assert response.status_code == 404
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
    assert response.json()['error']['code'] == 404


def test_put_updates_with_204_and_no_body(api):
    env_id = api.create('old', tags=['a'])
    response = api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'new', 'tags': ['b'], 'state': 'DISABLED'})
    assert response.status_code == 204 and response.content == b''
    stored = api.stored(env_id)
    assert (stored['name'], stored['tags'], stored['state']) == ('new', ['b'], 'DISABLED')


def test_put_unknown_id_creates_it_with_201_and_token(api):
    response = api.put(f'{ENVIRONMENTS}/my-env_1?createToken=true', json={'name': 'upserted'})
    assert response.status_code == 201
    assert response.json()['id'] == 'my-env_1' and response.json()['tokenManagementToken'].startswith('dt0c01.')
    assert api.get(f'{ENVIRONMENTS}/my-env_1').json()['name'] == 'upserted'


def test_put_with_an_invalid_path_id_is_400(api):
    response = api.put(f'{ENVIRONMENTS}/bad.id', json={'name': 'x'})
    assert response.status_code == 400


def test_put_with_a_different_body_id_is_400(api):
    env_id = api.create()
    assert 'id' in violations(api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'x', 'id': 'other'}))


def test_put_trap_omitted_limit_in_sent_quota_becomes_unlimited(api):
    env_id = api.create(quotas={'demUnits': {'monthlyLimit': 10, 'annualLimit': 100}, 'hostUnits': {'maxLimit': 7}})
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'team-a', 'quotas': {'demUnits': {'monthlyLimit': 5}}}).status_code == 204
    quotas = api.stored(env_id)['quotas']
    assert quotas['demUnits']['monthlyLimit'] == 5
    assert quotas['demUnits']['annualLimit'] is None  # silently unlimited
    assert quotas['hostUnits']['maxLimit'] == 7  # omitted sub-object keeps


def test_put_without_quotas_or_storage_keeps_them(api):
    env_id = api.create(quotas={'hostUnits': {'maxLimit': 7}}, storage={'transactionStorage': {'maxLimit': 99}})
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'renamed'}).status_code == 204
    stored = api.stored(env_id)
    assert stored['quotas']['hostUnits']['maxLimit'] == 7 and stored['storage']['transactionStorage']['maxLimit'] == 99


def test_put_storage_omitted_limit_keeps_and_explicit_null_clears(api):
    env_id = api.create(storage={'transactionStorage': {'maxLimit': 99}, 'sessionReplayStorage': {'maxLimit': 5}})
    body = {'name': 'team-a', 'storage': {'transactionStorage': {}, 'sessionReplayStorage': {'maxLimit': None}}}
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json=body).status_code == 204
    storage = api.stored(env_id)['storage']
    assert storage['transactionStorage']['maxLimit'] == 99
    assert storage['sessionReplayStorage']['maxLimit'] is None


def test_put_resets_omitted_basic_fields_to_defaults(api):
    env_id = api.create(tags=['keep-me'], state='DISABLED', trial=True)
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'team-a'}).status_code == 204
    stored = api.stored(env_id)
    assert (stored['tags'], stored['state'], stored['trial']) == ([], 'ENABLED', False)


def test_put_accepts_the_object_read_by_get(api):
    env_id = api.create(quotas={'hostUnits': {'maxLimit': 3}})
    current = api.get(f'{ENVIRONMENTS}/{env_id}?includeConsumptionInfo=true&includeStorageInfo=true').json()
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json=current).status_code == 204
    assert api.stored(env_id)['quotas']['hostUnits']['maxLimit'] == 3


def test_delete_enabled_is_400_with_a_clear_message(api):
    env_id = api.create()
    response = api.delete(f'{ENVIRONMENTS}/{env_id}')
    assert response.status_code == 400
    assert 'disable' in response.json()['error']['message']
    assert api.get(f'{ENVIRONMENTS}/{env_id}').status_code == 200


def test_delete_disabled_is_204_then_404(api):
    env_id = api.create(state='DISABLED')
    assert api.delete(f'{ENVIRONMENTS}/{env_id}').status_code == 204
    assert api.get(f'{ENVIRONMENTS}/{env_id}').status_code == 404
    assert api.delete(f'{ENVIRONMENTS}/{env_id}').status_code == 404


def test_token_management_token_is_201_with_a_token(api):
    env_id = api.create()
    response = api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={'name': 'tm', 'expiresIn': {'value': 1, 'unit': 'HOURS'}})
    assert response.status_code == 201
    assert api.get(f'/e/{env_id}/api/v2/apiTokens', token=response.json()['token']).status_code == 200


def test_token_management_token_rejects_a_bad_body_and_unknown_environment(api):
    env_id = api.create()
    assert 'expiresIn.unit' in violations(api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken',
                                                   json={'name': 'tm', 'expiresIn': {'value': 1, 'unit': 'YEARS'}}))
    assert 'name' in violations(api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={}))
    assert api.post(f'{ENVIRONMENTS}/nope/tokenManagementToken', json={'name': 'tm'}).status_code == 404


def test_expired_environment_token_is_401(api):
    env_id = api.create()
    response = api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={'name': 'tm', 'expiresIn': {'value': 1}})
    time.sleep(0.01)
    assert api.get(f'/e/{env_id}/api/v2/apiTokens', token=response.json()['token']).status_code == 401
