"""Unit tests of the transport's diagnostics: a wrong scheme either way, a host name that does not resolve, a bad port,
timeout or token. Each fails at once (no retry) with a message that names the option; the token is never shown.

The socket is stubbed here (the texts are those requests and OpenSSL give); tests/integration/test_diagnostics.py runs
the same cases over real connections to the emulator.
"""

import socket
import threading

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport import diagnose
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    ConnectionOptionError, DynatraceClient, DynatraceError, normalize_url,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.options import timeout_error
from tests.unit.plugins.module_utils.fake_http import TOKEN, FakeResponse, make_client, ok

PLAIN_HTTP_ANSWER = ("HTTPSConnectionPool(host='127.0.0.1', port=8021): Max retries exceeded with url: /api/v1/time "
                     "(Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)')))")
UNRESOLVED = ("HTTPSConnectionPool(host='dt.example.invalid', port=443): Max retries exceeded with url: / (Caused by "
              "NameResolutionError(\"HTTPSConnection(host='dt.example.invalid', port=443): Failed to resolve "
              "'dt.example.invalid' ([Errno -2] Name or service not known)\"))")
RESOLVER_DOWN = UNRESOLVED.replace('[Errno -2] Name or service not known', '[Errno -3] Temporary failure in name resolution')
CLOSED = "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))"


def failure_of(client, method='GET'):
    with pytest.raises(DynatraceError) as caught:
        client.request(method, '/api/v1/time')
    return str(caught.value)


def test_https_to_a_plain_http_server_is_told_apart_from_a_certificate_problem():
    client, sleeps, dummy = make_client([requests.exceptions.SSLError(PLAIN_HTTP_ANSWER)], url='https://127.0.0.1:8021')
    message = failure_of(client)
    assert message.startswith('GET /api/v1/time failed: url is https:// but the server at 127.0.0.1:8021 answered in '
                              'plain HTTP'), message
    assert 'not a certificate problem' in message and 'certificate verification failed' not in message
    assert len(client.session.calls) == 1 and sleeps == []


def test_a_real_certificate_problem_still_says_ca_path():
    client, dummy, dummy2 = make_client([requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')])
    message = failure_of(client)
    assert 'TLS certificate verification failed' in message and 'plain HTTP' not in message


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE', 'POST'])
def test_an_unknown_host_name_is_not_retried(method):
    client, sleeps, dummy = make_client([requests.exceptions.ConnectionError(UNRESOLVED)], url='https://dt.example.invalid')
    message = failure_of(client, method)
    assert 'cannot resolve the host name dt.example.invalid of url (Name or service not known)' in message, message
    assert len(client.session.calls) == 1 and sleeps == []


def test_a_resolver_that_is_down_is_retried():
    client, sleeps, dummy = make_client([requests.exceptions.ConnectionError(RESOLVER_DOWN), ok('{}')])
    assert client.request('GET', '/x').body == {}
    assert len(sleeps) == 1


class _TlsProbe:
    def __init__(self, answer):
        self.answer, self.asked = answer, []

    def __call__(self, host, port, timeout):
        self.asked.append((host, port))
        return self.answer


def test_http_to_a_tls_server_fails_at_once(monkeypatch):
    probe = _TlsProbe(True)
    monkeypatch.setattr('ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http.speaks_tls', probe)
    client, sleeps, dummy = make_client([requests.exceptions.ConnectionError(CLOSED)], url='http://127.0.0.1:8443')
    message = failure_of(client)
    assert 'url is http:// but the server at 127.0.0.1:8443 speaks HTTPS (TLS)' in message, message
    assert 'use https://127.0.0.1:8443' in message
    assert len(client.session.calls) == 1 and sleeps == [] and probe.asked == [('127.0.0.1', 8443)]


def test_a_proxy_page_for_plain_http_on_a_tls_port_says_use_https():
    page = '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>'
    client, sleeps, dummy = make_client([FakeResponse(400, page, {'Content-Type': 'text/html'})], url='http://dt.example.com:443')
    message = failure_of(client)
    assert 'url is http:// but the server at dt.example.com:443 speaks HTTPS (TLS)' in message, message
    assert message.endswith('use https://dt.example.com:443') and len(client.session.calls) == 1 and sleeps == []


def test_a_dropped_http_connection_to_a_plain_server_is_still_retried_and_asked_once(monkeypatch):
    probe = _TlsProbe(False)
    monkeypatch.setattr('ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http.speaks_tls', probe)
    client, sleeps, dummy = make_client([requests.exceptions.ConnectionError(CLOSED)] * 2 + [ok('{}')],
                                        url='http://127.0.0.1:8021')
    assert client.request('GET', '/x').body == {}
    assert len(sleeps) == 2 and len(probe.asked) == 1


def test_speaks_tls_against_a_plain_socket_server_is_false():
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)

    def answer_in_plain_http():
        connection, dummy = server.accept()
        connection.recv(1024)
        connection.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
        connection.close()

    worker = threading.Thread(target=answer_in_plain_http)
    worker.start()
    try:
        assert diagnose.speaks_tls('127.0.0.1', server.getsockname()[1], 5) is False
    finally:
        worker.join(5)
        server.close()


@pytest.mark.parametrize('url, port', [
    ('https://dt.example.com:99999', '99999'),
    ('https://dt.example.com:0/', '0'),
    ('https://dt.example.com:84a3', '84a3'),
    ('https://dt.example.com:-1', '-1'),
    ('https://[::1]:70000', '70000'),
])
def test_a_bad_port_names_url_and_the_rule(url, port):
    with pytest.raises(ConnectionOptionError) as caught:
        normalize_url(url)
    assert str(caught.value) == "url has the port '%s': a port is a number from 1 to 65535 (or none, for the scheme's default)" % port


@pytest.mark.parametrize('value, rule', [
    (float('nan'), 'timeout must be a finite number of seconds greater than 0, got nan'),
    (float('inf'), 'timeout must be a finite number of seconds greater than 0, got inf'),
    (-1.5, 'timeout must be greater than 0 seconds, got -1.5'),
    (0, 'timeout must be greater than 0 seconds, got 0'),
    ('soon', "timeout must be a number of seconds greater than 0, got 'soon'"),
])
def test_a_bad_timeout_names_the_option(value, rule):
    assert timeout_error(value) == rule
    with pytest.raises(ConnectionOptionError) as caught:
        DynatraceClient('https://dt.example.com', TOKEN, timeout=value)
    assert str(caught.value) == rule


@pytest.mark.parametrize('stray, kind', [
    ('\n', 'line break'), (' ', 'space'), ('\t', 'tab'), ('\x00', 'control'), ('\u00e9', 'non-ASCII'), ('\u201d', 'non-ASCII'),
])
@pytest.mark.parametrize('option', ['api_token', 'token_management_token'])
def test_a_stray_character_in_a_token_names_the_option_never_the_token(stray, kind, option):
    token = TOKEN[:20] + stray + TOKEN[20:]
    DynatraceClient('https://dt.example.com', TOKEN, token_option=option)  # the token itself is fine
    with pytest.raises(ConnectionOptionError) as caught:
        DynatraceClient('https://dt.example.com', token, token_option=option)
    message = str(caught.value)
    assert message.startswith(option + ' ') and kind in message and 'not shown' in message, message
    assert TOKEN[:20] not in message and TOKEN[20:] not in message and TOKEN.rsplit('.', 1)[-1][:8] not in message


def test_with_token_checks_the_other_token_under_its_own_option():
    client, dummy, dummy2 = make_client([])
    with pytest.raises(ConnectionOptionError) as caught:
        client.with_token(TOKEN + '\u201d', token_option='environment_api_token')
    assert str(caught.value).startswith('environment_api_token ') and 'non-ASCII' in str(caught.value)
