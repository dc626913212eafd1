"""Start an emulator process and drive its control API (used by the pytest fixtures, usable on its own)."""

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading

import requests

from . import DEFAULT_TOKEN

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READY_PREFIX = 'Dynatrace Managed API emulator listening on '


# Named start profiles for emulator_factory(profile=...); any option may still be given next to one.
PROFILES = {
    'strict': {},  # the defaults: DDU license, a current cluster version, the harsher readings of the unknowns
    'classic': {'license': 'classic'},  # customMetrics and logMonitoring quotas editable, no davisDataUnits
    'dps': {'license': 'dps'},
    'legacy': {'cluster_version': '1.320.25.20250701-123456'},  # before 1.326: Log Monitoring storage, no RUM non-aggregated
    'lenient_readings': {'unlimited_storage': 'null', 'cursor_keeps_includes': True},
    'realistic_latency': {'latency': 'read=30ms,write=800ms'},
}


class EmulatorHandle:
    """A running emulator: its URL, its cluster token, and the control API."""

    def __init__(self, url, token, ca_path=None, process=None):
        self.url = url
        self.token = token
        self.ca_path = ca_path
        self.process = process

    def _control(self, method, path, body=None):
        response = requests.request(method, f'{self.url}/_emulator/{path}', json=body,
                                    verify=self.ca_path or True, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self):
        self._control('POST', 'reset')

    def requests(self):
        return self._control('GET', 'requests')

    def clear_requests(self):
        self._control('DELETE', 'requests')

    def add_fault(self, **fault):
        self._control('POST', 'faults', fault)

    def configure(self, **settings):
        return self._control('POST', 'config', settings)

    def seed(self, count, name_prefix=None):
        return self._control('POST', 'seed', {'count': count, 'name_prefix': name_prefix})['ids']

    def environments(self):
        return self._control('GET', 'environments')

    def groups(self):
        """The stored user groups (API shape)."""
        return self._control('GET', 'groups')

    def users(self):
        """The stored users (API shape) with `passwordSha256` of the first password, or null."""
        return self._control('GET', 'users')

    def config(self):
        return self._control('GET', 'config')

    def create_zone(self, environment, name, duplicate_name=False):
        """A management zone in `environment` (id); returns its legacy id, the one the permission API takes."""
        return self._control('POST', 'zones', {'environment': environment, 'name': name,
                                               'duplicate_name': duplicate_name})['id']

    def zones(self, environment=None):
        """{environment id: [{id, objectId, name}]} of the stored zones (one environment when given)."""
        return self._control('GET', 'zones' + (f'?environment={environment}' if environment else ''))

    def zone_permissions(self):
        """The stored zone permissions, as GET /groups/managementZones answers them (not in the request log)."""
        return self._control('GET', 'zone_permissions')

    def add_token(self, token, scopes, environment=None):
        """Accept this token value: a cluster token, or an environment token of `environment`."""
        self._control('POST', 'tokens', {'token': token, 'scopes': list(scopes), 'environment': environment})

    def create_token(self, scopes, environment=None, name='Test token', expires_in_ms=None, owner='admin', **dates):
        """A new token (generated); returns its secret value. `dates`: age_ms, last_used_ago_ms (see control.py)."""
        body = {'scopes': list(scopes), 'environment': environment, 'name': name, 'expires_in_ms': expires_in_ms,
                'owner': owner, **dates}
        return self._control('POST', 'tokens', body)['token']

    def environment_token(self, env_id, scopes=('DataExport',), **options):
        """A new environment token of `env_id` with exactly `scopes`; returns its secret value."""
        return self.create_token(scopes, environment=env_id, **options)

    def tokens(self):
        """Every token's metadata (id, name, kind, environment, scopes, owner, dates, expired), never a secret."""
        return self._control('GET', 'tokens')

    def create_environment(self, name='team', **fields):
        """Create an environment through the API with the cluster token; returns its id."""
        response = requests.post(f'{self.url}/api/cluster/v2/environments', json={'name': name, **fields},
                                 headers={'Authorization': f'Api-Token {self.token}'},
                                 verify=self.ca_path or True, timeout=30)
        response.raise_for_status()
        return response.json()['id']

    def stop(self):
        """Terminate the process (SIGTERM, then SIGKILL if it hangs) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def _yes_no(value):
    return None if value is None else ('yes' if value else 'no')


def command_line(tokens=None, license=None, deny_features=(), state_file=None, tls_files=None,  # pylint: disable=redefined-builtin,too-many-arguments
                 clock_offset_ms=None, cluster_version=None, seed_environments=None, unlimited_storage=None,
                 cursor_keeps_includes=None, latency=None, implied_view_security_problems=None):
    """The `python -m tests.emulator` arguments for these options, on a free port of 127.0.0.1."""
    args = [sys.executable, '-m', 'tests.emulator', '--host', '127.0.0.1', '--port', '0']
    for token, scopes in (tokens or {}).items():
        args += ['--token', f"{token}={','.join(scopes)}"]
    for feature in deny_features:
        args += ['--deny-feature', feature]
    options = {'--license': license, '--state-file': state_file, '--clock-offset-ms': clock_offset_ms,
               '--cluster-version': cluster_version, '--seed-environments': seed_environments,
               '--unlimited-storage': unlimited_storage, '--cursor-keeps-includes': _yes_no(cursor_keeps_includes),
               '--latency': latency, '--implied-view-security-problems': _yes_no(implied_view_security_problems)}
    for name, value in options.items():
        if value is not None:
            args += [name, str(value)]
    if tls_files:
        args += ['--tls-cert', tls_files[0], '--tls-key', tls_files[1]]
    return args


def stop_with_parent():
    """Runs in the child before exec: on Linux, get SIGTERM when the parent dies, even by SIGKILL.

    So a killed or crashed test run never leaves an emulator behind.
    """
    if sys.platform.startswith('linux'):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _ready_url(process, timeout):
    """Wait for the ready line; a thread reads so that the wait can time out."""
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        line = ''
    if not line.startswith(READY_PREFIX):
        process.kill()
        process.wait()
        raise RuntimeError(f'the emulator did not start (exit code {process.poll()}, first line {line!r})')
    return line[len(READY_PREFIX):].strip()


def start_emulator(timeout=30, ca_path=None, profile=None, **options):
    """Start `python -m tests.emulator` from the repository root and return its handle once it is ready.

    `profile` names one of PROFILES; the other options override it.
    """
    options = {**PROFILES[profile or 'strict'], **options}
    process = subprocess.Popen(command_line(**options), cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,  # pylint: disable=consider-using-with
                               preexec_fn=stop_with_parent)  # pylint: disable=subprocess-popen-preexec-fn
    url = _ready_url(process, timeout)
    token = next(iter(options['tokens'])) if options.get('tokens') else DEFAULT_TOKEN
    return EmulatorHandle(url, token, ca_path, process)
