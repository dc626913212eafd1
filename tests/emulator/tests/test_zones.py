"""Management zones in environments, and /groups/managementZones under both readings of a PUT."""

import time

import pytest

from tests.emulator.tests.helpers import Api, assert_error, violations

GROUPS = '/api/v1.0/onpremise/groups'
ZONES = f'{GROUPS}/managementZones'


@pytest.fixture
def setup(api):
    prod, dev = api.create('prod'), api.create('dev')
    group = api.post(GROUPS, json={'name': 'team', 'isClusterAdminGroup': False}).json()
    zones = {name: api.handle.create_zone(prod, name) for name in ('payments', 'checkout')}
    zones['dev-all'] = api.handle.create_zone(dev, 'dev-all')
    return api, prod, dev, group['id'], zones


def body(group_id, *entries):
    """entries: (environment id, [(zone id, [permissions])])."""
    return {'groupId': group_id, 'mzPermissionsPerEnvironment': [
        {'environmentUuid': env, 'mzPermissions': [{'mzId': z, 'permissions': p} for z, p in zones]}
        for env, zones in entries]}


def held(api, group_id):
    """{(environment, zone): permissions} of the group, read with the cluster token."""
    answer = api.get(f'{ZONES}/{group_id}').json()
    return {(e['environmentUuid'], z['mzId']): z['permissions']
            for e in answer['mzPermissionsPerEnvironment'] for z in e['mzPermissions']}


def test_zones_are_listed_with_legacy_ids_by_config_api_and_by_name_in_settings(setup):
    api, prod, _dev, _group, zones = setup
    read_config = api.env_token(prod, 'ReadConfig')
    listing = api.get(f'/e/{prod}/api/config/v1/managementZones', token=read_config).json()
    assert listing == {'values': [{'id': zones['payments'], 'name': 'payments'},
                                  {'id': zones['checkout'], 'name': 'checkout'}]}
    assert all(int(zone['id']) for zone in listing['values'])  # numeric, as strings
    settings = api.get(f'/e/{prod}/api/v2/settings/objects', token=api.env_token(prod, 'settings.read'),
                       params={'schemaIds': 'builtin:management-zones'}).json()
    assert [item['value']['name'] for item in settings['items']] == ['payments', 'checkout']
    assert not {item['objectId'] for item in settings['items']} & set(zones.values())
    assert_error(api.get(f'/e/{prod}/api/config/v1/managementZones'), 401)  # the cluster token cannot read inside
    assert_error(api.get(f'/e/{prod}/api/config/v1/managementZones', token=api.env_token(prod, 'DataExport')), 403,
                 'ReadConfig')


def test_a_put_changes_the_zones_it_names_and_keeps_the_others(setup):
    api, prod, dev, group_id, zones = setup
    first = body(group_id, (prod, [(zones['payments'], ['VIEWER', 'LOG_VIEWER'])]), (dev, [(zones['dev-all'], ['VIEWER'])]))
    assert api.put(ZONES, json=first).status_code == 200
    assert api.put(ZONES, json=body(group_id, (prod, [(zones['checkout'], ['MANAGE_SETTINGS'])]))).status_code == 200
    assert held(api, group_id) == {
        (prod, zones['payments']): ['LOG_VIEWER', 'VIEWER', 'VIEW_SECURITY_PROBLEMS'],  # added next to VIEWER
        (prod, zones['checkout']): ['MANAGE_SETTINGS'], (dev, zones['dev-all']): ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    assert api.put(ZONES, json=body(group_id, (prod, [(zones['payments'], [])]))).status_code == 200
    assert set(held(api, group_id)) == {(prod, zones['checkout']), (dev, zones['dev-all'])}
    assert api.get(ZONES).json() == [api.get(f'{ZONES}/{group_id}').json()]


def test_whole_group_replacement_behind_a_switch(setup):
    api, prod, dev, group_id, zones = setup
    api.handle.configure(zone_permissions_replace=True, zone_implied_view_security_problems=False)
    api.put(ZONES, json=body(group_id, (prod, [(zones['payments'], ['VIEWER'])]), (dev, [(zones['dev-all'], ['VIEWER'])])))
    api.put(ZONES, json=body(group_id, (prod, [(zones['checkout'], ['LOG_VIEWER'])])))
    assert held(api, group_id) == {(prod, zones['checkout']): ['LOG_VIEWER']}


def test_real_error_texts(setup):
    api, prod, _dev, group_id, zones = setup
    assert_error(api.put(ZONES, json=body(group_id, ('nope', [(zones['payments'], ['VIEWER'])]))), 404,
                 "Environment with UUID nope doesn't exist")
    assert_error(api.put(ZONES, json=body(group_id, (prod, [('-42', ['VIEWER'])]))), 404,
                 f"Management zone with ID -42 doesn't exist within environment {prod}")
    assert_error(api.put(ZONES, json=body('nope', (prod, [(zones['payments'], ['VIEWER'])]))), 404, 'nope')
    found = violations(api.put(ZONES, json=body(group_id, (prod, [(zones['payments'], ['VIEWER', 'NOT_A_RIGHT'])]))))
    assert 'NOT_A_RIGHT' in found['permissions'] and 'VIEWER' not in found['permissions']
    assert api.put(ZONES, json={'groupId': group_id}).status_code == 400
    assert held(api, group_id) == {}


def test_a_new_zone_is_unknown_to_the_permission_api_for_a_while(setup):
    api, prod, _dev, group_id, _zones = setup
    api.handle.configure(zone_visibility_delay_ms=1500)
    fresh = api.handle.create_zone(prod, 'fresh')
    assert_error(api.put(ZONES, json=body(group_id, (prod, [(fresh, ['VIEWER'])]))), 404, fresh)
    time.sleep(1.6)
    assert api.put(ZONES, json=body(group_id, (prod, [(fresh, ['VIEWER'])]))).status_code == 200


def test_zone_names_are_unique_unless_a_test_asks_and_deleting_the_environment_drops_them(setup):
    api, prod, _dev, group_id, zones = setup
    with pytest.raises(Exception):
        api.handle.create_zone(prod, 'payments')
    twin = api.handle.create_zone(prod, 'payments', duplicate_name=True)
    assert [z['id'] for z in api.handle.zones(prod)[prod] if z['name'] == 'payments'] == [zones['payments'], twin]
    api.put(ZONES, json=body(group_id, (prod, [(zones['payments'], ['VIEWER'])])))
    api.put(f'/api/cluster/v2/environments/{prod}', json={'name': 'prod', 'state': 'DISABLED'})
    assert api.delete(f'/api/cluster/v2/environments/{prod}').status_code == 204
    assert prod not in api.handle.zones() and held(api, group_id) == {}


def test_zones_survive_a_restart_with_the_state_file(emulator_factory, tmp_path):
    state_file = str(tmp_path / 'state.json')
    api = Api(emulator_factory(state_file=state_file))
    env_id = api.create('kept')
    api.handle.create_zone(env_id, 'kept-zone')
    before = api.handle.zones()
    api.handle.stop()
    assert Api(emulator_factory(state_file=state_file)).handle.zones() == before
    assert [zone['name'] for zone in before[env_id]] == ['kept-zone']


def test_the_switches_are_command_line_options():
    from tests.emulator.__main__ import parse_arguments, start_options  # pylint: disable=import-outside-toplevel
    settings = start_options(parse_arguments(['--zone-permissions-replace', 'yes', '--zone-implied-view-security-problems',
                                              'no', '--zone-visibility-delay-ms', '60000'])).settings
    assert settings.zone_permissions_replace and not settings.zone_implied_view_security_problems
    assert settings.zone_visibility_delay_ms == 60000
    assert not start_options(parse_arguments([])).settings.zone_permissions_replace
