"""TLS against an emulator with a throwaway CA (trustme), plain-http warnings, and secrets in verbose output.

The whole-suite -vvv secret scan is tests/tools/verbose-secrets.sh (make integration: the suite's one run, at -vvv);
here the scanner itself is tested and a verbose run of the riskiest paths is scanned on every run.
"""

import re

import certifi
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.emulator import DEFAULT_TOKEN
from tests.integration.runner import run_tasks
from tests.integration.secret_scan import find_leaks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment'


def task(label, **args):
    return {'name': label, MODULE: args, 'ignore_errors': True}


def the(run, label):
    results = [entry for entry in run.results if entry['task'] == label]
    assert len(results) == 1, (label, run)
    return results[0]['status'], results[0]['result']


def test_tls_with_the_ca_without_it_and_unverified(emulator_factory):
    cluster = emulator_factory(tls=True)
    assert cluster.url.startswith('https://127.0.0.1:')
    # The certificate is trusted through the throwaway CA only, not through the public bundle.
    try:
        requests.get(cluster.url + '/api/v1/time', timeout=5, verify=certifi.where())
        raise AssertionError('the emulator certificate must not be trusted by the public bundle')
    except requests.exceptions.SSLError:
        pass
    tasks = [
        task('with ca_path', name='over-tls', ca_path=cluster.ca_path),
        task('without the CA', name='unverified-attempt'),
        task('validate_certs false', name='insecure', validate_certs=False),
    ]
    # A bundle in REQUESTS_CA_BUNDLE (as execution environments set) must neither replace ca_path nor turn
    # verification back on under validate_certs: false.
    run = run_tasks(tasks, emulator=cluster, extra_env={'REQUESTS_CA_BUNDLE': certifi.where()})

    status, result = the(run, 'with ca_path')
    assert status == 'changed', result
    assert not result.get('warnings'), result

    status, result = the(run, 'without the CA')
    assert status == 'failed'
    assert 'TLS certificate verification failed for %s' % cluster.url in result['msg'], result['msg']
    assert 'certificate verify failed' in result['msg'] and 'ca_path' in result['msg'], result['msg']
    assert result['retries'] == 0  # not retried: it cannot get better

    status, result = the(run, 'validate_certs false')
    assert status == 'changed', result
    assert any('validate_certs is false' in warning for warning in result['warnings']), result

    # The failed handshake never reached HTTP: the server saw the token only from the two runs that were allowed.
    log = cluster.requests()
    assert [(entry['method'], entry['body']['name'] if entry['body'] else None) for entry in log] == [
        ('GET', None), ('GET', None), ('PUT', 'over-tls'), ('GET', None), ('GET', None), ('PUT', 'insecure')]
    assert sorted(environment['name'] for environment in cluster.environments()) == ['insecure', 'over-tls']
    assert not find_leaks(run.stdout + run.stderr, api_tokens=[cluster.token])


def test_plain_http_to_a_host_not_known_as_loopback_warns(emulator):
    """The client decides from the URL as written, never from DNS: only localhost and loopback addresses are
    quiet. `127.1` reaches the emulator (the resolver expands it to 127.0.0.1) but is not a loopback address as
    written, so it stands in for a remote host here."""
    port = emulator.url.rsplit(':', 1)[1]
    run = run_tasks([task('remote-looking', name='plain', url='http://127.1:%s' % port),
                     task('loopback', name='plain', url='http://localhost:%s' % port)], emulator=emulator)
    status, result = the(run, 'remote-looking')
    assert status == 'changed', result
    (warning,) = result['warnings']
    assert 'plain http://' in warning and 'Use https://' in warning
    assert DEFAULT_TOKEN.rsplit('.', 1)[1] not in warning
    status, result = the(run, 'loopback')
    assert status == 'ok' and not result.get('warnings'), result


def test_verbose_run_shows_no_secret_but_the_returned_token(emulator):
    """-vvv without no_log: creation with a token, a refused token, a lost create answer, and a 401."""
    tasks = [
        task('create, answer lost', name='verbose-lost'),
        task('create with token', name='verbose-one'),
        task('bad token', name='verbose-two', api_token='dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'Q' * 64),
        {'name': 'show the token on purpose', 'ansible.builtin.debug': {'var': 'created.token_management_token'}},
    ]
    tasks[1]['register'] = 'created'
    for callback in ('json_lines', 'default'):
        emulator.reset()
        emulator.add_fault(method='PUT', path=ENVIRONMENTS + '/' + creation_id('verbose-lost'), action='drop_after_commit')
        run = run_tasks(tasks, emulator=emulator, verbosity=3, stdout_callback=callback, extra_env={'ANSIBLE_DEBUG': '0'})
        output = run.stdout + run.stderr
        assert '<localhost> EXEC' in output, output[-2000:]
        assert 'verbose-two' in output and ('HTTP 403' in output or 'HTTP 401' in output), output[-3000:]
        tokens = [environment for environment in emulator.environments() if environment['name'] == 'verbose-one']
        assert len(tokens) == 1
        leaks = find_leaks(output, api_tokens=[emulator.token, 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'Q' * 64])
        assert not leaks, (callback, leaks)
        # The token was there to find: registered, and shown on purpose by the debug task. The creating task's
        # own result is displayed censored; json_lines runs also show the registered result (tests/integration/runner.py).
        shown = re.findall(r'"created.token_management_token": "(dt0c01[.A-Z0-9]+)"', output)
        assert shown and output.count(shown[0]) == (2 if callback == 'json_lines' else 1), (callback, output[-3000:])
        assert "'no_log: true' was specified for this result" in output, (callback, output[-3000:])


def test_secret_scan_finds_planted_secrets():
    created = 'dt0c01.' + 'P' * 24 + '.' + 'C1' * 32
    secret = DEFAULT_TOKEN.rsplit('.', 1)[1]
    clean = '\n'.join([
        'TASK_RESULT {"result": {"token_management_token": "%s", "changed": true}}' % created,
        '    "token_management_token": "%s",' % created,
        'Using token dt0c01.TG0GO2LY49YIRRGDZYYYZ7XU (public part only)',
        'sha256: ' + 'ab12' * 16,
        'TASK_RESULT {"result": {"oneagent_handoff": {"team-a": {"oneagent_paas_token": "%s"}}}}' % created,
        'TASK_RESULT {"result": {"oneagent_handoff_by_id": {"e1": {"oneagent_paas_token": "%s"}}}}' % created,
        'TASK_RESULT {"result": {"outcomes": [{"name": "team-a", "oneagent_paas_token": "%s"}]}}' % created,
    ])
    assert find_leaks(clean) == []
    planted = [
        'Authorization: Api-Token ' + DEFAULT_TOKEN,
        'msg: token %s rejected' % secret,
        'TASK_RESULT {"result": {"msg": "created %s"}}' % created,
        '<localhost> module_args: {"x": "%s"}' % created.rsplit('.', 1)[1],
        'TASK_RESULT {"result": {"token_management_token": "%s", "debug": "%s"}}' % (created, created),
        'an unknown secret-shaped value ' + 'Z9' * 32,
        # The hand-off key is allowed inside a result's oneagent_handoff only, not in a fact shown by debug.
        'TASK_RESULT {"result": {"environments_oneagent_handoff": {"team-a": {"oneagent_paas_token": "%s"}}}}' % created,
        'TASK_RESULT {"result": {"environments_oneagent_handoff_by_id": {"e1": {"oneagent_paas_token": "%s"}}}}' % created,
    ]
    leaks = find_leaks(clean + '\n' + '\n'.join(planted))
    assert sorted(set(number for number, dummy, dummy2 in leaks)) == [8, 9, 10, 11, 12, 13, 14, 15], leaks
    assert all('<SECRET>' in excerpt and secret not in excerpt for dummy, dummy2, excerpt in leaks)


def test_secret_scan_finds_twelve_characters_of_a_known_secret_and_not_eleven():
    known = 'dt0c01.' + 'K' * 24 + '.' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' + 'A1B2C3D4E5F6G7H8I9J0K1L2M3N4'
    secret = known.rsplit('.', 1)[1]
    text = '\n'.join(['eleven %s only' % secret[20:31], 'twelve x%sx inside a word' % secret[40:52],
                      'whole: %s' % secret, 'spread %s-%s' % (secret[0:8], secret[8:16])])
    leaks = find_leaks(text, api_tokens=[], secrets=[known], allow_results=False, fragment=12)
    assert [(number, what) for number, what, dummy in leaks] == [
        (2, 'known secret (part)'), (3, 'known secret'), (3, 'secret-shaped string')], leaks


def test_a_malformed_token_of_the_inventory_plugin_is_refused_showing_no_piece_of_it(emulator, tmp_path):
    """A token pasted with a line break (or a space) inside: the inventory source fails before any request, naming
    api_token, and no 12 characters of the token's secret show in any output, at the suite's verbosity."""
    from tests.integration.inventory_runner import run_inventory, write_config  # pylint: disable=import-outside-toplevel

    token = emulator.token
    for label, broken, rule in (('wrapped', token[:58] + '\n' + token[58:], 'a line break'),
                                ('spaced', token[:70] + ' ' + token[70:], 'a space')):
        emulator.clear_requests()
        config = write_config(tmp_path, {'url': emulator.url, 'api_token': broken}, name='%s.dynatrace.yml' % label)
        run = run_inventory(config, None)
        output = run.stdout + run.stderr
        assert run.rc != 0 and 'api_token holds %s' % rule in output, output[-3000:]
        assert emulator.requests() == []
        assert find_leaks(output, api_tokens=[token], allow_results=False, fragment=12) == [], output[-3000:]
