"""Unit tests of the cluster fact calls: version, time (text), scopes.

HTTP is stubbed at the socket (fake_http); the same calls run over real HTTP in tests/integration.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _api_cluster as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._http import DynatraceError
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client

NOW = 1_700_000_000.0


def test_version_403_names_the_data_export_scope():
    client, dummy, dummy2 = make_client([FakeResponse(403, '{"error": {"code": 403, "message": "Forbidden"}}')])
    with pytest.raises(DynatraceError, match='DataExport'):
        api.get_cluster_version(client, 'env1')


def test_cluster_time_reports_the_local_midpoint():
    client, dummy, dummy2 = make_client([FakeResponse(200, '1700000000123', {'Content-Type': 'text/plain'})])
    cluster_ms, local_ms = api.get_cluster_time(client, 'env')
    assert cluster_ms == 1700000000123 and abs(local_ms - NOW * 1000) > 0
    assert client.session.calls[0]['url'] == 'https://dt.example.com/e/env/api/v1/time'
