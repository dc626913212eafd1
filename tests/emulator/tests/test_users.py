"""Cluster API v1 users: create, read, list, update, delete, the 406 of a taken id, groups by id, the external
user repository (403 behind the user_repository switch), and never a password in an answer or the log."""

import hashlib
import json

import pytest

from tests.emulator.tests.helpers import assert_error

USERS = '/api/v1.0/onpremise/users'
GROUPS = '/api/v1.0/onpremise/groups'
MODE = '/api/v1.0/onpremise/userRepository/authenticationMode'
PASSWORD = 'Initial-Pa55word!'


def group_id(api, name='team'):
    response = api.post(GROUPS, json={'name': name, 'isClusterAdminGroup': False})
    assert response.status_code == 200, response.text
    return response.json()['id']


def user(user_id='ann', email=None, **fields):
    return dict({'id': user_id, 'email': email or f'{user_id}@example.com', 'firstName': 'Ann', 'lastName': 'Lee'},
                **fields)


def test_create_read_list_update_delete(api):
    team = group_id(api)
    created = api.post(USERS, json=user(groups=[team], passwordClearText=PASSWORD))
    assert created.status_code == 200, created.text
    assert created.json() == user(groups=[team])
    assert api.get(USERS + '/ann').json() == user(groups=[team])
    assert api.get(USERS).json() == [user(groups=[team])]
    updated = api.put(USERS, json=user(lastName='Smith', groups=[]))
    assert updated.status_code == 200 and updated.json() == user(lastName='Smith', groups=[])
    deleted = api.delete(USERS + '/ann')
    assert deleted.status_code == 200 and deleted.json()['id'] == 'ann'
    assert_error(api.get(USERS + '/ann'), 404, 'ann')
    assert api.get(USERS).json() == []


def test_a_taken_id_is_406_and_a_taken_email_400(api):
    assert api.post(USERS, json=user()).status_code == 200
    assert_error(api.post(USERS, json=user(email='other@example.com')), 406, 'already exists')
    assert_error(api.post(USERS, json=user('bob', email='ANN@example.com')), 400, 'email address already assigned')
    assert [entry['id'] for entry in api.handle.users()] == ['ann']


@pytest.mark.parametrize('missing', ['id', 'email', 'firstName', 'lastName'])
def test_every_required_field_must_be_set(api, missing):
    body = user()
    del body[missing]
    assert_error(api.post(USERS, json=body), 400, 'required values')


def test_groups_are_ids_and_an_unknown_one_is_refused(api):
    team = group_id(api, 'team')
    assert_error(api.post(USERS, json=user(groups=['team'])), 400, 'group ID does not exist')
    assert api.post(USERS, json=user(groups=[team])).status_code == 200
    assert api.delete(f'{GROUPS}/{team}').status_code == 200
    assert api.get(USERS + '/ann').json()['groups'] == []  # a deleted group leaves its members


def test_put_of_an_unknown_user_is_404_and_a_password_there_400(api):
    assert_error(api.put(USERS, json=user()), 404, 'ann')
    assert api.post(USERS, json=user()).status_code == 200
    assert_error(api.put(USERS, json=user(passwordClearText=PASSWORD)), 400, 'on creation only')
    assert_error(api.delete(USERS + '/nobody'), 404)


def test_a_password_is_never_answered_nor_logged(api):
    assert api.post(USERS, json=user(passwordClearText=PASSWORD)).status_code == 200
    answers = [api.get(USERS).text, api.get(USERS + '/ann').text, api.delete(USERS + '/ann').text]
    assert all(PASSWORD not in text and 'passwordClearText' not in text for text in answers)
    assert api.post(USERS, json=user(passwordClearText=PASSWORD)).status_code == 200
    (stored,) = api.handle.users()
    assert stored['passwordSha256'] == hashlib.sha256(PASSWORD.encode()).hexdigest()
    log = json.dumps(api.handle.requests())
    assert PASSWORD not in log and '"passwordClearText": "********"' in log


def test_bulk_adds_the_acceptable_users_and_answers_406_when_some_are_refused(api):
    assert api.post(USERS, json=user()).status_code == 200
    answer = api.post(USERS + '/bulk', json=[user('bob'), user('ann', email='x@example.com')])
    assert answer.status_code == 406 and [entry['id'] for entry in answer.json()] == ['bob']
    assert_error(api.post(USERS + '/bulk', json=[user('cid'), user('cid')]), 400, 'duplicated')
    assert api.post(USERS + '/bulk', json=[user('dan')]).status_code == 200


@pytest.mark.parametrize('repository, provider', [('ldap', 'LDAP'), ('sso', 'INTERNAL')])
def test_an_external_user_repository_refuses_every_user_write_and_still_reads(api, repository, provider):
    assert api.post(USERS, json=user()).status_code == 200
    assert api.get(MODE).json() == {'authenticationProvider': 'INTERNAL', 'authorizationProvider': 'INTERNAL',
                                    'ssoOnly': False}
    api.handle.configure(user_repository=repository)
    assert api.get(MODE).json()['authenticationProvider'] == provider
    for response in (api.post(USERS, json=user('bob')), api.put(USERS, json=user(lastName='X')),
                     api.delete(USERS + '/ann'), api.post(USERS + '/bulk', json=[user('cid')])):
        assert_error(response, 403, 'fully managed via LDAP or SSO')
    assert [entry['id'] for entry in api.get(USERS).json()] == ['ann']
    api.handle.reset()
    assert api.handle.config()['user_repository'] == 'internal'


def test_users_need_a_service_provider_token(api):
    token = api.handle.create_token(['ControlManagement'])
    assert_error(api.get(USERS, token=token), 403, 'ServiceProviderAPI')
