"""Unit tests of the cluster fact calls: product version and its Date header, version and time inside an environment
(text), nodes, scopes and what a 404 under /e/{id} means.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import cluster as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok

NOT_FOUND = '{"error": {"code": 404, "message": "failed to resolve tenant"}}'


def test_version_403_names_the_data_export_scope():
    client, dummy, dummy2 = make_client([FakeResponse(403, '{"error": {"code": 403, "message": "Forbidden"}}')])
    with pytest.raises(DynatraceError, match='DataExport'):
        api.get_cluster_version(client, 'env1')
    assert client.session.calls[0]['url'] == 'https://dt.example.com/e/env1/api/v1/config/clusterversion'


def test_cluster_time_asks_for_text_and_reports_the_local_midpoint():
    client, dummy, dummy2 = make_client([FakeResponse(200, '1700000000123', {'Content-Type': 'text/plain'})])
    cluster_ms, local_ms = api.get_cluster_time(client, 'env')
    assert cluster_ms == 1700000000123 and local_ms > 1_600_000_000_000
    (call,) = client.session.calls
    assert call['url'] == 'https://dt.example.com/e/env/api/v1/time' and call['headers'] == {'Accept': 'text/plain'}


def test_cluster_time_that_is_not_a_number_is_a_clear_error():
    client, dummy, dummy2 = make_client([FakeResponse(200, '<html>login</html>', {'Content-Type': 'text/html'})])
    with pytest.raises(DynatraceError, match='not a number of milliseconds'):
        api.get_cluster_time(client, 'env')


@pytest.mark.parametrize('environment_id, message', [
    ('gone', 'environment gone: the cluster has no environment of that id (failed to resolve tenant)'),
    (None, 'a Managed cluster serves it only under /e/<environment-id>, so give environment_id'),
])
def test_a_404_under_the_environment_api_says_what_is_missing(environment_id, message):
    client, dummy, dummy2 = make_client([FakeResponse(404, NOT_FOUND)])
    with pytest.raises(DynatraceError) as caught:
        api.get_cluster_version(client, environment_id)
    assert message in str(caught.value) and caught.value.status == 404


def test_product_version_and_the_clock_of_its_date_header():
    client, dummy, dummy2 = make_client([ok('{"productVersion": "1.330.18.20251103-101516"}',
                                            headers={'Date': 'Tue, 01 Dec 2026 18:44:59 GMT'})])
    version, date_ms, local_ms = api.get_product_version(client)
    assert version == '1.330.18.20251103-101516' and date_ms == 1796150699000 and local_ms > 0
    (call,) = client.session.calls
    assert call['url'] == 'https://dt.example.com/api/v1.0/onpremise/nodeManagement/productVersion'


@pytest.mark.parametrize('headers, body, message', [
    ({}, '{"productVersion": "1.330"}', 'no valid HTTP Date header'),
    ({'Date': 'yesterday'}, '{"productVersion": "1.330"}', 'no valid HTTP Date header'),
    ({'Date': 'Tue, 01 Dec 2026 18:44:59 GMT'}, '{"version": "1.330"}', 'has no "productVersion"'),
])
def test_a_product_version_answer_without_what_it_needs_is_a_clear_error(headers, body, message):
    client, dummy, dummy2 = make_client([ok(body, headers=headers)])
    with pytest.raises(DynatraceError, match=message):
        api.get_product_version(client)


def test_product_version_401_names_the_service_provider_scope():
    client, dummy, dummy2 = make_client([FakeResponse(401, '{"error": {"code": 401, "message": "Token Authentication failed"}}')])
    with pytest.raises(DynatraceError, match='ServiceProviderAPI'):
        api.get_product_version(client)


def test_product_version_or_none_needs_no_date_and_swallows_failures():
    client, dummy, dummy2 = make_client([ok('{"productVersion": "1.330.18"}'), FakeResponse(403, '{}')])
    assert api.product_version_or_none(client) == '1.330.18'
    assert api.product_version_or_none(client) is None


def test_nodes_must_be_a_list():
    client, dummy, dummy2 = make_client([ok('{"nodes": []}')])
    with pytest.raises(DynatraceError, match='not a list'):
        api.get_cluster_nodes(client)
