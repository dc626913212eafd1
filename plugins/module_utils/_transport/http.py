# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport to a Dynatrace Managed cluster: one request() that answers one Response type.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice. Do not import it from
other collections or from your own plugins.

Every request of every module goes through DynatraceClient.request(): authentication, TLS,
timeouts, retries with backoff, the Dynatrace error envelope and redaction live here and nowhere
else. It knows no endpoint (those are the _api_*.py files) and imports nothing from Ansible.
"""

import json
import os
import random
import threading
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.diagnose import (
    answered_in_plain_http, closed_without_answer, host_and_port, name_does_not_resolve, plain_http_to_tls_port,
    speaks_tls,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import (  # noqa: F401 (re-exported)
    ConnectionOptionError, DynatraceError, ResponseLostError, describe_connection_error, parse_error_body, redact,
    secret_pieces, summarize_non_json,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.options import timeout_error, token_error
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.retry import (  # noqa: F401 (re-exported)
    MAX_SINGLE_WAIT_SECONDS, MAX_TOTAL_WAIT_SECONDS, RateGate, backoff_delay, is_retryable, server_requested_wait,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.url import (  # noqa: F401 (re-exported)
    is_loopback_host, normalize_url, without_user_part,
)

COLLECTION_NAME = 'clusterops.dynatrace'
COLLECTION_VERSION = '1.1.0'

# Token scopes, named in 401/403 messages so users know which token to create.
SCOPE_SERVICE_PROVIDER = 'ServiceProviderAPI'
SCOPE_DATA_EXPORT = 'DataExport'
SCOPE_ENVIRONMENT_TOKEN_MANAGEMENT = 'EnvironmentTokenManagement'

JSON = 'application/json; charset=utf-8'
# A listing stops with an error after this many pages: far more than any cluster needs, even one environment a page.
MAX_PAGES = 10000


class Response:
    """A successful answer: status, headers, and the body (decoded JSON, or the text for a non-JSON accept)."""

    def __init__(self, status, headers, body, text):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = text

    def __repr__(self):
        # Not the body: a create answer holds a new token.
        return 'Response(status=%r)' % self.status


def user_agent(requests_version, ansible_version='unknown'):
    return '%s/%s (ansible-core/%s; python-requests/%s)' % (COLLECTION_NAME, COLLECTION_VERSION, ansible_version,
                                                            requests_version)


class DynatraceClient:
    """One session to one Dynatrace cluster; every API call goes through request().

    `warn` receives warnings for the user (module.warn). The counters `retry_count` and
    `waited_seconds` are reported in module results.
    """

    def __init__(self, url, api_token, validate_certs=True, ca_path=None, timeout=30, retries=5,
                 warn=None, sleep=time.sleep, rand=random.random, ansible_version='unknown', token_option='api_token'):
        import requests  # imported here so that a module's start-up does not pay for it twice

        self._requests = requests
        self.base_url, self.url_environment_id = normalize_url(url)
        # The whole token, its secret part alone and every piece of a malformed one (an echo may split it); a short
        # value would redact common words. Known before the checks below, so even a refusal cannot show a piece.
        self._secrets = secret_pieces(api_token) + secret_pieces(str(api_token or '').rsplit('.', 1)[-1])
        if not api_token or not str(api_token).strip():
            raise ConnectionOptionError('%s must not be empty: give a Dynatrace API token (dt0c01....)' % token_option)
        self._token = str(api_token).strip()
        for problem in (token_error(self._token, token_option), timeout_error(timeout)):
            if problem:
                raise ConnectionOptionError(problem)
        self.timeout = timeout
        self.retries = retries
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        self._rand = rand
        self.retry_count = 0
        self.waited_seconds = 0.0
        self.gate = RateGate()
        self._speaks_tls = None  # asked once, when an http:// connection closes without an answer
        self._thread = threading.local()  # per worker thread: up to when it slept for the gate itself
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': 'Api-Token %s' % self._token,
            'Accept': JSON,
            'User-Agent': user_agent(requests.__version__, ansible_version),
        })
        if validate_certs and ca_path and not os.path.exists(ca_path):
            raise ConnectionOptionError('ca_path %s does not exist: give the PEM file of the CA that signed the '
                                        'cluster certificate' % ca_path)
        self.session.verify = (ca_path or True) if validate_certs else False
        if not validate_certs:
            self._silence_insecure_request_warning()
            self._warn('validate_certs is false: the TLS certificate of %s is not verified, so the API token '
                       'can be intercepted. Prefer ca_path with the CA that signed the cluster certificate.' % self.base_url)
        if self.base_url.startswith('http://') and not is_loopback_host(self.base_url):
            self._warn('url uses plain http:// to a host that is not loopback: the API token travels unencrypted. '
                       'Use https://.')

    def with_token(self, api_token, token_option='token_management_token'):
        """A client to the same cluster with the same TLS, timeout and retry settings and another token.

        For calls under /e/{id}/... that need an environment token. The warnings about the connection were given
        once, by this client; the new one warns only about its own requests.
        """
        verify = self.session.verify
        sibling = DynatraceClient(self.base_url, api_token, validate_certs=verify is not False,
                                  ca_path=verify if isinstance(verify, str) else None, timeout=self.timeout,
                                  retries=self.retries, sleep=self._sleep, rand=self._rand, token_option=token_option)
        sibling.session.headers['User-Agent'] = self.session.headers['User-Agent']
        sibling.gate = self.gate  # one server, one limit: a 429 in an environment slows the cluster calls too
        sibling._warn = self._warn  # pylint: disable=protected-access
        return sibling

    def request(self, method, path, params=None, json_body=None, scope=None, accept=None):
        """Send one API call with retries; return its Response, or raise DynatraceError.

        Every status of 400 and above raises, with the status on the error (the API layer decides
        what a 404 means). `scope` is named in 401/403 messages. `accept` is the media type asked
        for: JSON (the default) is decoded into Response.body, any other type is left as text.
        GET, PUT and DELETE are retried on 429/502/503/504/556 and connection failures; a POST only
        when the server certainly did not act (429/503/556 or a refused connection).
        """
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            self._pass_gate()
            outcome = self._send_once(method, path, params, json_body, accept)
            if not outcome.retryable(method) or attempt > self.retries:
                break
            wait = self._next_wait(outcome, attempt)
            if waited + wait > MAX_TOTAL_WAIT_SECONDS:
                break
            if outcome.response is not None and outcome.response.status_code in (429, 503):
                # The server is saturated: every worker waits, not only this one.
                self._thread.slept_until = self.gate.hold(wait)
            self._sleep(wait)
            waited += wait
            self.waited_seconds += wait
            self.retry_count += 1
        return self._finish(outcome, method, path, attempt, scope, accept)

    def _pass_gate(self):
        """Wait while another request of the run was told to slow down (counted as waiting, not as a retry)."""
        pause = self.gate.remaining(getattr(self._thread, 'slept_until', 0.0))
        if pause > 0:
            self._sleep(pause)
            self.waited_seconds += pause

    def _send_once(self, method, path, params, json_body, accept):
        exceptions = self._requests.exceptions
        try:
            # verify per request: requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE override the session's
            # verify (ca_path, or validate_certs false), but never a request's own.
            # No redirect is followed: a redirect means a wrong url, and following one can carry the token elsewhere.
            response = self.session.request(method, self.base_url + path, params=params, json=json_body,
                                            headers={'Accept': accept} if accept else None, allow_redirects=False,
                                            timeout=self.timeout, verify=self.session.verify)
            text = response.text  # reads the whole body: a connection drop mid-body surfaces here
        except exceptions.SSLError as exc:
            return _Outcome(error=exc, kind='plain_http_server' if answered_in_plain_http(exc) else 'tls')
        except exceptions.ConnectTimeout as exc:
            return _Outcome(error=exc, kind='not_sent')
        except exceptions.ConnectionError as exc:
            return _Outcome(error=exc, kind=self._connection_error_kind(exc))
        except (exceptions.Timeout, exceptions.ChunkedEncodingError) as exc:
            return _Outcome(error=exc, kind='lost')
        except (exceptions.RequestException, ValueError) as exc:
            # Refused by requests before sending (an invalid header, URL or body): its message may quote the header,
            # that is the token, so only its kind is named, never its text.
            raise DynatraceError('the request could not be sent (%s, raised by the requests library before anything '
                                 'reached the cluster)' % type(exc).__name__, method=method, path=path)
        return _Outcome(response=response, text=text)

    def _connection_error_kind(self, exc):
        if name_does_not_resolve(exc):
            return 'unresolved'
        if 'refused' in str(exc).lower() or 'NewConnectionError' in str(exc):
            return 'not_sent'
        if self.base_url.startswith('http://') and closed_without_answer(exc) and self._is_tls_server():
            return 'tls_server'
        return 'lost'

    def _is_tls_server(self):
        """Whether the http:// server speaks TLS instead: asked with one handshake (no request, no token), once."""
        if self._speaks_tls is None:
            host, port = host_and_port(self.base_url)
            self._speaks_tls = speaks_tls(host, port, min(self.timeout, 5.0))
        return self._speaks_tls

    def _next_wait(self, outcome, attempt):
        wait = None
        if outcome.response is not None and outcome.response.status_code in (429, 503, 556):
            wait = server_requested_wait(outcome.response.headers)
        if wait is None:
            wait = backoff_delay(attempt, self._rand)
        return min(wait, MAX_SINGLE_WAIT_SECONDS)

    def _finish(self, outcome, method, path, attempts, scope, accept):
        if outcome.response is None:
            raise self._connection_failure(outcome, method, path, attempts)
        response, status = outcome.response, outcome.response.status_code
        if status >= 400:
            raise self._http_failure(response, outcome.text, method, path, attempts, scope)
        if 300 <= status < 400:
            raise self._redirect_failure(response, method, path, attempts)
        if accept and 'json' not in accept:
            body = outcome.text
        else:
            body = self._decode(outcome.text, response, method, path)
        return Response(status, response.headers, body, outcome.text)

    def _decode(self, text, response, method, path):
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            # Redact before summarising: a cut through a token would leave part of its secret unrecognised.
            gist = summarize_non_json(response.status_code, response.headers.get('Content-Type'), self.redact(text))
            raise DynatraceError('the answer is not valid JSON (truncated or not from Dynatrace): %s' % gist,
                                 status=response.status_code, method=method, path=path)

    def _redirect_failure(self, response, method, path, attempts):
        location = response.headers.get('Location')
        target = self.redact(without_user_part(location)) if location else 'no Location header'
        return DynatraceError('the server answered with a redirect to %s. API calls follow no redirect (it means a '
                              'wrong url, and following it could carry the API token elsewhere): set url to the '
                              'address of the cluster itself' % target,
                              status=response.status_code, method=method, path=path, attempts=attempts)

    def _connection_failure(self, outcome, method, path, attempts):
        reason = self.redact(describe_connection_error(outcome.error))
        if outcome.kind in ('plain_http_server', 'tls_server', 'unresolved'):
            return DynatraceError(self._wrong_address_message(outcome.kind, reason), method=method, path=path,
                                  attempts=attempts)
        if outcome.kind == 'tls':
            return DynatraceError('TLS certificate verification failed for %s (%s). Set ca_path to the CA bundle that '
                                  'signed the cluster certificate, or validate_certs: false (not recommended).'
                                  % (self.base_url, reason), method=method, path=path, attempts=attempts)
        if method == 'POST' and outcome.kind == 'lost':
            return ResponseLostError('the request was sent to %s but no answer came back (%s); the server may or may '
                                     'not have acted on it' % (self.base_url, reason), method=method, path=path,
                                     attempts=attempts)
        return DynatraceError('cannot reach %s: %s' % (self.base_url, reason), method=method, path=path,
                              attempts=attempts)

    def _wrong_address_message(self, kind, reason):
        """The message of a failure no retry can change, naming url and what to change in it."""
        host, port = host_and_port(self.base_url)
        if kind == 'plain_http_server':
            return ('url is https:// but the server at %s:%s answered in plain HTTP, not TLS (%s): this is the wrong '
                    'scheme or port, not a certificate problem. Use the HTTPS address of the cluster (http:// only '
                    'for a local test server such as the emulator)' % (host, port, reason))
        if kind == 'tls_server':
            return ('url is http:// but the server at %s:%s speaks HTTPS (TLS) and refused the plain-HTTP request '
                    '(%s): use https://%s' % (host, port, reason, self.base_url[len('http://'):]))
        return ('cannot resolve the host name %s of url (%s): check the name in url and the DNS of the machine that '
                'runs the module; not retried' % (host, reason))

    def _http_failure(self, response, text, method, path, attempts, scope):
        status = response.status_code
        # Redact before parsing: the summary of a body is cut short, and a cut through a token would hide it.
        message, violations = parse_error_body(status, response.headers.get('Content-Type'), self.redact(text))
        if status == 400 and self.base_url.startswith('http://') and plain_http_to_tls_port(text):
            message = self._wrong_address_message('tls_server', message)
        if status in (401, 403) and scope:
            message += (' The API token needs the scope %s%s.'
                        % (scope, ' (a cluster token from the Cluster Management Console)' if scope == SCOPE_SERVICE_PROVIDER else ''))
        if status == 401 and not scope:
            message += ' The API token was not accepted.'
        error_class = ResponseLostError if method == 'POST' and status in (502, 504) else DynatraceError
        if error_class is ResponseLostError:
            message = 'a gateway answered %d, so the server may or may not have acted on it: %s' % (status, message)
        return error_class(message, status=status, method=method, path=path, violations=violations, attempts=attempts)

    def redact(self, text):
        """`text` without the API token (whole, or its secret part) and without any other token's secret."""
        return redact(text, self._secrets)

    def _silence_insecure_request_warning(self):
        try:
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        except ImportError:
            pass


class _Outcome:
    """What one attempt produced: a response, or a connection failure of a given kind.

    kind: 'not_sent' (the server never saw the request), 'lost' (sent, no answer), 'tls'.
    """

    def __init__(self, response=None, text=None, error=None, kind=None):
        self.response = response
        self.text = text
        self.error = error
        self.kind = kind

    def retryable(self, method):
        if self.response is not None:
            return is_retryable(method, status=self.response.status_code)
        return is_retryable(method, failure=self.kind)


def iter_pages(client, path, params, items_key, what, scope=None, max_pages=MAX_PAGES):
    """Yield every page of a listing (a dict with a list under `items_key`), following nextPageKey.

    With nextPageKey the API forbids every other parameter: the key carries them. A key the server
    sends twice, or more than `max_pages` pages, fail instead of looping for ever.
    """
    seen = set()
    for dummy in range(max_pages):
        page = client.request('GET', path, params=params, scope=scope).body
        if not isinstance(page, dict) or not isinstance(page.get(items_key), list):
            raise DynatraceError('the %s answer has no "%s" list' % (what, items_key), method='GET', path=path)
        yield page
        next_page_key = page.get('nextPageKey')
        if not next_page_key:
            return
        if next_page_key in seen:
            raise DynatraceError('the server sent the same nextPageKey twice (%s) after %d pages of the %s: it would '
                                 'loop for ever, so the listing stops' % (str(next_page_key)[:40], len(seen) + 1, what),
                                 method='GET', path=path)
        seen.add(next_page_key)
        params = {'nextPageKey': next_page_key}
    raise DynatraceError('the %s has more than %d pages; the listing stops there (a server that never ends its '
                         'pagination?)' % (what, max_pages), method='GET', path=path)
