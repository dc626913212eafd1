"""Unit tests of dynatrace_cluster_info: version parsing, time and skew, nodes, the environment id rule.

The API layer is stubbed (harness.FakeClusterApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _cluster_info
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_cluster_info as module
from tests.unit.plugins.modules.harness import FakeClusterApi, StubClient, run_main


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


def test_cluster_info_uses_the_environment_id_of_the_url_when_none_is_given(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result = _cluster_info.cluster_info(StubClient(url_environment_id='from-url'))
    assert api.calls == [('version', 'from-url'), ('time', 'from-url')]
    assert result['environment_id'] == 'from-url'
    assert result['time_ms'] == 1643916004123 and result['time'] == '2022-02-03T19:20:04.123Z'
    assert result['time_skew_ms'] == 4123 and 'nodes' not in result and result['changed'] is False


def test_cluster_info_option_wins_over_the_url_and_nodes_are_snake_case(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result = _cluster_info.cluster_info(StubClient(url_environment_id='from-url'), environment_id='given', include_nodes=True)
    assert api.calls == [('version', 'given'), ('time', 'given'), ('nodes',)]
    assert result['nodes'] == [{'id': 1, 'cluster_member_address': '10.0.0.1', 'operation_state': 'RUNNING',
                                'build_version': '1.236'}]


def test_main_refuses_a_bad_environment_id_before_any_call(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(environment_id='a/b'))
    assert result['failed'] is True and api.calls == []
    assert result['errors'] == ["environment_id must match [a-zA-Z0-9_-]{1,70}, got 'a/b'"]


def test_main_reports_facts_of_the_environment_in_the_url(monkeypatch):
    api = FakeClusterApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(url='https://dt.example.com/e/abc/', include_nodes=True))
    assert result['failed'] is False and result['changed'] is False
    assert api.calls == [('version', 'abc'), ('time', 'abc'), ('nodes',)]
    assert result['version_info']['minor'] == 236 and result['nodes'][0]['operation_state'] == 'RUNNING'
