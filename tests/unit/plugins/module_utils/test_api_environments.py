"""Unit tests of the Cluster API v2 environment calls: bodies, parameters, 404 as absent, POST retry rules.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok


@pytest.mark.parametrize('status', [429, 503, 556])
def test_post_is_retried_when_the_server_did_not_act(status):
    client, dummy, dummy2 = make_client([FakeResponse(status, ''), ok('{"id": "e1"}', 201)])
    assert api.create_environment(client, {'name': 'a'}, create_token=False) == ('e1', None)
    assert len(client.session.calls) == 2


def test_post_is_retried_when_the_connection_was_refused():
    refused = requests.exceptions.ConnectionError('NewConnectionError: [Errno 111] Connection refused')
    client, dummy, dummy2 = make_client([refused, ok('{"id": "e1", "tokenManagementToken": "t"}', 201)])
    assert api.create_environment(client, {'name': 'a'}, create_token=True) == ('e1', 't')
    assert client.session.calls[1]['params'] == {'createToken': 'true'}


@pytest.mark.parametrize('failure', [
    requests.exceptions.ReadTimeout('Read timed out'),
    requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected'),
    FakeResponse(502, '<html><title>Bad Gateway</title></html>', {'Content-Type': 'text/html'}),
    FakeResponse(504, ''),
])
def test_post_whose_outcome_is_unknown_is_never_resent(failure):
    client, dummy, dummy2 = make_client([failure, ok('{"id": "dup"}', 201)])
    with pytest.raises(ResponseLostError):
        api.create_environment(client, {'name': 'a'}, create_token=False)
    assert len(client.session.calls) == 1


def test_post_400_is_not_retried_and_carries_violations():
    body = '{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": ' \
           '[{"path": "quotas.demUnits", "message": "Cannot set DEM units quota."}]}}'
    client, dummy, dummy2 = make_client([FakeResponse(400, body)])
    with pytest.raises(DynatraceError) as caught:
        api.create_environment(client, {'name': 'a'}, create_token=False)
    assert caught.value.violations == [('quotas.demUnits', 'Cannot set DEM units quota.')]
    assert 'quotas.demUnits: Cannot set DEM units quota.' in str(caught.value)


def test_location_header_gives_the_id_when_the_body_has_none():
    client, dummy, dummy2 = make_client([ok('', 201, {'Location': 'https://dt/api/cluster/v2/environments/abc'})])
    assert api.create_environment(client, {'name': 'a'}, create_token=False) == ('abc', None)


@pytest.mark.parametrize('status, scope', [(401, 'ServiceProviderAPI'), (403, 'ServiceProviderAPI')])
def test_auth_failures_name_the_scope(status, scope):
    client, dummy, dummy2 = make_client([FakeResponse(status, '{"error": {"code": %d, "message": "Token is invalid"}}' % status)])
    with pytest.raises(DynatraceError) as caught:
        api.list_environments(client)
    assert scope in str(caught.value) and caught.value.status == status


def test_pagination_follows_next_page_key_and_sends_nothing_else_with_it():
    pages = [ok('{"totalCount": 3, "nextPageKey": "K1", "environments": [{"id": "a", "storage": {}}]}'),
             ok('{"totalCount": 3, "nextPageKey": "K2", "environments": [{"id": "b", "storage": {}}]}'),
             ok('{"totalCount": 3, "nextPageKey": null, "environments": [{"id": "c", "storage": {}}]}')]
    client, dummy, dummy2 = make_client(pages)
    environments, total = api.list_environments(client, filter_expression='name(x)', include_storage=True, sort='name')
    assert [e['id'] for e in environments] == ['a', 'b', 'c'] and total == 3
    calls = client.session.calls
    assert calls[0]['params'] == {'pageSize': 1000, 'sort': 'name', 'filter': 'name(x)', 'includeStorageInfo': 'true'}
    assert calls[1]['params'] == {'nextPageKey': 'K1'} and calls[2]['params'] == {'nextPageKey': 'K2'}


def test_a_later_page_without_the_asked_sections_is_completed_environment_by_environment():
    # A nextPageKey that does not carry the include flags: page 2 comes without quotas and storage.
    pages = [ok('{"nextPageKey": "K1", "environments": [{"id": "a", "quotas": {}, "storage": {}}]}'),
             ok('{"nextPageKey": null, "environments": [{"id": "b"}, {"id": "gone"}]}'),
             ok('{"id": "b", "quotas": {"hostUnits": {"maxLimit": 5}}, "storage": {}}'),
             FakeResponse(404, '{"error": {"code": 404, "message": "not found"}}')]
    client, dummy, dummy2 = make_client(pages)
    environments, dummy3 = api.list_environments(client, include_consumption=True, include_storage=True)
    assert environments == [{'id': 'a', 'quotas': {}, 'storage': {}},
                            {'id': 'b', 'quotas': {'hostUnits': {'maxLimit': 5}}, 'storage': {}}]
    calls = client.session.calls
    assert [call['url'].rsplit('/', 1)[-1] for call in calls] == ['environments', 'environments', 'b', 'gone']
    assert calls[2]['params'] == {'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}


def test_pages_that_carry_the_asked_sections_cost_no_extra_request():
    pages = [ok('{"nextPageKey": "K1", "environments": [{"id": "a", "quotas": {}}]}'),
             ok('{"nextPageKey": null, "environments": [{"id": "b", "quotas": null}]}')]
    client, dummy, dummy2 = make_client(pages)
    environments, dummy3 = api.list_environments(client, include_consumption=True)
    assert [e['id'] for e in environments] == ['a', 'b'] and len(client.session.calls) == 2


def test_uncached_consumption_wins_over_cached():
    client, dummy, dummy2 = make_client([ok('{"environments": []}')])
    api.list_environments(client, include_consumption=True, uncached_consumption=True)
    assert client.session.calls[0]['params'] == {'pageSize': 1000, 'includeUncachedConsumptionInfo': 'true'}


def test_get_404_is_none_and_delete_404_is_false():
    client, dummy, dummy2 = make_client([FakeResponse(404, '{"error": {"code": 404, "message": "not found"}}'),
                                         FakeResponse(404, '{"error": {"code": 404, "message": "not found"}}'),
                                         FakeResponse(204, '')])
    assert api.get_environment(client, 'nope') is None
    assert api.delete_environment(client, 'nope') is False
    assert api.delete_environment(client, 'yes') is True


def test_environment_ids_are_escaped_in_paths():
    assert api.environment_path('a/b c') == '/api/cluster/v2/environments/a%2Fb%20c'


def test_get_environment_asks_for_uncached_consumption_and_storage():
    client, dummy, dummy2 = make_client([ok('{"id": "e"}')])
    api.get_environment(client, 'e', include_consumption=True, include_storage=True, uncached_consumption=True)
    assert client.session.calls[0]['params'] == {'includeUncachedConsumptionInfo': 'true', 'includeStorageInfo': 'true'}


DPS_REFUSAL = FakeResponse(422, '{"error": {"code": 422, "message": "Consumption info not available"}}')


@pytest.mark.parametrize('call', [
    lambda client: api.list_environments(client, include_consumption=True),
    lambda client: api.get_environment(client, 'e', uncached_consumption=True),
])
def test_dps_422_on_consumption_explains_what_to_do_once_for_every_caller(call):
    client, dummy, dummy2 = make_client([DPS_REFUSAL])
    with pytest.raises(DynatraceError) as raised:
        call(client)
    text = str(raised.value)
    assert 'Dynatrace Platform Subscription (DPS)' in text and 'include_consumption' in text
    assert 'remove the quotas option' in text
    assert 'Consumption info not available' in text and raised.value.status == 422


def test_422_without_consumption_is_left_alone():
    client, dummy, dummy2 = make_client([DPS_REFUSAL])
    with pytest.raises(DynatraceError) as raised:
        api.list_environments(client, include_storage=True)
    assert 'DPS' not in str(raised.value) and raised.value.status == 422


# ------------------------------------------------------------------------------------------------
# Answers of the wrong shape: a clear error, never an AttributeError or an absent environment

@pytest.mark.parametrize('body, shape', [
    ('[]', 'a list'), ('[{"id": "e"}]', 'a list'), ('"e"', 'a str'), ('', 'nothing'), ('{"name": "x"}', 'without an "id"'),
])
def test_get_environment_of_the_wrong_shape_is_an_error_not_an_absent_environment(body, shape):
    client, dummy, dummy2 = make_client([ok(body)])
    with pytest.raises(DynatraceError, match=shape) as caught:
        api.get_environment(client, 'e')
    assert caught.value.status == 200 and caught.value.path == '/api/cluster/v2/environments/e'


@pytest.mark.parametrize('entry', ['"e"', '[]', 'null', '{"name": "no id"}'])
def test_a_listing_entry_that_is_no_environment_is_an_error(entry):
    client, dummy, dummy2 = make_client([ok('{"environments": [{"id": "a", "name": "a"}, %s]}' % entry)])
    with pytest.raises(DynatraceError, match='environment'):
        api.list_environments(client)


def test_a_repeated_next_page_key_of_the_environment_list_stops_after_two_requests():
    page = ok('{"totalCount": 3, "nextPageKey": "K1", "environments": [{"id": "a"}]}')
    client, dummy, dummy2 = make_client([page, page, page])
    with pytest.raises(DynatraceError, match='same nextPageKey twice'):
        api.list_environments(client)
    assert len(client.session.calls) == 2


# ------------------------------------------------------------------------------------------------
# Creating with PUT under an id

ID_VIOLATION = ('{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": [{"path": "id", '
                '"message": "must not be the ID of a deleted environment", "parameterLocation": "PATH"}]}}')
BODY_VIOLATION = ('{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": [{"path": '
                  '"quotas.demUnits", "message": "Cannot set DEM units quota", "parameterLocation": "PAYLOAD_BODY"}]}}')


def test_a_creating_put_answers_created_with_the_token_or_updated_without():
    client, dummy, dummy2 = make_client([ok('{"id": "c1", "tokenManagementToken": "tok"}', 201), FakeResponse(204)])
    assert api.create_environment_with_id(client, 'c1', {'name': 'a'}, create_token=True) == (True, 'tok')
    assert api.create_environment_with_id(client, 'c1', {'name': 'a'}, create_token=True) == (False, None)
    assert [call['params'] for call in client.session.calls] == [{'createToken': 'true'}] * 2
    assert client.session.calls[0]['url'].endswith('/api/cluster/v2/environments/c1')


@pytest.mark.parametrize('refusal', [FakeResponse(400, ID_VIOLATION), FakeResponse(404, ''), FakeResponse(409, ''),
                                     FakeResponse(410, '')])
def test_a_refused_id_is_told_apart(refusal):
    client, dummy, dummy2 = make_client([refusal])
    with pytest.raises(api.IdRefusedError) as refused:
        api.create_environment_with_id(client, 'gone', {'name': 'a'}, create_token=False)
    assert refused.value.status == refusal.status_code and refused.value.method == 'PUT'


def test_a_refused_body_is_not_a_refused_id():
    client, dummy, dummy2 = make_client([FakeResponse(400, BODY_VIOLATION)])
    with pytest.raises(DynatraceError) as refused:
        api.create_environment_with_id(client, 'c1', {'name': 'a'}, create_token=False)
    assert not isinstance(refused.value, api.IdRefusedError)
    assert refused.value.violations == [('quotas.demUnits', 'Cannot set DEM units quota')]


def test_a_creating_put_whose_answer_is_lost_is_sent_again():
    client, dummy, dummy2 = make_client([requests.exceptions.ReadTimeout('Read timed out'), FakeResponse(204)])
    assert api.create_environment_with_id(client, 'c1', {'name': 'a'}, create_token=True) == (False, None)
    assert len(client.session.calls) == 2


# ------------------------------------------------------------------------------------------------
# Token-management token of an environment

def test_mint_token_management_token_posts_name_and_expiry_and_returns_the_token():
    client, dummy, dummy2 = make_client([ok('{"token": "dt0c01.MINTED.SECRET"}', 201)])
    assert api.mint_token_management_token(client, 'env/1', 'ansible', 300) == ('dt0c01.MINTED.SECRET', 'dt0c01.MINTED')
    (call,) = client.session.calls
    assert (call['method'], call['url']) == ('POST', 'https://dt.example.com/api/cluster/v2/environments/env%2F1/tokenManagementToken')
    assert call['json'] == {'name': 'ansible', 'expiresIn': {'value': 300, 'unit': 'SECONDS'}}


def test_mint_names_its_scope_when_refused_and_is_never_sent_twice_blindly():
    client, dummy, dummy2 = make_client([FakeResponse(403, '{"error": {"code": 403, "message": "Forbidden"}}')])
    with pytest.raises(DynatraceError, match='EnvironmentTokenManagement'):
        api.mint_token_management_token(client, 'e', 'ansible', 60)
    client, dummy, dummy2 = make_client([requests.exceptions.ReadTimeout('Read timed out'), ok('{"token": "t"}', 201)])
    with pytest.raises(ResponseLostError):
        api.mint_token_management_token(client, 'e', 'ansible', 60)
    assert len(client.session.calls) == 1


@pytest.mark.parametrize('body', ['{}', '[]', ''])
def test_a_mint_answer_without_a_token_is_a_clear_error(body):
    client, dummy, dummy2 = make_client([ok(body, 201)])
    with pytest.raises(DynatraceError, match='carries no token'):
        api.mint_token_management_token(client, 'e', 'ansible', 60)


# ------------------------------------------------------------------------------------------------
# Fields the license or the cluster version refuse, named by their options

REFUSED = ('{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": [{"path": '
           '"storage.logMonitoringRetention", "message": "Unrecognized field, not marked as ignorable.", '
           '"parameterLocation": "PAYLOAD_BODY", "location": null}]}}')
LICENSE = ('{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": [{"path": '
           '"quotas.customMetrics", "message": "Cannot set Custom metrics quota as Custom metrics are not allowed for this '
           'license.", "parameterLocation": "PAYLOAD_BODY", "location": null}]}}')


def test_a_create_refused_for_a_field_of_another_cluster_version_names_the_option_and_the_version():
    client, dummy, dummy2 = make_client([FakeResponse(400, REFUSED), ok('{"productVersion": "1.330.18.20251103-101516"}')])
    with pytest.raises(DynatraceError) as caught:
        api.create_environment(client, {'name': 'x', 'storage': {'logMonitoringRetention': {'maxLimitInDays': 30}}}, False)
    assert str(caught.value).startswith(
        'POST /api/cluster/v2/environments failed with HTTP 400: the cluster refused the environment: '
        'storage.log_monitoring_retention: this cluster (1.330) no longer has Log Monitoring storage settings')
    assert caught.value.violations == [('storage.logMonitoringRetention', 'Unrecognized field, not marked as ignorable.')]
    assert [call['method'] for call in client.session.calls] == ['POST', 'GET']


def test_a_license_refusal_costs_no_version_request_and_an_unreadable_version_is_left_out():
    client, dummy, dummy2 = make_client([FakeResponse(400, LICENSE)])
    with pytest.raises(DynatraceError, match="quotas.custom_metrics: the cluster's license does not allow it"):
        api.put_environment(client, 'e1', {'name': 'x', 'quotas': {'customMetrics': {'maxLimit': 5}}})
    assert len(client.session.calls) == 1
    client, dummy, dummy2 = make_client([FakeResponse(400, REFUSED), FakeResponse(403, '{}')])
    with pytest.raises(DynatraceError, match=r'log_monitoring_retention: this cluster no longer has'):
        api.put_environment(client, 'e1', {'name': 'x'})
