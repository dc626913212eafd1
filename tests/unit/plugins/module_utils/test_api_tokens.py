"""Unit tests of the API token calls and of the second client: paths, bodies, pages, 404 as absent, redaction.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import json

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceClient, DynatraceError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, ScriptedSession, make_client, ok

SECRET = 'Q' * 64
CREATED = 'dt0c01.CREATEDPUBLICPART0000000.' + SECRET


def test_listing_reads_every_page_with_the_fields_then_only_the_key():
    client, dummy, dummy2 = make_client([
        ok(json.dumps({'apiTokens': [{'id': 'dt0c01.A', 'name': 'a'}], 'nextPageKey': 'K1'})),
        ok(json.dumps({'apiTokens': [{'id': 'dt0c01.B', 'name': 'b'}], 'nextPageKey': None})),
    ])
    tokens = api.list_api_tokens(client, 'env 1', '+scopes')
    assert [t['id'] for t in tokens] == ['dt0c01.A', 'dt0c01.B']
    first, second = client.session.calls
    assert first['url'].endswith('/e/env%201/api/v2/apiTokens')
    assert first['params'] == {'pageSize': 10000, 'fields': '+scopes'} and second['params'] == {'nextPageKey': 'K1'}


def test_a_listed_token_without_scopes_is_read_alone_only_when_wanted():
    """Later pages may lack the requested fields (not published): such a token is unknown, not scope-less."""
    client, dummy, dummy2 = make_client([ok(json.dumps({'id': 'dt0c01.B', 'name': 'b', 'scopes': ['DataExport']}))])
    listed = [{'id': 'dt0c01.A', 'name': 'a', 'scopes': []}, {'id': 'dt0c01.B', 'name': 'b'}, {'id': 'dt0c01.C', 'name': 'c'}]
    tokens = api.completed(client, 'e1', listed, lambda token: token['name'] in ('a', 'b'))
    assert tokens[1]['scopes'] == ['DataExport'] and tokens[0]['scopes'] == [] and 'scopes' not in tokens[2]
    (call,) = client.session.calls
    assert call['method'] == 'GET' and call['url'].endswith('/e/e1/api/v2/apiTokens/dt0c01.B')


def test_listing_refuses_an_answer_without_tokens():
    client, dummy, dummy2 = make_client([ok('{"values": []}')])
    with pytest.raises(DynatraceError, match='no "apiTokens" list'):
        api.list_api_tokens(client, 'e1', '+scopes')


def test_create_returns_the_answer_and_an_error_never_shows_the_secret():
    client, dummy, dummy2 = make_client([ok(json.dumps({'id': 'dt0c01.CREATEDPUBLICPART0000000', 'token': CREATED}), 201)])
    assert api.create_api_token(client, 'e1', {'name': 'n', 'scopes': ['DataExport']})['token'] == CREATED
    client, dummy, dummy2 = make_client([ok(json.dumps({'token': CREATED}), 201)])
    assert api.create_api_token(client, 'e1', {'name': 'n', 'scopes': ['x']})['id'] == 'dt0c01.CREATEDPUBLICPART0000000'
    client, dummy, dummy2 = make_client([ok('{"token": "' + CREATED, 201)])  # cut answer
    with pytest.raises(DynatraceError) as caught:
        api.create_api_token(client, 'e1', {'name': 'n', 'scopes': ['x']})
    assert SECRET not in str(caught.value)


def test_delete_is_false_on_404_and_update_sends_only_what_changes():
    client, dummy, dummy2 = make_client([FakeResponse(404, ''), FakeResponse(204, ''), FakeResponse(204, '')])
    assert api.delete_api_token(client, 'e1', 'dt0c01.A') is False
    api.update_api_token(client, 'e1', 'dt0c01.A', scopes=['a'])
    assert client.session.calls[1]['json'] == {'scopes': ['a']} and client.session.calls[1]['method'] == 'PUT'
    assert api.delete_cluster_token(client, 'dt0c01.M') is True
    assert client.session.calls[2]['url'].endswith('/api/cluster/v2/tokens/dt0c01.M')


def test_mint_returns_the_token_and_the_id_of_the_location_header():
    client, dummy, dummy2 = make_client([ok(json.dumps({'token': CREATED}), 201, {'Location': 'dt0c01.LOC'}),
                                         ok(json.dumps({'token': CREATED}), 201)])
    assert _api_environments.mint_token_management_token(client, 'e1', 'n', 600) == (CREATED, 'dt0c01.LOC')
    assert client.session.calls[0]['json'] == {'name': 'n', 'expiresIn': {'value': 600, 'unit': 'SECONDS'}}
    assert _api_environments.mint_token_management_token(client, 'e1', 'n', 600)[1] == 'dt0c01.CREATEDPUBLICPART0000000'
    # A token of the old format is secret as a whole: without a Location there is no id to show.
    client, dummy, dummy2 = make_client([ok('{"token": "OLDFORMATSECRET12345678"}', 201)])
    assert _api_environments.mint_token_management_token(client, 'e1', 'n', 600) == ('OLDFORMATSECRET12345678', None)


@pytest.mark.parametrize('options', [dict(), dict(validate_certs=False), dict(ca_path=__file__)])
def test_with_token_keeps_the_connection_settings_and_redacts_its_own_token(options):
    warnings = []
    cluster = DynatraceClient('https://dt.example.com/', 'dt0c01.CLUSTERPUBLICPART00000000.' + 'C' * 64, timeout=7,
                              retries=2, warn=warnings.append, **options)
    inside = cluster.with_token(CREATED)
    assert (inside.base_url, inside.timeout, inside.retries) == ('https://dt.example.com', 7, 2)
    assert inside.session.verify == cluster.session.verify
    assert inside.session.headers['Authorization'] == 'Api-Token ' + CREATED
    assert inside.session.headers['User-Agent'] == cluster.session.headers['User-Agent']
    assert len(warnings) == (1 if options.get('validate_certs') is False else 0)  # warned once, by the first client
    inside.session = ScriptedSession([FakeResponse(401, '{"error": {"code": 401, "message": "bad %s"}}' % SECRET)])
    with pytest.raises(DynatraceError) as caught:
        inside.request('GET', '/e/x/api/v2/apiTokens')
    assert SECRET not in str(caught.value)
