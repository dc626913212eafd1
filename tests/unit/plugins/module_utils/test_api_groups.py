"""Unit tests of the Cluster API v1 group calls: paths, bodies, what 404, 406 and 400 mean, answer shapes.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import json

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok

GROUP = {'id': 'g1', 'name': 'team', 'isClusterAdminGroup': False, 'accessRight': {}}


def error(status, message):
    return FakeResponse(status, json.dumps({'error': {'code': status, 'message': message}}))


def test_list_groups_reads_one_path_and_checks_every_group():
    client, dummy, dummy2 = make_client([ok(json.dumps([GROUP]))])
    assert api.list_groups(client) == [GROUP]
    (call,) = client.session.calls
    assert call['method'] == 'GET' and call['url'] == 'https://dt.example.com/api/v1.0/onpremise/groups'


@pytest.mark.parametrize('body, words', [
    ('{"groups": []}', 'is not a list'),
    ('[{"name": "no id"}]', 'a group with an "id"'),
    ('[null]', 'holds nothing'),
])
def test_an_odd_group_list_fails_clearly(body, words):
    client, dummy, dummy2 = make_client([ok(body)])
    with pytest.raises(DynatraceError, match=words):
        api.list_groups(client)


def test_create_posts_the_body_and_406_means_the_name_is_taken():
    client, dummy, dummy2 = make_client([ok(json.dumps(GROUP)), error(406, 'Not acceptable. Group already exists')])
    assert api.create_group(client, {'name': 'team', 'isClusterAdminGroup': False}) == GROUP
    assert client.session.calls[0]['json'] == {'name': 'team', 'isClusterAdminGroup': False}
    with pytest.raises(api.GroupNameTakenError) as caught:
        api.create_group(client, {'name': 'team'})
    assert caught.value.status == 406 and "'team' exists already" in str(caught.value)


def test_create_with_an_empty_answer_is_none_and_a_lost_answer_is_never_resent():
    client, dummy, dummy2 = make_client([ok(''), requests.exceptions.ReadTimeout('Read timed out'), ok('{}')])
    assert api.create_group(client, {'name': 'team'}) is None
    with pytest.raises(ResponseLostError):
        api.create_group(client, {'name': 'team'})
    assert len(client.session.calls) == 2


def test_update_puts_the_whole_group_and_406_says_it_is_gone():
    client, dummy, dummy2 = make_client([ok(json.dumps(GROUP)), error(406, 'group not found')])
    assert api.update_group(client, GROUP) == GROUP
    assert client.session.calls[0]['method'] == 'PUT' and client.session.calls[0]['json'] == GROUP
    with pytest.raises(DynatraceError) as caught:
        api.update_group(client, GROUP)
    assert 'deleted or renamed after it was read' in str(caught.value) and caught.value.status == 406


def test_update_is_retried_on_a_transient_failure():
    client, sleeps, dummy = make_client([FakeResponse(503, ''), ok(json.dumps(GROUP))])
    assert api.update_group(client, GROUP) == GROUP and len(sleeps) == 1


@pytest.mark.parametrize('answer, deleted', [
    (ok(json.dumps(GROUP)), True),
    (error(404, 'missing'), False),
    (error(400, 'Not Found: group g1 does not exist.'), False),
])
def test_delete_tells_whether_it_deleted(answer, deleted):
    client, dummy, dummy2 = make_client([answer])
    assert api.delete_group(client, 'g1') is deleted
    assert client.session.calls[0]['method'] == 'DELETE'


def test_delete_other_400_raises():
    client, dummy, dummy2 = make_client([error(400, 'Bad request')])
    with pytest.raises(DynatraceError):
        api.delete_group(client, 'g1')
