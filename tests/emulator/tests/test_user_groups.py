"""Cluster API v1 user groups: the rules clients depend on, and the preempt fault that plays a race."""

import pytest

from tests.emulator.tests.helpers import ENVIRONMENTS, assert_error

GROUPS = '/api/v1.0/onpremise/groups'


def new_group(api, name='team-viewers', **fields):
    response = api.post(GROUPS, json={'name': name, 'isClusterAdminGroup': False, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def test_create_answers_the_stored_group_and_a_duplicate_name_is_406_without_case(api):
    created = new_group(api, ldapGroupNames=['cn=b', 'cn=a', 'cn=a'])
    assert created['id'] and created['ldapGroupNames'] == ['cn=a', 'cn=b'] and created['accessRight'] == {}
    assert_error(api.post(GROUPS, json={'name': 'TEAM-Viewers', 'isClusterAdminGroup': False}), 406, 'already exists')
    assert [group['name'] for group in api.handle.groups()] == ['team-viewers']


def test_create_with_an_id_or_without_a_name_is_a_400(api):
    assert_error(api.post(GROUPS, json={'id': 'x', 'name': 'a', 'isClusterAdminGroup': False}), 400, 'cannot be set')
    assert_error(api.post(GROUPS, json={'name': ' ', 'isClusterAdminGroup': False}), 400, 'cannot be null or empty')
    assert api.handle.groups() == []


def test_an_unknown_environment_id_is_a_400_and_nothing_is_stored(api):
    env_id = api.create('prod')
    response = api.post(GROUPS, json={'name': 'g', 'isClusterAdminGroup': False,
                                      'accessRight': {'MANAGE_SETTINGS': [env_id, 'no-such-env']}})
    assert_error(response, 400, "At least one of the specified environments doesn't exist")
    assert api.handle.groups() == []


def test_the_server_adds_viewer_and_view_security_problems_for_every_environment_with_a_permission(api):
    one, two = api.create('one'), api.create('two')
    created = new_group(api, accessRight={'MANAGE_SETTINGS': [one], 'LOG_VIEWER': [two]})
    assert created['accessRight'] == {'LOG_VIEWER': [two], 'MANAGE_SETTINGS': [one], 'VIEWER': sorted([one, two]),
                                      'VIEW_SECURITY_PROBLEMS': sorted([one, two])}


def test_view_security_problems_is_not_added_when_switched_off(api):
    api.handle.configure(implied_view_security_problems=False)
    env_id = api.create('one')
    assert new_group(api, accessRight={'AGENT_INSTALL': [env_id]})['accessRight'] == {
        'AGENT_INSTALL': [env_id], 'VIEWER': [env_id]}


def test_put_replaces_the_whole_group_and_write_only_roles_must_be_sent_again(api):
    env_id = api.create('one')
    created = new_group(api, ldapGroupNames=['cn=team'], isManageAccount=True, accessRight={'VIEWER': [env_id]})
    assert created['hasManageAccountAndViewProductNewsRoles'] is True
    response = api.put(GROUPS, json={'id': created['id'], 'name': 'team-viewers', 'isClusterAdminGroup': False})
    assert response.status_code == 200, response.text
    (stored,) = api.handle.groups()
    assert stored['ldapGroupNames'] == [] and stored['accessRight'] == {}
    assert stored['hasManageAccountAndViewProductNewsRoles'] is False


def test_put_of_an_unknown_id_is_406_and_get_of_one_is_404(api):
    assert_error(api.put(GROUPS, json={'id': 'gone', 'name': 'x', 'isClusterAdminGroup': False}), 406, 'not found')
    assert api.get(GROUPS + '/gone').status_code == 404


def test_delete_answers_the_group_and_an_unknown_id_is_a_400(api):
    created = new_group(api)
    response = api.delete(GROUPS + '/' + created['id'])
    assert response.status_code == 200 and response.json()['name'] == 'team-viewers'
    assert_error(api.delete(GROUPS + '/' + created['id']), 400, 'Not Found')


def test_deleting_an_environment_drops_it_from_every_group(api):
    one, two = api.create('one'), api.create('two')
    new_group(api, accessRight={'MANAGE_SETTINGS': [one, two]})
    assert api.put(ENVIRONMENTS + '/' + one, json={'name': 'one', 'state': 'DISABLED'}).status_code == 204
    assert api.delete(ENVIRONMENTS + '/' + one).status_code == 204
    (stored,) = api.handle.groups()
    assert stored['accessRight'] == {'MANAGE_SETTINGS': [two], 'VIEWER': [two], 'VIEW_SECURITY_PROBLEMS': [two]}


def test_preempt_fault_lets_another_clients_create_in_first_unlogged(api):
    api.handle.add_fault(method='POST', path=GROUPS, action='preempt',
                         body='{"name": "shared", "isClusterAdminGroup": false, "ldapGroupNames": ["cn=other"]}')
    assert api.get(GROUPS).json() == []
    assert_error(api.post(GROUPS, json={'name': 'shared', 'isClusterAdminGroup': False}), 406, 'already exists')
    (stored,) = api.handle.groups()
    assert stored['ldapGroupNames'] == ['cn=other']
    assert [(entry['method'], entry['status']) for entry in api.handle.requests()] == [('GET', 200), ('POST', 406)]
    assert new_group(api, 'next')['name'] == 'next'  # the fault was used up


def test_preempt_fault_needs_a_body(api):
    with pytest.raises(Exception, match='400'):
        api.handle.add_fault(method='POST', path=GROUPS, action='preempt')
