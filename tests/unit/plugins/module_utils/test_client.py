"""Unit tests of the shared client: URL rules, header parsing, backoff, retry decisions, errors.

HTTP is stubbed here; the same paths run over real HTTP against the emulator in tests/integration.
"""

import email.utils

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _client
from ansible_collections.clusterops.dynatrace.plugins.module_utils._client import (
    DynatraceClient, DynatraceError, ResponseLostError, ConnectionOptionError, backoff_delay, is_loopback_host, normalize_url,
    parse_error_body, parse_rate_limit_reset, parse_retry_after,
)

TOKEN = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'S' * 64
NOW = 1_700_000_000.0


# ---------------------------------------------------------------------------------------------
# URL normalisation

@pytest.mark.parametrize('given, base, environment_id', [
    ('https://dt.example.com', 'https://dt.example.com', None),
    ('https://dt.example.com/', 'https://dt.example.com', None),
    ('  https://dt.example.com//  ', 'https://dt.example.com', None),
    ('HTTPS://dt.example.com:9999/', 'https://dt.example.com:9999', None),
    ('https://dt.example.com/api/cluster/v2', 'https://dt.example.com', None),
    ('https://dt.example.com/api/cluster/v2/environments?pageSize=5', 'https://dt.example.com', None),
    ('https://dt.example.com/e/abc-123', 'https://dt.example.com', 'abc-123'),
    ('https://dt.example.com/e/abc-123/api/v1/time', 'https://dt.example.com', 'abc-123'),
    ('https://proxy.example.com/dynatrace/e/abc/', 'https://proxy.example.com/dynatrace', 'abc'),
    ('https://proxy.example.com/dynatrace/api/v1.0/onpremise/cluster', 'https://proxy.example.com/dynatrace', None),
    ('http://127.0.0.1:8021#frag', 'http://127.0.0.1:8021', None),
    ('https://[::1]:8443/', 'https://[::1]:8443', None),
])
def test_normalize_url_strips_what_was_pasted_by_mistake(given, base, environment_id):
    assert normalize_url(given) == (base, environment_id)


@pytest.mark.parametrize('given, rule', [
    ('', 'must not be empty'),
    ('   ', 'must not be empty'),
    (None, 'must not be empty'),
    ('dt.example.com', 'must start with http:// or https://, got no scheme'),
    ('ftp://dt.example.com', "got scheme 'ftp'"),
    ('https://', 'must name a host'),
    ('https://:443/', 'must name a host'),
])
def test_normalize_url_rejects_with_the_rule(given, rule):
    with pytest.raises(ConnectionOptionError) as caught:
        normalize_url(given)
    assert str(caught.value).startswith('url ')
    assert rule in str(caught.value)


@pytest.mark.parametrize('url, loopback', [
    ('http://127.0.0.1:8021', True), ('http://localhost', True), ('http://127.5.5.5', True),
    ('http://[::1]:80', True), ('http://10.0.0.1', False), ('http://dt.example.com', False),
    ('http://user@localhost:1', True),
])
def test_is_loopback_host(url, loopback):
    assert is_loopback_host(url) is loopback


# ---------------------------------------------------------------------------------------------
# Header parsing and backoff

def test_retry_after_in_seconds_and_as_http_date():
    assert parse_retry_after('7', NOW) == 7.0
    assert parse_retry_after(' 1.5 ', NOW) == 1.5
    date = email.utils.formatdate(NOW + 30, usegmt=True)
    assert parse_retry_after(date, NOW) == pytest.approx(30, abs=1)
    assert parse_retry_after(email.utils.formatdate(NOW - 30, usegmt=True), NOW) == 0.0
    assert parse_retry_after('soon', NOW) is None
    assert parse_retry_after(None, NOW) is None


@pytest.mark.parametrize('header, expected', [
    (str(int(NOW + 12)), 12.0),                     # epoch seconds
    (str(int((NOW + 12) * 1000)), 12.0),            # epoch milliseconds
    (str(int((NOW + 12) * 1000000)), 12.0),         # epoch microseconds
    ('3', 3.0),                                     # a plain delay in seconds
    (str(int(NOW - 100)), 0.0),                     # already past: no wait
    ('x', None),
])
def test_rate_limit_reset_unit_is_decided_by_magnitude(header, expected):
    result = parse_rate_limit_reset(header, NOW)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=0.01)


def test_backoff_grows_exponentially_is_capped_and_jittered():
    assert backoff_delay(1, rand=lambda: 1.0) == pytest.approx(0.5)
    assert backoff_delay(2, rand=lambda: 1.0) == pytest.approx(1.0)
    assert backoff_delay(4, rand=lambda: 1.0) == pytest.approx(4.0)
    assert backoff_delay(30, rand=lambda: 1.0) == pytest.approx(_client.BACKOFF_CAP_SECONDS)
    assert backoff_delay(4, rand=lambda: 0.0) == pytest.approx(2.0)


# ---------------------------------------------------------------------------------------------
# Error bodies

def test_error_envelope_object_with_violations():
    body = ('{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": ['
            '{"path": "quotas.logMonitoring", "message": "Cannot set Log Monitoring quota.", "parameterLocation": '
            '"PAYLOAD_BODY", "location": null}, {"path": "name", "message": "size must be between 1 and 100"}]}}')
    message, violations = parse_error_body(400, 'application/json; charset=utf-8', body)
    assert message == 'Constraints violated.'
    assert violations == [('quotas.logMonitoring', 'Cannot set Log Monitoring quota.'),
                          ('name', 'size must be between 1 and 100')]


def test_error_envelope_array_is_merged():
    body = '[{"error": {"code": 400, "message": "first"}}, {"error": {"code": 400, "message": "second", ' \
           '"constraintViolations": [{"path": "tags", "message": "duplicate"}]}}]'
    message, violations = parse_error_body(400, 'application/json', body)
    assert message == 'first second'
    assert violations == [('tags', 'duplicate')]


def test_html_error_page_is_summarised_not_dumped():
    page = '<html><head><title>502 Bad Gateway</title></head><body>' + 'x' * 5000 + '</body></html>'
    message, violations = parse_error_body(502, 'text/html', page)
    assert '502 Bad Gateway' in message and 'text/html' in message
    assert len(message) < 300 and violations == []


def test_empty_and_plain_text_bodies():
    assert 'empty response body' in parse_error_body(503, None, '')[0]
    assert 'upstream connect error' in parse_error_body(503, 'text/plain', 'upstream connect error')[0]


# ---------------------------------------------------------------------------------------------
# The request path, with a scripted session

class FakeResponse:
    def __init__(self, status, body='', headers=None):
        self.status_code = status
        self.text = body
        self.headers = CaseInsensitiveDict(headers or {})
        if body and 'Content-Type' not in self.headers:
            self.headers['Content-Type'] = 'application/json; charset=utf-8'


class ScriptedSession:
    """Answers requests from a script: each item a FakeResponse or an exception to raise."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):
        self.calls.append(dict(method=method, url=url, params=params, json=json, timeout=timeout, verify=verify))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def make_client(script, retries=5, **kwargs):
    sleeps, warnings = [], []
    client = DynatraceClient('https://dt.example.com/', TOKEN, retries=retries, sleep=sleeps.append,
                             rand=lambda: 1.0, warn=warnings.append, **kwargs)
    scripted = ScriptedSession(script)
    scripted.verify = client.session.verify
    client.session = scripted
    return client, sleeps, warnings


def ok(body='{}', status=200, headers=None):
    return FakeResponse(status, body, headers)


def test_session_sends_auth_user_agent_and_verifies_tls_by_default(tmp_path):
    client = DynatraceClient('https://dt.example.com', TOKEN)
    assert client.session.headers['Authorization'] == 'Api-Token ' + TOKEN
    assert client.session.headers['User-Agent'].startswith('clusterops.dynatrace/1.0.0 (ansible-core/')
    assert client.session.verify is True
    ca_file = tmp_path / 'ca.pem'
    ca_file.write_text('PEM')
    assert DynatraceClient('https://dt.example.com', TOKEN, ca_path=str(ca_file)).session.verify == str(ca_file)


def test_a_missing_ca_path_is_an_option_error():
    with pytest.raises(ConnectionOptionError, match='ca_path /nowhere/ca.pem does not exist'):
        DynatraceClient('https://dt.example.com', TOKEN, ca_path='/nowhere/ca.pem')
    # Not checked when it is not used.
    DynatraceClient('https://dt.example.com', TOKEN, ca_path='/nowhere/ca.pem', validate_certs=False)


@pytest.mark.parametrize('validate_certs, ca_file, expected', [(True, False, True), (True, True, 'CA'), (False, True, False)])
def test_every_request_carries_the_verify_setting(monkeypatch, tmp_path, validate_certs, ca_file, expected):
    """requests lets REQUESTS_CA_BUNDLE override a session's verify, so ca_path and validate_certs: false would be
    ignored wherever it is set (execution environments often set it): the client passes verify on each request."""
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt')
    ca_path = None
    if ca_file:
        ca_path = str(tmp_path / 'ca.pem')
        (tmp_path / 'ca.pem').write_text('PEM')
    client, dummy, dummy2 = make_client([ok('{"version": "1.2.3"}')], validate_certs=validate_certs, ca_path=ca_path)
    client.get_cluster_version()
    assert client.session.calls[0]['verify'] == (ca_path if expected == 'CA' else expected)


def test_requests_does_override_a_session_verify_from_the_environment(monkeypatch):
    """The requests behaviour the client works around (if this starts failing, the workaround may go)."""
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/env/bundle.pem')
    session = requests.Session()
    session.verify = '/my/ca.pem'
    assert session.merge_environment_settings('https://x', {}, None, None, None)['verify'] == '/env/bundle.pem'
    assert session.merge_environment_settings('https://x', {}, None, '/my/ca.pem', None)['verify'] == '/my/ca.pem'


def test_collection_version_matches_galaxy_yml():
    import pathlib
    import yaml
    galaxy = yaml.safe_load((pathlib.Path(__file__).parents[4] / 'galaxy.yml').read_text())
    assert _client.COLLECTION_VERSION == galaxy['version']


def test_insecure_and_plain_http_warn_without_the_token():
    warnings = []
    DynatraceClient('https://dt.example.com', TOKEN, validate_certs=False, warn=warnings.append)
    DynatraceClient('http://dt.example.com', TOKEN, warn=warnings.append)
    DynatraceClient('http://127.0.0.1:8021', TOKEN, warn=warnings.append)
    assert len(warnings) == 2
    assert 'validate_certs is false' in warnings[0] and 'plain http://' in warnings[1]
    assert all(TOKEN not in w and TOKEN.rsplit('.', maxsplit=1)[-1] not in w for w in warnings)


def test_every_request_has_a_timeout():
    client, dummy, dummy2 = make_client([ok('{"version": "1.2.3"}')], timeout=7)
    client.get_cluster_version()
    assert client.session.calls[0]['timeout'] == 7


@pytest.mark.parametrize('status', [429, 502, 503, 504, 556])
@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_transient_statuses_are_retried_for_safe_methods(method, status):
    client, sleeps, dummy = make_client([FakeResponse(status, 'busy'), FakeResponse(status, 'busy'), ok('{"a": 1}')])
    assert client.request(method, '/x') == {'a': 1}
    assert len(client.session.calls) == 3 and client.retry_count == 2
    assert sleeps == [0.5, 1.0]


def test_persistent_failure_names_status_and_attempts():
    client, sleeps, dummy = make_client([FakeResponse(503, '{"error": {"code": 503, "message": "Service unavailable"}}')] * 4,
                                        retries=3)
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/api/cluster/v2/environments')
    text = str(caught.value)
    assert 'HTTP 503' in text and 'after 4 attempts' in text and 'Service unavailable' in text
    assert caught.value.status == 503 and len(sleeps) == 3


def test_retry_after_and_rate_limit_reset_set_the_wait():
    client, sleeps, dummy = make_client([FakeResponse(429, '', {'Retry-After': '2'}),
                                         FakeResponse(429, '', {'X-RateLimit-Reset': '3'}), ok()])
    client.request('GET', '/x')
    assert sleeps == [2.0, 3.0] and client.waited_seconds == 5.0


def test_a_huge_retry_after_is_capped_and_total_wait_bounded():
    client, sleeps, dummy = make_client([FakeResponse(429, '', {'Retry-After': '3600'})] * 10, retries=9)
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/x')
    assert caught.value.status == 429
    assert all(wait <= _client.MAX_SINGLE_WAIT_SECONDS for wait in sleeps)
    assert sum(sleeps) <= _client.MAX_TOTAL_WAIT_SECONDS


def test_connection_errors_are_retried_for_get():
    client, dummy, dummy2 = make_client([requests.exceptions.ConnectionError('Connection reset by peer'),
                                         requests.exceptions.ReadTimeout('Read timed out'), ok('[]')])
    assert client.request('GET', '/x') == []
    assert len(client.session.calls) == 3


@pytest.mark.parametrize('status', [429, 503, 556])
def test_post_is_retried_when_the_server_did_not_act(status):
    client, dummy, dummy2 = make_client([FakeResponse(status, ''), ok('{"id": "e1"}', 201)])
    assert client.create_environment({'name': 'a'}, create_token=False) == ('e1', None)
    assert len(client.session.calls) == 2


def test_post_is_retried_when_the_connection_was_refused():
    refused = requests.exceptions.ConnectionError('NewConnectionError: [Errno 111] Connection refused')
    client, dummy, dummy2 = make_client([refused, ok('{"id": "e1", "tokenManagementToken": "t"}', 201)])
    assert client.create_environment({'name': 'a'}, create_token=True) == ('e1', 't')
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
        client.create_environment({'name': 'a'}, create_token=False)
    assert len(client.session.calls) == 1


def test_post_400_is_not_retried_and_carries_violations():
    body = '{"error": {"code": 400, "message": "Constraints violated.", "constraintViolations": ' \
           '[{"path": "quotas.demUnits", "message": "Cannot set DEM units quota."}]}}'
    client, dummy, dummy2 = make_client([FakeResponse(400, body)])
    with pytest.raises(DynatraceError) as caught:
        client.create_environment({'name': 'a'}, create_token=False)
    assert caught.value.violations == [('quotas.demUnits', 'Cannot set DEM units quota.')]
    assert 'quotas.demUnits: Cannot set DEM units quota.' in str(caught.value)


def test_location_header_gives_the_id_when_the_body_has_none():
    client, dummy, dummy2 = make_client([ok('', 201, {'Location': 'https://dt/api/cluster/v2/environments/abc'})])
    assert client.create_environment({'name': 'a'}, create_token=False) == ('abc', None)


def test_tls_failure_is_not_retried_and_says_what_to_do():
    client, dummy, dummy2 = make_client([requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')])
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/x')
    assert 'TLS certificate verification failed' in str(caught.value) and 'ca_path' in str(caught.value)
    assert '(certificate verify failed)' in str(caught.value)
    assert len(client.session.calls) == 1


@pytest.mark.parametrize('status, scope', [(401, 'ServiceProviderAPI'), (403, 'ServiceProviderAPI')])
def test_auth_failures_name_the_scope(status, scope):
    client, dummy, dummy2 = make_client([FakeResponse(status, '{"error": {"code": %d, "message": "Token is invalid"}}' % status)])
    with pytest.raises(DynatraceError) as caught:
        client.list_environments()
    assert scope in str(caught.value) and caught.value.status == status


def test_version_403_names_the_data_export_scope():
    client, dummy, dummy2 = make_client([FakeResponse(403, '{"error": {"code": 403, "message": "Forbidden"}}')])
    with pytest.raises(DynatraceError, match='DataExport'):
        client.get_cluster_version('env1')


def test_no_message_ever_contains_the_token():
    echo = '{"error": {"code": 403, "message": "Token %s is not allowed", "constraintViolations": ' \
           '[{"path": "header", "message": "%s"}]}}' % (TOKEN, TOKEN.rsplit('.', maxsplit=1)[-1])
    client, dummy, dummy2 = make_client([FakeResponse(403, echo),
                                         requests.exceptions.ConnectionError('failed for Api-Token %s' % TOKEN)], retries=0)
    for dummy3 in range(2):
        with pytest.raises(DynatraceError) as caught:
            client.request('GET', '/x')
        text = str(caught.value) + repr(caught.value.to_result())
        assert TOKEN not in text and TOKEN.rsplit('.', maxsplit=1)[-1] not in text


def test_truncated_json_answer_is_a_clear_error():
    client, dummy, dummy2 = make_client([ok('{"environments": [{"name": ')])
    with pytest.raises(DynatraceError, match='not valid JSON'):
        client.request('GET', '/x')


def test_pagination_follows_next_page_key_and_sends_nothing_else_with_it():
    pages = [ok('{"totalCount": 3, "nextPageKey": "K1", "environments": [{"id": "a"}]}'),
             ok('{"totalCount": 3, "nextPageKey": "K2", "environments": [{"id": "b"}]}'),
             ok('{"totalCount": 3, "nextPageKey": null, "environments": [{"id": "c"}]}')]
    client, dummy, dummy2 = make_client(pages)
    environments, total = client.list_environments(filter_expression='name(x)', include_storage=True, sort='name')
    assert [e['id'] for e in environments] == ['a', 'b', 'c'] and total == 3
    calls = client.session.calls
    assert calls[0]['params'] == {'pageSize': 1000, 'sort': 'name', 'filter': 'name(x)', 'includeStorageInfo': 'true'}
    assert calls[1]['params'] == {'nextPageKey': 'K1'} and calls[2]['params'] == {'nextPageKey': 'K2'}


def test_uncached_consumption_wins_over_cached():
    client, dummy, dummy2 = make_client([ok('{"environments": []}')])
    client.list_environments(include_consumption=True, uncached_consumption=True)
    assert client.session.calls[0]['params'] == {'pageSize': 1000, 'includeUncachedConsumptionInfo': 'true'}


def test_get_404_is_none_and_delete_404_is_false():
    client, dummy, dummy2 = make_client([FakeResponse(404, '{"error": {"code": 404, "message": "not found"}}'),
                                         FakeResponse(404, '{"error": {"code": 404, "message": "not found"}}'),
                                         FakeResponse(204, '')])
    assert client.get_environment('nope') is None
    assert client.delete_environment('nope') is False
    assert client.delete_environment('yes') is True


def test_environment_ids_are_escaped_in_paths():
    assert DynatraceClient.environment_path('a/b c') == '/api/cluster/v2/environments/a%2Fb%20c'


def test_cluster_time_reports_the_local_midpoint():
    client, dummy, dummy2 = make_client([FakeResponse(200, '1700000000123', {'Content-Type': 'text/plain'})])
    cluster_ms, local_ms = client.get_cluster_time('env')
    assert cluster_ms == 1700000000123 and abs(local_ms - NOW * 1000) > 0
    assert client.session.calls[0]['url'] == 'https://dt.example.com/e/env/api/v1/time'


def test_get_environment_asks_for_uncached_consumption_and_storage():
    client, dummy, dummy2 = make_client([ok('{"id": "e"}')])
    client.get_environment('e', include_consumption=True, include_storage=True, uncached_consumption=True)
    assert client.session.calls[0]['params'] == {'includeUncachedConsumptionInfo': 'true', 'includeStorageInfo': 'true'}
