"""Cluster time, cluster version and the Cluster API v1 node list."""

import re
import time

from tests.emulator import DEFAULT_CLUSTER_VERSION
from tests.emulator.tests.helpers import Api

VERSION = re.compile(r'^1\.\d{3}\.\d+\.\d{8}-\d{6}$')


def test_time_is_plain_utc_milliseconds(api):
    env_id = api.create()
    for path in ('/api/v1/time', f'/e/{env_id}/api/v1/time'):
        before = int(time.time() * 1000)
        response = api.get(path)
        assert response.status_code == 200 and response.headers['content-type'].startswith('text/plain')
        assert before - 1000 <= int(response.text) <= int(time.time() * 1000) + 1000


def test_clock_offset_from_the_command_line(emulator_factory):
    api = Api(emulator_factory(clock_offset_ms=-3_600_000))
    assert abs(int(api.get('/api/v1/time').text) - (time.time() * 1000 - 3_600_000)) < 5000


def test_clock_offset_at_run_time(api):
    api.handle.configure(clock_offset_ms=86_400_000)
    assert int(api.get('/api/v1/time').text) - time.time() * 1000 > 86_000_000


def test_cluster_version_default_is_realistic(api):
    env_id = api.create()
    for path in ('/api/v1/config/clusterversion', f'/e/{env_id}/api/v1/config/clusterversion'):
        response = api.get(path)
        assert response.status_code == 200 and response.headers['content-type'] == 'application/json; charset=utf-8'
        assert response.json() == {'version': DEFAULT_CLUSTER_VERSION}
    assert VERSION.match(DEFAULT_CLUSTER_VERSION)


def test_cluster_version_option_and_nodes(emulator_factory):
    api = Api(emulator_factory(cluster_version='1.236.0.20220203-192004'))
    assert api.get('/api/v1/config/clusterversion').json() == {'version': '1.236.0.20220203-192004'}
    nodes = api.get('/api/v1.0/onpremise/cluster').json()
    assert len(nodes) == 3
    assert {node['buildVersion'] for node in nodes} == {'1.236.0.20220203-192004'}
    assert all(set(node) == {'id', 'clusterMemberAddress', 'operationState', 'buildVersion'} for node in nodes)


def test_cluster_version_at_run_time(api):
    api.handle.configure(cluster_version='1.300.1.20240101-000000')
    assert api.get('/api/v1.0/onpremise/cluster').json()[0]['buildVersion'] == '1.300.1.20240101-000000'
    assert api.post('/_emulator/config', json={'cluster_version': 'latest'}).status_code == 400


def test_unknown_route_is_a_404_envelope(api):
    response = api.get('/api/v2/nothing-here')
    assert response.status_code == 404 and response.json()['error']['code'] == 404
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
