"""User groups beyond test_groups.py: write-only roles, GET /_emulator/groups, and the preempt fault that plays a race."""

import pytest

from tests.emulator.tests.helpers import assert_error

GROUPS = '/api/v1.0/onpremise/groups'


def new_group(api, name='team-viewers', **fields):
    response = api.post(GROUPS, json={'name': name, 'isClusterAdminGroup': False, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def test_put_replaces_the_whole_group_and_write_only_roles_must_be_sent_again(api):
    env_id = api.create('one')
    created = new_group(api, ldapGroupNames=['cn=team'], isManageAccount=True, accessRight={'VIEWER': [env_id]})
    assert created['isManageAccount'] is True
    response = api.put(GROUPS, json={'id': created['id'], 'name': 'team-viewers', 'isClusterAdminGroup': False})
    assert response.status_code == 200, response.text
    (stored,) = api.handle.groups()
    assert stored['ldapGroupNames'] == [] and stored['accessRight'] == {}
    assert stored['isManageAccount'] is False


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


def test_the_control_api_lists_the_stored_groups_without_logging(api):
    created = new_group(api, ssoGroupNames=['sso'])
    api.handle.clear_requests()
    assert api.handle.groups() == [created] and api.handle.requests() == []
