"""Cluster time and version under /e/{env} only, the bare paths' 404, the product version, nodes and the Date header."""

import re
import time
from email.utils import parsedate_to_datetime

import pytest

from tests.emulator import DEFAULT_CLUSTER_VERSION
from tests.emulator.tests.helpers import ENVIRONMENTS, Api, assert_error

VERSION = re.compile(r'^1\.\d{3}\.\d+\.\d{8}-\d{6}$')
NODE_FIELDS = {'id', 'clusterMemberAddress', 'operationState', 'buildVersion', 'osInfo', 'jvmInfo',
               'dnsEntryPointUris', 'restServiceRootUris', 'communicationUris'}


def env_with_token(api):
    env_id = api.create()
    return env_id, api.env_token(env_id, 'DataExport')


def test_time_is_plain_utc_milliseconds_under_the_environment(api):
    env_id, token = env_with_token(api)
    before = int(time.time() * 1000)
    response = api.get(f'/e/{env_id}/api/v1/time', token=token, headers={'Accept': 'text/plain'})
    assert response.status_code == 200 and response.headers['content-type'].startswith('text/plain')
    assert before - 1000 <= int(response.text) <= int(time.time() * 1000) + 1000


@pytest.mark.parametrize('accept, status', [(None, 200), ('*/*', 200), ('text/*', 200), ('text/plain;q=0.9', 200),
                                            ('application/json', 406), ('application/json; charset=utf-8', 406)])
def test_time_produces_only_text_plain(api, accept, status):
    env_id, token = env_with_token(api)
    headers = {'Accept': accept} if accept else {'Accept': ''}
    response = api.get(f'/e/{env_id}/api/v1/time', token=token, headers=headers)
    assert response.status_code == status, response.text


@pytest.mark.parametrize('path', ['/api/v1/time', '/api/v1/config/clusterversion', '/api/v2/apiTokens',
                                  '/e/no-such-env/api/v1/time', '/e/no-such-env/api/v1/config/clusterversion',
                                  '/e/no-such-env/api/v2/apiTokens', '/e/no-such-env/anything'])
def test_bare_paths_and_unknown_environments_fail_to_resolve_the_tenant(api, path):
    assert_error(api.get(path), 404, 'failed to resolve tenant')
    assert_error(api.get(path, headers={'Authorization': ''}), 404, 'failed to resolve tenant')


def test_unknown_path_of_a_known_environment_is_a_plain_404(api):
    env_id, token = env_with_token(api)
    response = api.get(f'/e/{env_id}/api/v1/nothing-here', token=token)
    assert response.status_code == 404 and 'tenant' not in response.text


def test_clock_offset_from_the_command_line(emulator_factory):
    api = Api(emulator_factory(clock_offset_ms=-3_600_000))
    env_id, token = env_with_token(api)
    assert abs(int(api.get(f'/e/{env_id}/api/v1/time', token=token).text) - (time.time() * 1000 - 3_600_000)) < 5000


def test_clock_offset_at_run_time(api):
    env_id, token = env_with_token(api)
    api.handle.configure(clock_offset_ms=86_400_000)
    assert int(api.get(f'/e/{env_id}/api/v1/time', token=token).text) - time.time() * 1000 > 86_000_000


def test_cluster_version_default_is_current_and_realistic(api):
    env_id, token = env_with_token(api)
    response = api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=token)
    assert response.status_code == 200 and response.headers['content-type'] == 'application/json; charset=utf-8'
    assert response.json() == {'version': DEFAULT_CLUSTER_VERSION}
    assert VERSION.match(DEFAULT_CLUSTER_VERSION) and int(DEFAULT_CLUSTER_VERSION.split('.')[1]) >= 326


def test_product_version_with_the_cluster_token(api):
    response = api.get('/api/v1.0/onpremise/nodeManagement/productVersion')
    assert response.status_code == 200 and response.json() == {'productVersion': DEFAULT_CLUSTER_VERSION}


def test_cluster_version_option_and_nodes(emulator_factory):
    api = Api(emulator_factory(cluster_version='1.236.0.20220203-192004'))
    assert api.get('/api/v1.0/onpremise/nodeManagement/productVersion').json() == {'productVersion': '1.236.0.20220203-192004'}
    nodes = api.get('/api/v1.0/onpremise/cluster').json()
    assert len(nodes) == 3
    assert {node['buildVersion'] for node in nodes} == {'1.236.0.20220203-192004'}
    assert all(set(node) == NODE_FIELDS for node in nodes)
    assert [node['clusterMemberAddress'] for node in nodes] == ['10.20.0.11', '10.20.0.12', '10.20.0.13']
    assert all(isinstance(node['id'], int) and isinstance(node['restServiceRootUris'], list) for node in nodes)


def test_cluster_version_at_run_time(api):
    api.handle.configure(cluster_version='1.300.1.20240101-000000')
    assert api.get('/api/v1.0/onpremise/cluster').json()[0]['buildVersion'] == '1.300.1.20240101-000000'
    assert api.post('/_emulator/config', json={'cluster_version': 'latest'}).status_code == 400


@pytest.mark.parametrize('path', ['/api/v1.0/onpremise/nodeManagement/productVersion', ENVIRONMENTS,
                                  '/api/v1/time', '/_emulator/config'])
def test_every_answer_carries_a_date_header_of_the_emulated_clock(api, path):
    api.handle.configure(clock_offset_ms=7_200_000)
    response = api.get(path)
    assert len([name for name in response.raw.headers if name.lower() == 'date']) == 1
    skew = parsedate_to_datetime(response.headers['Date']).timestamp() - time.time()
    assert 7_190 < skew < 7_210, response.headers['Date']


def test_date_header_on_faults_and_errors(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=503)
    assert 'Date' in api.get(ENVIRONMENTS).headers
    assert 'Date' in api.get(ENVIRONMENTS, token='dt0c01.X.Y').headers


def test_unknown_route_is_a_404_envelope(api):
    response = api.get('/api/cluster/v2/nothing-here')
    assert response.status_code == 404 and response.json()['error']['code'] == 404
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
