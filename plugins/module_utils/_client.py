# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client for the Dynatrace Managed Cluster API and Environment API v1.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice. Do not import it from
other collections or from your own plugins.

Every request of every module goes through DynatraceClient: authentication, TLS, timeouts,
retries with backoff, the Dynatrace error envelope and pagination live here and nowhere else.
"""

import email.utils
import ipaddress
import json
import os
import random
import re
import time
import traceback
from urllib.parse import quote

from ansible.module_utils.basic import env_fallback, missing_required_lib

COLLECTION_NAME = 'clusterops.dynatrace'
COLLECTION_VERSION = '1.0.0'

CLUSTER_V2 = '/api/cluster/v2'
ENVIRONMENTS_PATH = CLUSTER_V2 + '/environments'

# Token scopes, named in 401/403 messages so users know which token to create.
SCOPE_SERVICE_PROVIDER = 'ServiceProviderAPI'
SCOPE_DATA_EXPORT = 'DataExport'

MAX_PAGE_SIZE = 1000

# Retry policy. 556 is Dynatrace's "upgrade in progress".
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504, 556))
# Statuses that mean the server did not act on the request at all, so even a POST may be sent again.
NOT_PROCESSED_STATUSES = frozenset((429, 503, 556))
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
# One wait never exceeds this, whatever the server asks; all waits of one call add up to at most
# MAX_TOTAL_WAIT_SECONDS, so a task cannot hang for an hour on a bad Retry-After.
MAX_SINGLE_WAIT_SECONDS = 60.0
MAX_TOTAL_WAIT_SECONDS = 120.0

CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type='str', required=True, fallback=(env_fallback, ['DYNATRACE_URL'])),
    api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['DYNATRACE_API_TOKEN'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['DYNATRACE_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['DYNATRACE_CA_PATH'])),
    timeout=dict(type='float', default=30),
    retries=dict(type='int', default=5),
)


def connection_argument_spec(**module_options):
    """Return the shared connection options merged with a module's own options."""
    spec = dict((name, dict(option)) for name, option in CONNECTION_ARGUMENT_SPEC.items())
    spec.update(module_options)
    return spec


class DynatraceError(Exception):
    """Any failure talking to Dynatrace, with everything a user needs to act on it.

    The message never contains the API token: the client redacts it before raising.
    """

    def __init__(self, message, status=None, method=None, path=None, violations=None, attempts=1):
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.violations = list(violations or [])
        self.attempts = attempts

    def __str__(self):
        where = ' '.join(part for part in (self.method, self.path) if part)
        text = self.message
        if where:
            status = ' failed with HTTP %s' % self.status if self.status else ' failed'
            text = '%s%s: %s' % (where, status, text)
        if self.violations:
            text += ' Constraint violations: %s.' % '; '.join('%s: %s' % pair for pair in self.violations)
        if self.attempts > 1:
            text += ' (after %d attempts)' % self.attempts
        return text

    def to_result(self):
        """Fields for fail_json, so playbooks can branch on the status."""
        return dict(status=self.status, method=self.method, path=self.path,
                    constraint_violations=[dict(path=p, message=m) for p, m in self.violations])


class ResponseLostError(DynatraceError):
    """A request that is not safe to repeat was sent, but its outcome is unknown.

    Raised for a POST whose connection dropped or timed out after sending, or that a gateway
    answered with 502/504. The caller must find out whether the server acted on it.
    """


class ConnectionOptionError(ValueError):
    """A connection option (url, api_token, ca_path) is unusable; the message names the option and the rule."""


def normalize_url(url):
    """Return (base_url, environment_id) for what a user pasted as the cluster URL.

    Keeps scheme, host, port and any reverse-proxy path prefix; drops a trailing slash, query,
    fragment and an API suffix pasted by mistake (`/api/...`, `/e/<id>`, `/e/<id>/api/...`).
    The environment id of a pasted `/e/<id>` is returned, else None.
    """
    text = (url or '').strip()
    if not text:
        raise ConnectionOptionError('url must not be empty: give the cluster address, for example https://dynatrace.example.com')
    match = re.match(r'^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)', text)
    if not match or match.group(1).lower() not in ('http', 'https'):
        scheme = match.group(1) if match else None
        got = "scheme '%s'" % scheme if scheme else 'no scheme'
        raise ConnectionOptionError('url must start with http:// or https://, got %s' % got)
    scheme, netloc, path = match.group(1).lower(), match.group(2), match.group(3)
    if not netloc or netloc.startswith(':'):
        raise ConnectionOptionError('url must name a host after %s://' % scheme)
    segments = [segment for segment in path.split('/') if segment]
    environment_id = None
    for index, segment in enumerate(segments):
        if segment == 'e' and index + 1 < len(segments):
            environment_id = segments[index + 1]
            segments = segments[:index]
            break
        if segment == 'api':
            segments = segments[:index]
            break
    prefix = '/' + '/'.join(segments) if segments else ''
    return '%s://%s%s' % (scheme, netloc, prefix), environment_id


def is_loopback_host(base_url):
    """True when the URL's host is localhost or a loopback address (safe for plain http)."""
    host = re.sub(r'^[a-z]+://', '', base_url).split('/')[0]
    host = host.rsplit('@', 1)[-1]
    if host.startswith('['):
        host = host[1:host.find(']')]
    else:
        host = host.split(':')[0]
    if host.lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def parse_rate_limit_reset(value, now=None):
    """Seconds to wait from an X-RateLimit-Reset header, or None.

    Dynatrace clusters send an epoch timestamp whose unit differs between versions: seconds,
    milliseconds or microseconds. The magnitude tells them apart (an epoch in seconds is about
    1.7e9, in milliseconds 1.7e12, in microseconds 1.7e15). A small number is a delay in seconds.
    """
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number < 1e9:
        return max(0.0, number)
    if number >= 1e14:
        number /= 1e6
    elif number >= 1e11:
        number /= 1e3
    now = time.time() if now is None else now
    return max(0.0, number - now)


def server_requested_wait(headers, now=None):
    """The wait a 429/503 response asks for, from Retry-After or X-RateLimit-Reset, or None."""
    wait = parse_retry_after(headers.get('Retry-After'), now)
    if wait is None:
        wait = parse_rate_limit_reset(headers.get('X-RateLimit-Reset'), now)
    return wait


def backoff_delay(attempt, rand=random.random):
    """Capped exponential backoff with jitter for retry number `attempt` (1 for the first retry).

    The delay is drawn between half and all of the exponential step, so parallel runs that failed
    together do not retry together.
    """
    step = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (2 ** (attempt - 1)))
    return step * (0.5 + rand() / 2)


def parse_error_body(status, content_type, text):
    """Return (message, violations) from an error response body.

    Understands the Dynatrace error envelope, a JSON list of envelopes, and summarises anything
    else (a proxy's HTML page) in one line instead of dumping it.
    """
    payload = None
    text = text or ''
    if 'json' in (content_type or '').lower() or text.lstrip()[:1] in ('{', '['):
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
    envelopes = payload if isinstance(payload, list) else [payload]
    messages, violations = [], []
    for envelope in envelopes:
        error = envelope.get('error') if isinstance(envelope, dict) else None
        if not isinstance(error, dict):
            continue
        if error.get('message'):
            messages.append(str(error['message']))
        for violation in error.get('constraintViolations') or []:
            if isinstance(violation, dict):
                violations.append((str(violation.get('path') or '(request)'), str(violation.get('message') or '')))
    if messages or violations:
        return ' '.join(messages) or 'request rejected', violations
    return summarize_non_json(status, content_type, text), []


def summarize_non_json(status, content_type, text):
    """One line describing a body that is not a Dynatrace error envelope."""
    text = text or ''
    title = re.search(r'<title[^>]*>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
    if title:
        gist = title.group(1)
    else:
        gist = re.sub(r'<[^>]+>', ' ', text)
    gist = ' '.join(gist.split())[:160]
    kind = (content_type or 'no content type').split(';')[0]
    if not gist:
        return 'empty response body (%s)' % kind
    return 'unexpected %s response, not a Dynatrace API answer (a proxy or gateway in between?): %s' % (kind, gist)


def describe_connection_error(exc):
    """A short reason for a requests connection error, without urllib3's nested repr."""
    text = str(exc)
    errno = re.search(r'\[Errno -?\d+\] ([^\'")\]]+)', text)
    if errno:
        return errno.group(1).strip()
    openssl = re.search(r'\[(?:SSL|X509)(?:: [A-Z_]+)?\] ([^\'"(]+)', text)
    if openssl:
        return openssl.group(1).strip()
    for needle in ('Connection refused', 'Connection reset', 'Connection aborted', 'Read timed out',
                   'timed out', 'Name or service not known', 'RemoteDisconnected', 'IncompleteRead'):
        if needle.lower() in text.lower():
            return needle
    return type(exc).__name__


def info_flags(include_consumption=False, include_storage=False, uncached_consumption=False):
    """Query parameters asking for quotas and storage; uncached consumption wins over cached."""
    params = {}
    if uncached_consumption:
        params['includeUncachedConsumptionInfo'] = 'true'
    elif include_consumption:
        params['includeConsumptionInfo'] = 'true'
    if include_storage:
        params['includeStorageInfo'] = 'true'
    return params


class DynatraceClient:
    """One session to one Dynatrace cluster; one method per API endpoint.

    `warn` receives warnings for the user (module.warn). The counters `retry_count` and
    `waited_seconds` are reported in module results.
    """

    def __init__(self, url, api_token, validate_certs=True, ca_path=None, timeout=30, retries=5,
                 warn=None, sleep=time.sleep, rand=random.random):
        import requests  # imported here so that a module's start-up does not pay for it twice

        self._requests = requests
        self.base_url, self.url_environment_id = normalize_url(url)
        if not api_token or not str(api_token).strip():
            raise ConnectionOptionError('api_token must not be empty: give a Dynatrace API token (dt0c01....)')
        self._token = str(api_token).strip()
        self.timeout = timeout
        self.retries = retries
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        self._rand = rand
        self.retry_count = 0
        self.waited_seconds = 0.0
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': 'Api-Token %s' % self._token,
            'Accept': 'application/json; charset=utf-8',
            'User-Agent': user_agent(requests.__version__),
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

    # ----------------------------------------------------------------------------------------
    # Environments (Cluster API v2)

    def iter_environment_pages(self, page_size=MAX_PAGE_SIZE, sort=None, filter_expression=None,
                               include_consumption=False, include_storage=False, uncached_consumption=False):
        """Yield every page of GET /environments, following nextPageKey.

        With nextPageKey the API forbids every other parameter: the key carries them.
        """
        params = {'pageSize': page_size}
        if sort:
            params['sort'] = sort
        if filter_expression:
            params['filter'] = filter_expression
        params.update(info_flags(include_consumption, include_storage, uncached_consumption))
        while True:
            page = self.request('GET', ENVIRONMENTS_PATH, params=params, scope=SCOPE_SERVICE_PROVIDER)
            if not isinstance(page, dict) or not isinstance(page.get('environments'), list):
                raise DynatraceError('the environment list answer has no "environments" list', method='GET',
                                     path=ENVIRONMENTS_PATH)
            yield page
            next_page_key = page.get('nextPageKey')
            if not next_page_key:
                return
            params = {'nextPageKey': next_page_key}

    def list_environments(self, **query):
        """Return (environments, total_count) over all pages; see iter_environment_pages."""
        environments, total_count = [], None
        for page in self.iter_environment_pages(**query):
            environments.extend(page['environments'])
            if total_count is None:
                total_count = page.get('totalCount')
        return environments, total_count if total_count is not None else len(environments)

    def get_environment(self, environment_id, include_consumption=False, include_storage=False, uncached_consumption=False):
        """GET one environment, or None when the id does not exist (404)."""
        params = info_flags(include_consumption, include_storage, uncached_consumption)
        return self.request('GET', self.environment_path(environment_id), params=params,
                            scope=SCOPE_SERVICE_PROVIDER, none_on_404=True)

    def create_environment(self, body, create_token):
        """POST a new environment; return (id, token_management_token or None).

        Raises ResponseLostError when the outcome is unknown: the caller resolves it.
        """
        params = {'createToken': 'true'} if create_token else None
        answer, headers = self.request('POST', ENVIRONMENTS_PATH, params=params, json_body=body,
                                       scope=SCOPE_SERVICE_PROVIDER, with_headers=True)
        answer = answer if isinstance(answer, dict) else {}
        environment_id = answer.get('id') or headers.get('Location', '').rstrip('/').rsplit('/', 1)[-1]
        if not environment_id:
            raise DynatraceError('the create answer carries no environment id', status=201, method='POST',
                                 path=ENVIRONMENTS_PATH)
        return environment_id, answer.get('tokenManagementToken')

    def put_environment(self, environment_id, body, create_token=False):
        """PUT (upsert) an environment; return (created, token_management_token or None)."""
        params = {'createToken': 'true'} if create_token else None
        answer, status = self.request('PUT', self.environment_path(environment_id), params=params, json_body=body,
                                      scope=SCOPE_SERVICE_PROVIDER, with_status=True)
        token = answer.get('tokenManagementToken') if isinstance(answer, dict) else None
        return status == 201, token

    def delete_environment(self, environment_id):
        """DELETE an environment; True when deleted, False when it did not exist."""
        dummy, status = self.request('DELETE', self.environment_path(environment_id), scope=SCOPE_SERVICE_PROVIDER,
                                     none_on_404=True, with_status=True)
        return status != 404

    @staticmethod
    def environment_path(environment_id):
        return '%s/%s' % (ENVIRONMENTS_PATH, quote(str(environment_id), safe=''))

    # ----------------------------------------------------------------------------------------
    # Cluster information (Environment API v1, Cluster API v1)

    def environment_api_path(self, environment_id, suffix):
        """`/e/<id>/api/v1/...` on Managed; the URL as it is (SaaS-style) without an id."""
        prefix = '/e/%s' % quote(environment_id, safe='') if environment_id else ''
        return '%s/api/v1/%s' % (prefix, suffix)

    def get_cluster_version(self, environment_id=None):
        answer = self.request('GET', self.environment_api_path(environment_id, 'config/clusterversion'),
                              scope=SCOPE_DATA_EXPORT)
        if not isinstance(answer, dict) or not answer.get('version'):
            raise DynatraceError('the cluster version answer has no "version"', method='GET',
                                 path=self.environment_api_path(environment_id, 'config/clusterversion'))
        return str(answer['version'])

    def get_cluster_time(self, environment_id=None):
        """Return (cluster_time_ms, local_midpoint_ms) for clock-skew computation."""
        path = self.environment_api_path(environment_id, 'time')
        started = time.time()
        text = self.request('GET', path, scope=None, expect_text=True)
        finished = time.time()
        try:
            cluster_ms = int(str(text).strip())
        except ValueError:
            raise DynatraceError('the cluster time answer is not a number of milliseconds: %s'
                                 % summarize_non_json(200, 'text/plain', str(text)), status=200, method='GET', path=path)
        return cluster_ms, int((started + finished) * 500)

    def get_cluster_nodes(self):
        answer = self.request('GET', '/api/v1.0/onpremise/cluster', scope=SCOPE_SERVICE_PROVIDER)
        if not isinstance(answer, list):
            raise DynatraceError('the cluster node answer is not a list', method='GET', path='/api/v1.0/onpremise/cluster')
        return answer

    # ----------------------------------------------------------------------------------------
    # The one request path

    def request(self, method, path, params=None, json_body=None, scope=SCOPE_SERVICE_PROVIDER, none_on_404=False,
                with_headers=False, with_status=False, expect_text=False):
        """Send one API call with retries; return the decoded answer.

        GET, PUT and DELETE are retried on 429/502/503/504/556 and connection failures; a POST only
        when the server certainly did not act (429/503/556 or a refused connection).
        """
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            outcome = self._send_once(method, path, params, json_body)
            if not outcome.retryable(method) or attempt > self.retries:
                break
            wait = self._next_wait(outcome, attempt)
            if waited + wait > MAX_TOTAL_WAIT_SECONDS:
                break
            self._sleep(wait)
            waited += wait
            self.waited_seconds += wait
            self.retry_count += 1
        return self._finish(outcome, method, path, attempt, scope, none_on_404, with_headers, with_status, expect_text)

    def _send_once(self, method, path, params, json_body):
        try:
            # verify per request: requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE override the session's
            # verify (ca_path, or validate_certs false), but never a request's own.
            response = self.session.request(method, self.base_url + path, params=params, json=json_body,
                                            timeout=self.timeout, verify=self.session.verify)
            text = response.text  # reads the whole body: a connection drop mid-body surfaces here
        except self._requests.exceptions.SSLError as exc:
            return _Outcome(error=exc, kind='tls')
        except self._requests.exceptions.ConnectTimeout as exc:
            return _Outcome(error=exc, kind='not_sent')
        except self._requests.exceptions.ConnectionError as exc:
            refused = 'refused' in str(exc).lower() or 'NewConnectionError' in str(exc)
            return _Outcome(error=exc, kind='not_sent' if refused else 'lost')
        except (self._requests.exceptions.Timeout, self._requests.exceptions.ChunkedEncodingError) as exc:
            return _Outcome(error=exc, kind='lost')
        return _Outcome(response=response, text=text)

    def _next_wait(self, outcome, attempt):
        wait = None
        if outcome.response is not None and outcome.response.status_code in (429, 503, 556):
            wait = server_requested_wait(outcome.response.headers)
        if wait is None:
            wait = backoff_delay(attempt, self._rand)
        return min(wait, MAX_SINGLE_WAIT_SECONDS)

    def _finish(self, outcome, method, path, attempts, scope, none_on_404, with_headers, with_status, expect_text):
        if outcome.response is None:
            raise self._connection_failure(outcome, method, path, attempts)
        response, status = outcome.response, outcome.response.status_code
        if status == 404 and none_on_404:
            return (None, status) if with_status else None
        if status >= 400:
            raise self._http_failure(response, outcome.text, method, path, attempts, scope)
        answer = outcome.text if expect_text else self._decode(outcome.text, response, method, path)
        if with_headers:
            return answer, response.headers
        if with_status:
            return answer, status
        return answer

    def _decode(self, text, response, method, path):
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise DynatraceError('the answer is not valid JSON (truncated or not from Dynatrace): %s'
                                 % summarize_non_json(response.status_code, response.headers.get('Content-Type'), text),
                                 status=response.status_code, method=method, path=path)

    def _connection_failure(self, outcome, method, path, attempts):
        reason = self.redact(describe_connection_error(outcome.error))
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

    def _http_failure(self, response, text, method, path, attempts, scope):
        status = response.status_code
        message, violations = parse_error_body(status, response.headers.get('Content-Type'), text)
        message = self.redact(message)
        violations = [(self.redact(p), self.redact(m)) for p, m in violations]
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
        """Remove the API token (whole, or its secret part) from any text meant for the user."""
        text = str(text)
        secret = self._token.rsplit('.', 1)[-1]
        for value in (self._token, secret):
            if len(value) >= 8:
                text = text.replace(value, '********')
        return text

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
            status = self.response.status_code
            if method == 'POST':
                return status in NOT_PROCESSED_STATUSES
            return status in RETRYABLE_STATUSES
        if self.kind == 'tls':
            return False
        if method == 'POST':
            return self.kind == 'not_sent'
        return True


def user_agent(requests_version):
    try:
        from ansible.module_utils.ansible_release import __version__ as ansible_version
    except ImportError:
        ansible_version = 'unknown'
    return '%s/%s (ansible-core/%s; python-requests/%s)' % (COLLECTION_NAME, COLLECTION_VERSION, ansible_version,
                                                            requests_version)


def client_from_module(module):
    """Build a DynatraceClient from a module's connection options, or fail the module clearly."""
    try:
        import requests  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        module.fail_json(msg=missing_required_lib('requests'), exception=traceback.format_exc())
    params = module.params
    if params['timeout'] <= 0:
        module.fail_json(msg='timeout must be greater than 0 seconds, got %s' % params['timeout'])
    if params['retries'] < 0:
        module.fail_json(msg='retries must be 0 or more, got %s' % params['retries'])
    try:
        return DynatraceClient(params['url'], params['api_token'], validate_certs=params['validate_certs'],
                               ca_path=params['ca_path'], timeout=params['timeout'], retries=params['retries'],
                               warn=module.warn)
    except ConnectionOptionError as exc:
        module.fail_json(msg=str(exc))


def request_stats(client):
    """The retry counters every module reports."""
    return dict(retries=client.retry_count, waited_seconds=round(client.waited_seconds, 3))


def run_module(module, action, input_errors=None):
    """The main() every module shares: refuse bad input before any request, run, report.

    `action(client)` returns the module result; a DynatraceError fails the module with the
    status, method, path and constraint violations as result fields.
    """
    if input_errors:
        module.fail_json(msg='Invalid input: %s' % '; '.join(input_errors), errors=list(input_errors))
    client = client_from_module(module)
    try:
        result = action(client)
    except DynatraceError as exc:
        module.fail_json(msg=str(exc), **dict(exc.to_result(), **request_stats(client)))
    result.update(request_stats(client))
    module.exit_json(**result)
