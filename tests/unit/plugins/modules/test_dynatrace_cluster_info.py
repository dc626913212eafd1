"""Unit tests of dynatrace_cluster_info: version parsing, time and skew, nodes, which token each call uses, the
input rules and the token option named in 401/403 errors.

The API layer is stubbed (harness.FakeClusterApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.cluster import info as _cluster_info
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_cluster_info as module
from tests.unit.plugins.modules.harness import TOKEN, FakeClusterApi, StubClient, run_main

ENV_TOKEN = 'dt0c01.ENVIRONMENTTOKENPUBLIC0000.' + 'E' * 64


@pytest.mark.parametrize('version, expected', [
    ('1.236.0.20220203-192004', dict(major=1, minor=236, patch=0, build='20220203-192004', short='1.236.0',
                                     full='1.236.0.20220203-192004')),
    ('1.280.5', dict(major=1, minor=280, patch=5, build=None, short='1.280.5', full='1.280.5')),
    ('1.280', dict(major=1, minor=280, patch=0, build=None, short='1.280.0', full='1.280')),
    ('1.300.12.20240812-100533', dict(major=1, minor=300, patch=12, build='20240812-100533', short='1.300.12',
                                      full='1.300.12.20240812-100533')),
    ('unknown', dict(major=None, minor=None, patch=None, build=None, short=None, full='unknown')),
])
def test_parse_version(version, expected):
    assert _cluster_info.parse_version(version) == expected


@pytest.mark.parametrize('epoch_ms, text', [
    (0, '1970-01-01T00:00:00.000Z'),
    (1643916004123, '2022-02-03T19:20:04.123Z'),
    (1643916004005, '2022-02-03T19:20:04.005Z'),
])
def test_iso_utc(epoch_ms, text):
    assert _cluster_info.iso_utc(epoch_ms) == text


# ------------------------------------------------------------------------------------------------
# The logic: which call, with which token

def test_the_cluster_token_alone_reads_the_product_version_and_the_date_header(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result = _cluster_info.cluster_info(StubClient(), None)
    assert api.calls == [('product_version', 'cluster-token')]
    assert result['version'] == '1.236.0.20220203-192004' and result['environment_id'] is None
    assert result['time_ms'] == 1643916004000 and result['time'] == '2022-02-03T19:20:04.000Z'
    assert result['time_skew_ms'] == 4000 and result['time_precision'] == 'second'
    assert result['time_source'] == 'date_header' and 'nodes' not in result and result['changed'] is False


def test_an_environment_token_reads_version_and_time_inside_the_environment(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    cluster = StubClient(url_environment_id='from-url')
    result = _cluster_info.cluster_info(cluster, cluster.with_token('env-token'), include_nodes=True)
    assert api.calls == [('version', 'env-token', 'from-url'), ('time', 'env-token', 'from-url'), ('nodes', 'cluster-token')]
    assert result['environment_id'] == 'from-url' and result['time_precision'] == 'millisecond'
    assert result['time_ms'] == 1643916004123 and result['time_skew_ms'] == 4123
    assert result['time_source'] == 'environment_time_api'
    assert result['nodes'] == [{'id': 1, 'cluster_member_address': '10.0.0.1', 'operation_state': 'RUNNING',
                                'build_version': '1.236'}]


def test_the_environment_id_option_wins_over_the_url(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result = _cluster_info.cluster_info(None, StubClient(url_environment_id='from-url', token='env'), environment_id='given')
    assert api.calls == [('version', 'env', 'given'), ('time', 'env', 'given')]
    assert result['environment_id'] == 'given'


@pytest.mark.parametrize('call, status, option, scope, other', [
    ('product_version', 401, 'api_token', 'ServiceProviderAPI', 'environment_api_token'),
    ('product_version', 403, 'api_token', 'ServiceProviderAPI', 'environment_api_token'),
    ('nodes', 403, 'api_token', 'ServiceProviderAPI', 'environment_api_token'),
    ('version', 401, 'environment_api_token', 'DataExport', 'api_token'),
    ('time', 403, 'environment_api_token', 'DataExport', 'api_token'),
])
def test_a_refused_token_is_named_by_its_option_with_its_kind_and_scope(monkeypatch, call, status, option, scope, other):
    error = DynatraceError('Token Authentication failed', status=status, method='GET', path='/x')
    FakeClusterApi(errors={call: error}).install(monkeypatch)
    cluster = StubClient(url_environment_id='e1')
    environment = cluster.with_token('env') if option == 'environment_api_token' else None
    with pytest.raises(DynatraceError) as caught:
        _cluster_info.cluster_info(cluster, environment, include_nodes=True)
    message = str(caught.value)
    refused = 'was not accepted' if status == 401 else 'lacks a scope'
    assert message.startswith('GET /x failed with HTTP %d: %s %s' % (status, option, refused))
    assert scope in message and 'give that one as %s' % other in message and 'Token Authentication failed' in message


def test_other_failures_keep_their_message(monkeypatch):
    FakeClusterApi(errors={'version': DynatraceError('boom', status=500)}).install(monkeypatch)
    with pytest.raises(DynatraceError, match='^boom$'):
        _cluster_info.cluster_info(None, StubClient(token='env'), environment_id='e')


# ------------------------------------------------------------------------------------------------
# main(): options, required tokens, input rules

def test_main_with_the_cluster_token_alone(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(include_nodes=True))
    assert result['failed'] is False and result['time_precision'] == 'second'
    assert api.calls == [('product_version', TOKEN), ('nodes', TOKEN)]
    assert result['version_info']['minor'] == 236 and result['nodes'][0]['operation_state'] == 'RUNNING'


def test_main_with_both_tokens_uses_each_for_its_own_calls(monkeypatch):
    # The environment id pasted into url is used, although the environment client is the second one.
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(url='https://dt.example.com/e/abc/', environment_api_token=ENV_TOKEN,
                                                       include_nodes=True))
    assert result['failed'] is False and result['environment_id'] == 'abc'
    assert api.calls == [('version', ENV_TOKEN, 'abc'), ('time', ENV_TOKEN, 'abc'), ('nodes', TOKEN)]


def test_main_with_the_environment_token_alone(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(api_token=None, environment_id='abc', environment_api_token=ENV_TOKEN))
    assert result['failed'] is False and result['time_precision'] == 'millisecond'
    assert api.calls == [('version', ENV_TOKEN, 'abc'), ('time', ENV_TOKEN, 'abc')]


def test_main_takes_the_environment_token_from_its_environment_variable(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    monkeypatch.setenv('DYNATRACE_ENVIRONMENT_API_TOKEN', ENV_TOKEN)
    result, dummy = run_main(monkeypatch, module, dict(environment_id='abc'))
    assert result['failed'] is False and api.calls[0] == ('version', ENV_TOKEN, 'abc')


def test_main_needs_one_of_the_two_tokens(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    monkeypatch.delenv('DYNATRACE_API_TOKEN', raising=False)
    result, dummy = run_main(monkeypatch, module, dict(api_token=None))
    assert result['failed'] is True and api.calls == []
    assert 'one of api_token (a cluster token) or environment_api_token (an environment token) is required' in result['msg']


@pytest.mark.parametrize('args, error', [
    (dict(environment_id='a/b', environment_api_token=ENV_TOKEN), "environment_id must match [a-zA-Z0-9_-]{1,70}, got 'a/b'"),
    (dict(environment_id='abc'), 'environment_id needs environment_api_token'),
    (dict(api_token=None, environment_api_token=ENV_TOKEN, include_nodes=True), 'include_nodes needs api_token'),
    (dict(environment_api_token='  '), 'environment_api_token must not be empty'),
])
def test_main_refuses_bad_input_before_any_call(monkeypatch, args, error):
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, args)
    assert result['failed'] is True and api.calls == []
    assert any(message.startswith(error) for message in result['errors']), result['errors']


def test_main_never_shows_a_token_in_a_failure(monkeypatch):
    error = DynatraceError('Token Authentication failed', status=401, method='GET', path='/e/abc/api/v1/config/clusterversion')
    FakeClusterApi(errors={'version': error}).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(environment_id='abc', environment_api_token=ENV_TOKEN))
    assert result['failed'] is True and result['status'] == 401 and 'environment_api_token was not accepted' in result['msg']
    assert 'E' * 64 not in str(result) and 'S' * 64 not in str(result)
