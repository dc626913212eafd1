"""Token kinds, the Authorization header, 401 against 403, and where each kind of token works."""

import pytest
import requests

from tests.emulator import DEFAULT_SCOPES, DEFAULT_TOKEN
from tests.emulator.tests.helpers import ENVIRONMENTS, assert_error

ONLY_PROVIDER = 'dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC.' + 'D' * 64
ONLY_NODEKEEPER = 'dt0c01.NNNNNNNNNNNNNNNNNNNNNNNN.' + 'K' * 64
NODES = '/api/v1.0/onpremise/cluster'
VERSION = '/api/v1.0/onpremise/nodeManagement/productVersion'


def test_default_setup_is_one_cluster_token_with_the_platform_scopes(api):
    assert api.handle.token == DEFAULT_TOKEN
    assert [(t['id'], t['kind'], t['scopes']) for t in api.handle.tokens()] == [
        (DEFAULT_TOKEN.rsplit('.', 1)[0], 'cluster', sorted(DEFAULT_SCOPES))]
    env_id = api.create()
    assert api.get(ENVIRONMENTS).status_code == 200
    assert api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={'name': 't'}).status_code == 201
    assert api.get('/api/cluster/v2/tokens').status_code == 200  # ClusterTokenManagement


def test_cluster_token_is_refused_inside_an_environment(api):
    env_id = api.create()
    for path in (f'/e/{env_id}/api/v1/config/clusterversion', f'/e/{env_id}/api/v1/time', f'/e/{env_id}/api/v2/apiTokens'):
        assert_error(api.get(path), 401, 'Token Authentication failed')


def test_environment_token_is_refused_on_the_cluster_apis(api):
    env_id = api.create()
    token = api.handle.environment_token(env_id, ['DataExport', 'apiTokens.read', 'settings.read'])
    for path in (ENVIRONMENTS, NODES, VERSION, '/api/v1.0/onpremise/groups', '/api/cluster/v2/tokens'):
        assert_error(api.get(path, token=token), 401, 'Token Authentication failed')


def test_environment_token_only_works_in_its_own_environment(api):
    first, other = api.create('a'), api.create('b')
    token = api.env_token(first)
    assert api.get(f'/e/{first}/api/v1/config/clusterversion', token=token).status_code == 200
    assert_error(api.get(f'/e/{other}/api/v1/config/clusterversion', token=token), 401, 'Token Authentication failed')


@pytest.mark.parametrize('path', [ENVIRONMENTS, NODES, VERSION, '/api/v1.0/onpremise/groups'])
def test_missing_header_is_401(api, path):
    assert_error(api.get(path, headers={'Authorization': ''}), 401, 'Missing authorization parameter')


def test_missing_header_inside_an_environment_is_401(api):
    env_id = api.create()
    assert_error(api.get(f'/e/{env_id}/api/v1/time', headers={'Authorization': ''}), 401, 'Missing authorization')


def test_other_scheme_is_401(api):
    assert_error(api.get(ENVIRONMENTS, headers={'Authorization': f'Bearer {DEFAULT_TOKEN}'}), 401)


@pytest.mark.parametrize('token', ['dt0c01.NOPE.NOPE', 'dt0c01.' + 'A' * 24 + '.' + 'B' * 64, 'garbage',
                                   DEFAULT_TOKEN.lower(), DEFAULT_TOKEN + 'X'])
def test_unknown_or_malformed_token_is_401(api, token):
    assert_error(api.get(ENVIRONMENTS, token=token), 401, 'Token Authentication failed')


def test_expired_token_is_401_on_the_emulated_clock(api):
    token = api.handle.create_token(['ServiceProviderAPI'], expires_in_ms=3_600_000)
    assert api.get(ENVIRONMENTS, token=token).status_code == 200
    api.handle.configure(clock_offset_ms=3_600_001)
    assert_error(api.get(ENVIRONMENTS, token=token), 401, 'Token Authentication failed')
    assert [t['expired'] for t in api.handle.tokens() if t['name'] == 'Test token'] == [True]


def test_error_messages_never_echo_the_token(api):
    for token in (ONLY_PROVIDER, DEFAULT_TOKEN):
        response = api.get(NODES.replace('cluster', 'nothing'), token=token)
        assert token.split('.')[2] not in response.text
    assert ONLY_PROVIDER.split('.')[2] not in api.get(ENVIRONMENTS, token=ONLY_PROVIDER).text


@pytest.mark.parametrize('method, path, scope', [
    ('GET', ENVIRONMENTS, 'ServiceProviderAPI (Service Provider API)'),
    ('POST', ENVIRONMENTS, 'ServiceProviderAPI (Service Provider API)'),
    ('GET', '/api/v1.0/onpremise/groups', 'ServiceProviderAPI (Service Provider API)'),
    ('GET', '/api/cluster/v2/tokens', 'ClusterTokenManagement (Cluster token management)'),
])
def test_missing_scope_is_403_naming_it(api, method, path, scope):
    api.handle.add_token(ONLY_NODEKEEPER, ['Nodekeeper'])
    assert_error(api.call(method, path, token=ONLY_NODEKEEPER, json={'name': 'x'}), 403,
                 'missing required scope', scope)


def test_nodes_and_version_accept_any_of_their_scopes(api):
    api.handle.add_token(ONLY_NODEKEEPER, ['Nodekeeper'])
    assert api.get(NODES, token=ONLY_NODEKEEPER).status_code == 200
    assert api.get(VERSION, token=ONLY_NODEKEEPER).status_code == 200
    only_tokens = api.handle.create_token(['ClusterTokenManagement'])
    assert_error(api.get(NODES, token=only_tokens), 403, 'ServiceProviderAPI', 'ControlManagement', 'Nodekeeper')


def test_environment_scope_missing_is_403_naming_it(api):
    env_id = api.create()
    token = api.env_token(env_id, 'InstallerDownload')
    assert_error(api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=token), 403, 'DataExport')
    assert_error(api.get(f'/e/{env_id}/api/v2/apiTokens', token=token), 403, 'apiTokens.read')


def test_token_management_token_needs_environment_token_management(api):
    env_id = api.create()
    api.handle.add_token(ONLY_PROVIDER, ['ServiceProviderAPI'])
    response = api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', token=ONLY_PROVIDER, json={'name': 't'})
    assert_error(response, 403, 'EnvironmentTokenManagement')


def test_command_line_tokens_replace_the_default(emulator_factory):
    handle = emulator_factory(tokens={ONLY_PROVIDER: ['ServiceProviderAPI']})
    assert handle.token == ONLY_PROVIDER
    response = requests.get(handle.url + ENVIRONMENTS, headers={'Authorization': f'Api-Token {DEFAULT_TOKEN}'}, timeout=10)
    assert_error(response, 401, 'Token Authentication failed')
    assert requests.get(handle.url + ENVIRONMENTS, headers={'Authorization': f'Api-Token {ONLY_PROVIDER}'},
                        timeout=10).status_code == 200


def test_control_api_refuses_tokens_of_the_wrong_shape_or_kind(api):
    env_id = api.create()
    control = api.handle.url + '/_emulator/tokens'
    for body in ({'token': 'dt0c01.SHORT.SECRET', 'scopes': ['ServiceProviderAPI']},
                 {'scopes': ['DataExport']},  # an environment scope on a cluster token
                 {'scopes': ['ServiceProviderAPI'], 'environment': env_id},
                 {'scopes': ['DataExport'], 'environment': 'no-such-environment'},
                 {'scopes': []}):
        assert requests.post(control, json=body, timeout=10).status_code == 400, body
