"""Cluster API v1 user groups: create, read, replace, delete, implied permissions (zones: test_zones.py)."""

import pytest
import requests

from tests.emulator.tests.helpers import ENVIRONMENTS, Api, assert_error

GROUPS = '/api/v1.0/onpremise/groups'
READ_FIELDS = {'id', 'name', 'isClusterAdminGroup', 'isAccessAccount', 'isManageAccount',
               'ldapGroupNames', 'ssoGroupNames', 'accessRight'}
SPEC2021_FIELDS = READ_FIELDS - {'isAccessAccount', 'isManageAccount'} | {
    'hasAccessAccountRole', 'hasManageAccountAndViewProductUsageRole'}


def group(name='team-viewers', **fields):
    return {'name': name, 'isClusterAdminGroup': False, **fields}


@pytest.fixture
def envs(api):
    return api, api.create('prod'), api.create('dev')


def test_create_adds_implied_permissions_and_reads_back_the_server_shape(envs):
    api, prod, dev = envs
    assert api.get(GROUPS).json() == []
    body = group(accessRight={'MANAGE_SETTINGS': [prod], 'LOG_VIEWER': [dev, prod]}, ldapGroupNames=['cn=b', 'cn=a', 'cn=a'],
                 isManageAccount=True, isAccessAccount=True)
    response = api.post(GROUPS, json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == READ_FIELDS and created['id']
    assert created['accessRight'] == {'LOG_VIEWER': sorted([dev, prod]), 'MANAGE_SETTINGS': [prod],
                                      'VIEWER': sorted([dev, prod]), 'VIEW_SECURITY_PROBLEMS': sorted([dev, prod])}
    assert created['ldapGroupNames'] == ['cn=a', 'cn=b'] and created['ssoGroupNames'] == []
    assert created['isManageAccount'] is True and created['isAccessAccount'] is True
    assert api.get(f'{GROUPS}/{created["id"]}').json() == created
    assert api.get(GROUPS).json() == [created]


def test_the_2021_read_model_answers_the_account_flags_in_the_has_fields(envs):
    api, prod, _dev = envs
    api.handle.configure(group_read_model='spec2021')
    created = api.post(GROUPS, json=group(isManageAccount=True, isAccessAccount=False)).json()
    assert set(created) == SPEC2021_FIELDS
    assert created['hasManageAccountAndViewProductUsageRole'] is True and created['hasAccessAccountRole'] is False
    assert api.get(GROUPS).json() == [created]


def test_capture_data_brings_manage_settings_and_support_tickets_is_a_permission(envs):
    api, prod, dev = envs
    created = api.post(GROUPS, json=group(accessRight={'CONFIGURE_REQUEST_CAPTURE_DATA': [prod],
                                                       'MANAGE_SUPPORT_TICKETS': [dev]})).json()
    assert created['accessRight']['MANAGE_SETTINGS'] == [prod]
    assert created['accessRight']['MANAGE_SUPPORT_TICKETS'] == [dev]


def test_group_names_compared_with_case_under_the_switch(envs):
    api, _prod, _dev = envs
    assert api.post(GROUPS, json=group(name='Team')).status_code == 200
    assert api.post(GROUPS, json=group(name='team')).status_code == 406
    api.handle.configure(group_names_ignore_case=False)
    assert api.post(GROUPS, json=group(name='team')).status_code == 200


def test_implied_view_security_problems_can_be_switched_off(envs):
    api, prod, _dev = envs
    api.handle.configure(implied_view_security_problems=False)
    created = api.post(GROUPS, json=group(accessRight={'AGENT_INSTALL': [prod]})).json()
    assert created['accessRight'] == {'AGENT_INSTALL': [prod], 'VIEWER': [prod]}


@pytest.mark.parametrize('body, status, words', [
    (group(id='chosen'), 400, ['Group ID cannot be set']),
    (group(name=''), 400, ['name cannot be null or empty']),
    ({'name': 'x'}, 400, ['Constraints violated']),  # isClusterAdminGroup is required
    (group(accessRight={'VIEWER': ['no-such-env']}), 400, ["At least one of the specified environments doesn't exist"]),
    (group(accessRight={'SUPERUSER': []}), 400, ['Could not map JSON at \'accessRight["SUPERUSER"]\'']),
    (group(color='red'), 400, ['Constraints violated']),
])
def test_create_refusals_create_nothing(envs, body, status, words):
    api = envs[0]
    assert_error(api.post(GROUPS, json=body), status, *words)
    assert api.get(GROUPS).json() == []


def test_create_with_an_existing_name_is_406(envs):
    api = envs[0]
    assert api.post(GROUPS, json=group('Team-Viewers')).status_code == 200
    assert_error(api.post(GROUPS, json=group('team-viewers')), 406, 'already exists')
    assert len(api.get(GROUPS).json()) == 1


def test_put_replaces_the_whole_group(envs):
    api, prod, dev = envs
    created = api.post(GROUPS, json=group(accessRight={'MANAGE_SETTINGS': [prod]}, ssoGroupNames=['sso-a'])).json()
    update = group(id=created['id'], name='renamed', accessRight={'VIEWER': [dev]})
    response = api.put(GROUPS, json=update)
    assert response.status_code == 200
    assert response.json()['accessRight'] == {'VIEWER': [dev], 'VIEW_SECURITY_PROBLEMS': [dev]}
    assert response.json()['ssoGroupNames'] == [] and response.json()['name'] == 'renamed'
    assert api.put(GROUPS, json=dict(created, name='renamed')).status_code == 200  # a read group goes back as it is


def test_put_refusals(envs):
    api, prod, _dev = envs
    first = api.post(GROUPS, json=group('first')).json()
    api.post(GROUPS, json=group('second'))
    assert_error(api.put(GROUPS, json=group('first')), 400, 'Group ID is not set')
    assert_error(api.put(GROUPS, json=group('ghost', id='no-such-group')), 406, 'Not Acceptable')
    assert_error(api.put(GROUPS, json=group('SECOND', id=first['id'])), 400, 'already exists')
    assert_error(api.put(GROUPS, json=group('first', id=first['id'], accessRight={'VIEWER': [prod, 'x']})), 400,
                 "environments doesn't exist")
    assert api.get(f'{GROUPS}/{first["id"]}').json() == first


def test_get_and_delete(envs):
    api = envs[0]
    assert_error(api.get(f'{GROUPS}/no-such-group'), 404)
    created = api.post(GROUPS, json=group()).json()
    response = api.delete(f'{GROUPS}/{created["id"]}')
    assert response.status_code == 200 and response.json() == created
    assert_error(api.delete(f'{GROUPS}/{created["id"]}'), 400, 'Not Found')
    assert api.get(GROUPS).json() == []


def test_deleting_an_environment_removes_it_from_every_group(envs):
    api, prod, dev = envs
    created = api.post(GROUPS, json=group(accessRight={'MANAGE_SETTINGS': [prod], 'VIEWER': [dev]})).json()
    api.put(f'{ENVIRONMENTS}/{prod}', json={'name': 'prod', 'state': 'DISABLED'})
    assert api.delete(f'{ENVIRONMENTS}/{prod}').status_code == 204
    assert api.get(f'{GROUPS}/{created["id"]}').json()['accessRight'] == {'VIEWER': [dev], 'VIEW_SECURITY_PROBLEMS': [dev]}


def test_groups_need_a_cluster_token_with_service_provider_api(envs):
    api, prod, _dev = envs
    env_token = api.env_token(prod, 'DataExport')
    assert_error(api.get(GROUPS, token=env_token), 401)
    only_tokens = api.handle.create_token(['ClusterTokenManagement'])
    assert_error(api.post(GROUPS, token=only_tokens, json=group()), 403, 'ServiceProviderAPI')


def test_groups_are_logged_and_faulted_like_the_rest(envs):
    api = envs[0]
    api.handle.clear_requests()
    api.handle.add_fault(method='POST', path=GROUPS, action='drop_after_commit')
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post(GROUPS, json=group('lost-answer'))
    assert_error(api.post(GROUPS, json=group('lost-answer')), 406)  # it was created: a retry must adopt it
    assert [(entry['method'], entry['path'], entry['status']) for entry in api.handle.requests()] == [
        ('POST', GROUPS, None), ('POST', GROUPS, 406)]  # None: the answer never left


def test_groups_survive_a_restart_with_the_state_file(emulator_factory, tmp_path):
    state_file = str(tmp_path / 'state.json')
    api = Api(emulator_factory(state_file=state_file))
    env_id = api.create('kept')
    created = api.post(GROUPS, json=group(accessRight={'VIEWER': [env_id]})).json()
    api.handle.stop()
    assert Api(emulator_factory(state_file=state_file)).get(f'{GROUPS}/{created["id"]}').json() == created
