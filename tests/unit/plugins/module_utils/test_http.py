"""Unit tests of the transport (_http): URL rules, header parsing, backoff, retry decisions, errors.

HTTP is stubbed here; the same paths run over real HTTP against the emulator in tests/integration.
"""

import email.utils

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport import http as _http
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport import retry as _http_retry
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    DynatraceClient, DynatraceError, ConnectionOptionError, is_loopback_host, normalize_url, parse_error_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.retry import (
    backoff_delay, parse_rate_limit_reset, parse_retry_after,
)
from tests.unit.plugins.module_utils.fake_http import TOKEN, FakeResponse, make_client, ok

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
    assert backoff_delay(30, rand=lambda: 1.0) == pytest.approx(_http_retry.BACKOFF_CAP_SECONDS)
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


def test_session_sends_auth_user_agent_and_verifies_tls_by_default(tmp_path):
    client = DynatraceClient('https://dt.example.com', TOKEN)
    assert client.session.headers['Authorization'] == 'Api-Token ' + TOKEN
    assert client.session.headers['User-Agent'].startswith('clusterops.dynatrace/1.1.0 (ansible-core/')
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
    client.request('GET', '/api/v1/config/clusterversion')
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
    assert _http.COLLECTION_VERSION == galaxy['version']


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
    client.request('GET', '/api/v1/config/clusterversion')
    assert client.session.calls[0]['timeout'] == 7


@pytest.mark.parametrize('status', [429, 502, 503, 504, 556])
@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_transient_statuses_are_retried_for_safe_methods(method, status):
    client, sleeps, dummy = make_client([FakeResponse(status, 'busy'), FakeResponse(status, 'busy'), ok('{"a": 1}')])
    assert client.request(method, '/x').body == {'a': 1}
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
    assert all(wait <= _http_retry.MAX_SINGLE_WAIT_SECONDS for wait in sleeps)
    assert sum(sleeps) <= _http_retry.MAX_TOTAL_WAIT_SECONDS


def test_connection_errors_are_retried_for_get():
    client, dummy, dummy2 = make_client([requests.exceptions.ConnectionError('Connection reset by peer'),
                                         requests.exceptions.ReadTimeout('Read timed out'), ok('[]')])
    assert client.request('GET', '/x').body == []
    assert len(client.session.calls) == 3


def test_tls_failure_is_not_retried_and_says_what_to_do():
    client, dummy, dummy2 = make_client([requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')])
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/x')
    assert 'TLS certificate verification failed' in str(caught.value) and 'ca_path' in str(caught.value)
    assert '(certificate verify failed)' in str(caught.value)
    assert len(client.session.calls) == 1


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


# ---------------------------------------------------------------------------------------------
# Trust: secrets in no message, no redirect followed, no endless pagination

OTHER_TOKEN = 'dt0c01.OTHERPUBLICPART0000000000.' + 'Q1w2E3r4' * 8
URL_PASSWORD = 'hunter2-Secret'


def secret_leaks(text):
    """The pieces of a token secret found in `text` (8 characters are enough to count as a leak)."""
    secrets = (TOKEN.rsplit('.', 1)[-1], OTHER_TOKEN.rsplit('.', 1)[-1], URL_PASSWORD)
    return [secret[index:index + 8] for secret in secrets for index in range(len(secret) - 7)
            if secret[index:index + 8] in text]


@pytest.mark.parametrize('offset', [90, 100, 110, 118])
def test_a_token_crossing_the_cut_of_an_error_page_is_redacted_first(offset):
    """The summary of an error page is cut to 160 characters: redacting after the cut missed a token crossing it."""
    page = '<html><body>%s %s and %s</body></html>' % ('x' * offset, TOKEN, OTHER_TOKEN)
    client, dummy, dummy2 = make_client([FakeResponse(500, page, {'Content-Type': 'text/html'})], retries=0)
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/x')
    assert secret_leaks(str(caught.value) + repr(caught.value.to_result())) == []


def test_every_token_shape_is_redacted_not_only_the_configured_one():
    echo = ('{"error": {"code": 400, "message": "token %s is not %s", "constraintViolations": '
            '[{"path": "%s", "message": "bad %s"}]}}' % (OTHER_TOKEN, TOKEN, OTHER_TOKEN, OTHER_TOKEN))
    client, dummy, dummy2 = make_client([FakeResponse(400, echo)])
    with pytest.raises(DynatraceError) as caught:
        client.request('POST', '/x', json_body={})
    text = str(caught.value) + repr(caught.value.to_result())
    assert secret_leaks(text) == []
    assert 'dt0c01.OTHERPUBLICPART0000000000.********' in text  # the public part still says which token


def test_a_broken_answer_quoting_a_new_token_is_redacted():
    """A 201 whose JSON is cut short: the error quotes the body, which holds the created token."""
    broken = '{"id": "e1", "tokenManagementToken": "%s", "name": "cut' % OTHER_TOKEN
    client, dummy, dummy2 = make_client([ok(broken, 201)])
    with pytest.raises(DynatraceError, match='not valid JSON') as caught:
        client.request('POST', '/api/cluster/v2/environments', json_body={})
    assert secret_leaks(str(caught.value)) == []


def test_redaction_of_errors_raised_anywhere():
    error = DynatraceError('lost %s' % OTHER_TOKEN, violations=[('p', OTHER_TOKEN)])
    error.message = 'rewritten %s' % OTHER_TOKEN  # as a caller setting the message by hand would
    assert secret_leaks(str(error) + error.message.replace(OTHER_TOKEN, '') + repr(error.to_result())) == []


def test_context_is_added_one_way_keeping_the_request_and_redacting_the_new_text():
    error = DynatraceError('Not found.', status=404, method='GET', path='/x', violations=[('p', 'v')], attempts=2)
    assert error.reworded('environment e1: gone (%s) %s' % (error.message, OTHER_TOKEN)) is error
    assert error.message.startswith('environment e1: gone (Not found.)') and OTHER_TOKEN not in error.message
    assert (error.status, error.method, error.path, error.attempts) == (404, 'GET', '/x', 2)
    assert str(error).startswith('GET /x failed with HTTP 404: environment e1: gone') and error.args == (error.message,)


@pytest.mark.parametrize('url', [
    'https://admin:%s@dt.example.com' % URL_PASSWORD,
    'https://%s@dt.example.com/e/abc' % URL_PASSWORD,
    'http://user:%s@127.0.0.1:8021/' % URL_PASSWORD,
])
def test_a_user_part_in_the_url_is_refused_without_repeating_it(url):
    """requests would send it as Basic authentication instead of the token, and it was repeated in errors."""
    with pytest.raises(ConnectionOptionError) as caught:
        DynatraceClient(url, TOKEN)
    assert 'url must not carry a user name or password' in str(caught.value)
    assert secret_leaks(str(caught.value)) == [] and 'admin' not in str(caught.value)


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
@pytest.mark.parametrize('method', ['GET', 'PUT', 'POST', 'DELETE'])
def test_no_redirect_is_followed_or_retried_and_the_location_is_named(method, status):
    location = 'https://user:%s@elsewhere.example.com/login?next=%s' % (URL_PASSWORD, OTHER_TOKEN)
    client, dummy, dummy2 = make_client([FakeResponse(status, '', {'Location': location}), ok()])
    with pytest.raises(DynatraceError) as caught:
        client.request(method, '/api/cluster/v2/environments')
    text = str(caught.value)
    assert caught.value.status == status and 'redirect to https://elsewhere.example.com/login' in text
    assert 'follow no redirect' in text and secret_leaks(text) == []
    assert len(client.session.calls) == 1 and client.session.calls[0]['allow_redirects'] is False


def test_a_repeated_next_page_key_stops_the_listing():
    page = ok('{"environments": [{"id": "a"}], "nextPageKey": "SAME"}')
    client, dummy, dummy2 = make_client([ok('{"environments": [], "nextPageKey": "SAME"}'), page, page, page])
    with pytest.raises(DynatraceError, match='same nextPageKey twice .SAME. after 2 pages'):
        list(_http.iter_pages(client, '/l', {}, 'environments', 'environment list'))
    assert len(client.session.calls) == 2


def test_a_listing_that_never_ends_stops_at_the_page_bound():
    pages = [ok('{"environments": [], "nextPageKey": "K%d"}' % index) for index in range(10)]
    client, dummy, dummy2 = make_client(pages)
    with pytest.raises(DynatraceError, match='more than 4 pages'):
        list(_http.iter_pages(client, '/l', {}, 'environments', 'environment list', max_pages=4))
    assert len(client.session.calls) == 4
    assert _http.MAX_PAGES >= 10000  # enough for any cluster at one environment a page


@pytest.mark.parametrize('body', ['[]', '{"environment": []}', '{"environments": {}}', '"text"', ''])
def test_a_listing_page_of_the_wrong_shape_is_a_clear_error(body):
    client, dummy, dummy2 = make_client([ok(body)])
    with pytest.raises(DynatraceError, match='the environment list answer has no "environments" list'):
        list(_http.iter_pages(client, '/l', {}, 'environments', 'environment list'))


# ---------------------------------------------------------------------------------------------
# Malformed configured tokens: refused before any request, and never shown, not even in pieces

MALFORMED = {
    'a line break (a wrapped paste)': TOKEN[:40] + '\n' + TOKEN[40:],
    'a carriage return and line break': TOKEN[:50] + '\r\n' + TOKEN[50:],
    'a space': TOKEN[:30] + ' ' + TOKEN[30:],
    'a tab': TOKEN[:70] + '\t' + TOKEN[70:],
    'a non-ASCII character': TOKEN[:60] + '\u00e9' + TOKEN[60:],
    'a control character': TOKEN[:60] + '\x07' + TOKEN[60:],
}


def malformed_leaks(text, token):
    """Any 8 characters in a row of the token's letters and digits (a malformed token has no clean secret part)."""
    clean = ''.join(character for character in token if character.isalnum() and character.isascii())
    return [clean[index:index + 8] for index in range(len(clean) - 7) if clean[index:index + 8] in text]


@pytest.mark.parametrize('what', sorted(MALFORMED))
def test_a_malformed_token_is_refused_before_any_request_naming_the_option_and_showing_none_of_it(what):
    token = MALFORMED[what]
    with pytest.raises(ConnectionOptionError) as caught:
        DynatraceClient('https://dt.example.com', token, token_option='api_token')
    message = str(caught.value)
    assert message.startswith('api_token holds') and 'not shown' in message, message
    assert malformed_leaks(message, token) == []
    cluster = DynatraceClient('https://dt.example.com', TOKEN)
    with pytest.raises(ConnectionOptionError, match='^token_management_token holds'):
        cluster.with_token(token)


@pytest.mark.parametrize('what', sorted(MALFORMED))
def test_redaction_covers_every_piece_of_a_malformed_configured_value(what):
    token = MALFORMED[what]
    pieces = _http.secret_pieces(token)
    lines = token.split()
    echoes = ['header %r refused' % token, 'lines: %s | %s' % tuple(lines[:2]) if len(lines) > 1 else token,
              'value %s' % token.encode('unicode_escape').decode('ascii')]
    for echo in echoes:
        redacted = _http.redact(echo, pieces)
        assert malformed_leaks(redacted, token) == [], redacted


def test_a_request_that_requests_refuses_to_send_names_no_part_of_it():
    """requests quotes a refused header value (the token) in its error: only the error's kind is reported."""
    client, dummy, dummy2 = make_client([requests.exceptions.InvalidHeader('Invalid header value %r' % ('Api-Token ' + TOKEN))])
    with pytest.raises(DynatraceError) as caught:
        client.request('GET', '/x')
    assert 'InvalidHeader' in str(caught.value) and secret_leaks(str(caught.value)) == []
