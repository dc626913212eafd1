"""Diagnostics over real connections: a wrong scheme either way, a host name that does not resolve, a bad port,
timeout or token. Each fails at once (no retry, one attempt) with a message that names the option, and the token
never appears in the output. Unit tests of the same rules: tests/unit/plugins/module_utils/test_transport_diagnostics.py.
"""

import subprocess
import time

from tests.emulator import DEFAULT_TOKEN
from tests.integration.runner import ansible_command, ansible_env, run_tasks
from tests.integration.secret_scan import find_leaks

MODULE = 'clusterops.dynatrace.dynatrace_cluster_info'


def task(label, **args):
    return {'name': label, MODULE: args, 'ignore_errors': True}


def failure(run, label):
    (entry,) = [entry for entry in run.results if entry['task'] == label]
    assert entry['status'] == 'failed', entry
    return entry['result']


def test_a_wrong_scheme_either_way_fails_at_once_and_says_so(emulator_factory, emulator):
    tls = emulator_factory(tls=True)
    plain_port = emulator.url.rsplit(':', 1)[1]
    tls_port = tls.url.rsplit(':', 1)[1]
    started = time.monotonic()
    run = run_tasks([
        task('https to plain http', url='https://127.0.0.1:%s' % plain_port, ca_path=tls.ca_path),
        task('http to https', url='http://127.0.0.1:%s' % tls_port),
    ], emulator=emulator)
    elapsed = time.monotonic() - started

    result = failure(run, 'https to plain http')
    assert 'url is https:// but the server at 127.0.0.1:%s answered in plain HTTP' % plain_port in result['msg'], result
    assert 'not a certificate problem' in result['msg'] and 'certificate verification failed' not in result['msg']
    assert result['retries'] == 0 and result['waited_seconds'] == 0

    result = failure(run, 'http to https')
    assert 'url is http:// but the server at 127.0.0.1:%s speaks HTTPS (TLS) and refused the plain-HTTP request (' % tls_port \
        in result['msg'], result
    assert result['msg'].endswith('use https://127.0.0.1:%s' % tls_port), result
    assert result['retries'] == 0 and result['waited_seconds'] == 0
    # Before, the second case alone retried for about 15 s; both now fail in the time two module runs take.
    assert elapsed < 15, elapsed
    # Neither request reached the API of either server: the TLS handshake or the HTTP parse failed first.
    assert emulator.requests() == [] and tls.requests() == []
    assert not find_leaks(run.stdout + run.stderr, api_tokens=[emulator.token])


def test_an_unknown_host_name_is_not_retried(emulator):
    run = run_tasks([task('unknown host', url='https://dynatrace-managed.example.invalid')], emulator=emulator)
    result = failure(run, 'unknown host')
    assert 'cannot resolve the host name dynatrace-managed.example.invalid of url' in result['msg'], result
    assert 'not retried' in result['msg'] and 'attempts' not in result['msg']
    assert result['retries'] == 0 and result['waited_seconds'] == 0


def test_a_bad_port_timeout_or_token_names_the_option_and_never_shows_the_token(emulator):
    stray_token = DEFAULT_TOKEN[:30] + '\u201d' + DEFAULT_TOKEN[30:]
    run = run_tasks([
        task('port out of range', url='http://127.0.0.1:99999'),
        task('port not a number', url='http://127.0.0.1:80a'),
        task('nan timeout', timeout='nan'),
        task('negative timeout', timeout=-1),
        task('stray character in the token', api_token=stray_token),
        task('line break in the environment token', environment_api_token=DEFAULT_TOKEN[:40] + '\n' + DEFAULT_TOKEN[40:],
             environment_id='abc'),
    ], emulator=emulator, extra_env={'DYNATRACE_API_TOKEN': emulator.token})
    assert failure(run, 'port out of range')['msg'].startswith("url has the port '99999': a port is a number from 1 to 65535")
    assert failure(run, 'port not a number')['msg'].startswith("url has the port '80a': a port is a number from 1 to 65535")
    assert failure(run, 'nan timeout')['msg'] == 'timeout must be a finite number of seconds greater than 0, got nan'
    assert failure(run, 'negative timeout')['msg'] == 'timeout must be greater than 0 seconds, got -1.0'
    message = failure(run, 'stray character in the token')['msg']
    assert 'api_token ' in message and 'non-ASCII' in message and 'not shown' in message, message
    message = failure(run, 'line break in the environment token')['msg']
    assert 'environment_api_token ' in message and 'line break' in message and 'not shown' in message, message
    assert emulator.requests() == []
    output = run.stdout + run.stderr
    for part in (DEFAULT_TOKEN[:30], DEFAULT_TOKEN[30:], DEFAULT_TOKEN[40:]):
        assert part not in output


def test_the_inventory_plugin_names_a_nan_timeout_and_a_bad_port(emulator, tmp_path):
    for name, line, message in [
            ('nan', 'timeout: .nan', 'timeout must be a finite number of seconds greater than 0, got nan'),
            ('port', 'url: http://127.0.0.1:70000', "url has the port '70000': a port is a number from 1 to 65535")]:
        (tmp_path / ('%s.dynatrace.yml' % name)).write_text('plugin: clusterops.dynatrace.environments\n%s\n' % line)
        completed = subprocess.run([ansible_command('ansible-inventory'), '-i', '%s.dynatrace.yml' % name, '--list'],
                                   capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
                                   env=ansible_env(emulator))
        assert message in completed.stderr, completed.stderr[-2000:]
    assert emulator.requests() == []
