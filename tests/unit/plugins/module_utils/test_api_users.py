"""Unit tests of the Cluster API v1 user calls: paths, bodies, what 403, 404 and 406 mean, answer shapes.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import json

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import users as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok

USER = {'id': 'ann', 'email': 'ann@example.com', 'firstName': 'Ann', 'lastName': 'Lee', 'groups': ['g1']}
EXTERNAL = 'Operation forbidden - users and groups are fully managed via LDAP or SSO'


def error(status, message):
    return FakeResponse(status, json.dumps({'error': {'code': status, 'message': message}}))


def test_list_and_get_read_their_paths_and_never_keep_a_password():
    client, dummy, dummy2 = make_client([ok(json.dumps([dict(USER, passwordClearText='x')])), error(404, 'Not found'),
                                         ok(json.dumps(USER))])
    assert api.list_users(client) == [USER]
    assert api.get_user(client, 'nobody') is None
    assert api.get_user(client, 'a b/c') == USER
    urls = [call['url'] for call in client.session.calls]
    assert urls == ['https://dt.example.com/api/v1.0/onpremise/users', 'https://dt.example.com/api/v1.0/onpremise/users/nobody',
                    'https://dt.example.com/api/v1.0/onpremise/users/a%20b%2Fc']


@pytest.mark.parametrize('body, words', [('{"users": []}', 'is not a list'), ('[{"email": "x"}]', 'a user with an "id"')])
def test_an_odd_user_list_fails_clearly(body, words):
    client, dummy, dummy2 = make_client([ok(body)])
    with pytest.raises(DynatraceError, match=words):
        api.list_users(client)


@pytest.mark.parametrize('call', [
    lambda client: api.create_user(client, dict(USER, passwordClearText='secret-pw')),
    lambda client: api.update_user(client, USER),
    lambda client: api.delete_user(client, 'ann'),
])
def test_a_403_of_an_external_repository_is_the_one_message_without_the_scope_hint(call):
    client, dummy, dummy2 = make_client([error(403, EXTERNAL)])
    with pytest.raises(api.ExternalUsersError) as caught:
        call(client)
    assert str(caught.value).startswith(api.EXTERNAL_USERS) and 'needs the scope' not in str(caught.value)
    assert 'secret-pw' not in str(caught.value) and caught.value.status == 403


def test_a_403_for_a_missing_scope_stays_a_scope_error():
    client, dummy, dummy2 = make_client([error(403, 'Token is missing required scope. Use one of: ServiceProviderAPI')])
    with pytest.raises(DynatraceError) as caught:
        api.update_user(client, USER)
    assert not isinstance(caught.value, api.ExternalUsersError) and 'ServiceProviderAPI' in str(caught.value)


def test_create_406_is_a_taken_id_and_an_answer_never_carries_the_password():
    client, dummy, dummy2 = make_client([error(406, 'user ID already exists'), ok(json.dumps(USER))])
    with pytest.raises(api.UserIdTakenError):
        api.create_user(client, USER)
    assert api.create_user(client, dict(USER, passwordClearText='pw')) == USER
    assert client.session.calls[1]['json'] == dict(USER, passwordClearText='pw')  # sent on the create, as given


def test_delete_404_is_false_and_the_mode_read_tells_ldap():
    mode = {'authenticationProvider': 'LDAP', 'authorizationProvider': 'LDAP', 'ssoOnly': False}
    client, dummy, dummy2 = make_client([error(404, 'Not found'), ok(json.dumps(mode)),
                                         ok(json.dumps(dict(mode, authenticationProvider='INTERNAL',
                                                            authorizationProvider='INTERNAL'))),
                                         error(404, 'Not found')])
    assert api.delete_user(client, 'ann') is False
    assert api.users_are_external(client) is True
    assert api.users_are_external(client) is False
    assert api.users_are_external(client) is None
