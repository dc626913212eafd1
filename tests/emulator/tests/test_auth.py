"""Authorization header, tokens and scopes, and the /e/{env} environment check."""

import pytest

from tests.emulator import DEFAULT_TOKEN
from tests.emulator.tests.helpers import ENVIRONMENTS

ONLY_EXPORT = 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA.' + 'B' * 64
ONLY_PROVIDER = 'dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC.' + 'D' * 64


def assert_error(response, code, *words):
    assert response.status_code == code, response.text
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
    error = response.json()['error']
    assert error['code'] == code
    for word in words:
        assert word in error['message']


def test_default_token_has_the_real_format_and_all_scopes(api):
    assert api.handle.token == DEFAULT_TOKEN
    env_id = api.create()
    assert api.get(ENVIRONMENTS).status_code == 200
    assert api.get(f'/e/{env_id}/api/v1/config/clusterversion').status_code == 200
    assert api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={'name': 't'}).status_code == 201


@pytest.mark.parametrize('path', [ENVIRONMENTS, '/api/v1/time', '/api/v1/config/clusterversion', '/api/v1.0/onpremise/cluster'])
def test_missing_header_is_401(api, path):
    assert_error(api.get(path, headers={'Authorization': ''}), 401)


def test_other_scheme_is_401(api):
    assert_error(api.get(ENVIRONMENTS, headers={'Authorization': f'Bearer {DEFAULT_TOKEN}'}), 401)


def test_unknown_token_is_403(api):
    assert_error(api.get(ENVIRONMENTS, token='dt0c01.NOPE.NOPE'), 403)


def test_error_messages_never_echo_the_token(api):
    response = api.get(ENVIRONMENTS, token=ONLY_EXPORT)
    assert ONLY_EXPORT.split('.')[2] not in response.text


@pytest.mark.parametrize('method, path, scope', [
    ('GET', ENVIRONMENTS, 'ServiceProviderAPI'),
    ('POST', ENVIRONMENTS, 'ServiceProviderAPI'),
    ('GET', '/api/v1.0/onpremise/cluster', 'ServiceProviderAPI'),
    ('GET', '/api/v1/config/clusterversion', 'DataExport'),
])
def test_missing_scope_is_403_naming_it(api, method, path, scope):
    api.handle.add_token(ONLY_EXPORT, ['DataExport'])
    api.handle.add_token(ONLY_PROVIDER, ['ServiceProviderAPI'])
    token = ONLY_PROVIDER if scope == 'DataExport' else ONLY_EXPORT
    assert_error(api.call(method, path, token=token, json={'name': 'x'}), 403, scope)


def test_token_management_token_needs_environment_token_management(api):
    env_id = api.create()
    api.handle.add_token(ONLY_PROVIDER, ['ServiceProviderAPI'])
    response = api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', token=ONLY_PROVIDER, json={'name': 't'})
    assert_error(response, 403, 'EnvironmentTokenManagement')


def test_time_needs_any_valid_token(api):
    api.handle.add_token(ONLY_EXPORT, ['DataExport'])
    assert api.get('/api/v1/time', token=ONLY_EXPORT).status_code == 200
    assert_error(api.get('/api/v1/time', token='dt0c01.X.Y'), 403)


def test_unknown_environment_prefix_is_404(api):
    assert_error(api.get('/e/unknown-env/api/v1/time'), 404)
    assert_error(api.get('/e/unknown-env/api/v1/config/clusterversion'), 404)


def test_environment_token_only_works_in_its_environment(api):
    first = api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'a'}).json()
    other = api.create('b')
    assert api.get(f"/e/{first['id']}/api/v1/time", token=first['tokenManagementToken']).status_code == 200
    assert_error(api.get(f'/e/{other}/api/v1/time', token=first['tokenManagementToken']), 403)


def test_command_line_tokens_replace_the_default(emulator_factory):
    handle = emulator_factory(tokens={ONLY_EXPORT: ['DataExport']})
    assert handle.token == ONLY_EXPORT
    response = __import__('requests').get(handle.url + ENVIRONMENTS, headers={'Authorization': f'Api-Token {DEFAULT_TOKEN}'}, timeout=10)
    assert_error(response, 403)
