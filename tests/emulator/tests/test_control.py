"""The control API, the state file, TLS and the process itself."""

import json
import signal
import subprocess
import sys

import requests

from tests.emulator import DEFAULT_TOKEN
from tests.emulator.handle import REPO_ROOT, start_emulator, stop_with_parent
from tests.emulator.tests.helpers import ENVIRONMENTS, Api


def test_request_log_records_method_path_query_status_and_body(api):
    api.post(ENVIRONMENTS, json={'name': 'logged'})
    api.get(ENVIRONMENTS + '?pageSize=5&filter=name%28x%29')
    api.get(ENVIRONMENTS, headers={'Authorization': ''})
    assert api.handle.requests() == [
        {'method': 'POST', 'path': ENVIRONMENTS, 'query': '', 'status': 201, 'body': {'name': 'logged'}},
        {'method': 'GET', 'path': ENVIRONMENTS, 'query': 'pageSize=5&filter=name%28x%29', 'status': 200, 'body': None},
        {'method': 'GET', 'path': ENVIRONMENTS, 'query': '', 'status': 401, 'body': None},
    ]


def test_request_log_never_holds_headers_or_tokens(api):
    api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'x'})
    text = json.dumps(api.handle.requests())
    assert DEFAULT_TOKEN not in text and 'dt0c01' not in text and 'Authorization' not in text


def test_clear_requests_and_reset(api):
    api.create()
    api.handle.clear_requests()
    assert api.handle.requests() == []
    api.create()
    api.handle.reset()
    assert api.handle.requests() == [] and api.handle.environments() == []


def test_reset_forgets_created_tokens(api):
    api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'x'})
    token = api.post('/api/cluster/v2/tokens', json={'name': 'ops', 'scopes': ['ServiceProviderAPI']}).json()['token']
    assert len(api.handle.tokens()) == 3
    api.handle.reset()
    assert api.get(ENVIRONMENTS, token=token).status_code == 401
    assert [t['id'] for t in api.handle.tokens()] == [DEFAULT_TOKEN.rsplit('.', 1)[0]]


def test_token_store_listing_shows_metadata_and_never_a_secret(api):
    env_id = api.create()
    secret = api.handle.environment_token(env_id, ['DataExport', 'logs.ingest'], name='ingest', expires_in_ms=60_000)
    response = requests.get(api.handle.url + '/_emulator/tokens', timeout=10)
    assert secret.rsplit('.', 1)[1] not in response.text and DEFAULT_TOKEN.rsplit('.', 1)[1] not in response.text
    shown = next(t for t in response.json() if t['name'] == 'ingest')
    assert shown == {'id': secret.rsplit('.', 1)[0], 'name': 'ingest', 'kind': 'environment', 'environment': env_id,
                     'scopes': ['DataExport', 'logs.ingest'], 'owner': 'admin', 'created_ms': shown['created_ms'],
                     'expires_ms': shown['created_ms'] + 60_000, 'enabled': True, 'last_used_ms': None,
                     'modified_ms': shown['created_ms'], 'personal': False, 'expired': False}
    assert api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=secret).status_code == 200


def test_control_api_registers_a_given_environment_token_value(api):
    env_id = api.create()
    value = 'dt0c01.GIVENGIVENGIVENGIVENGIVE.' + 'V' * 64
    api.handle.add_token(value, ['DataExport'], environment=env_id)
    assert api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=value).status_code == 200


def test_seed_is_fast_and_realistic(api):
    ids = api.handle.seed(10_000, name_prefix='bulk')
    assert len(set(ids)) == 10_000
    body = api.get(ENVIRONMENTS, params={'filter': 'name(bulk)', 'pageSize': 1}).json()
    assert body['totalCount'] == 10_000


def test_seed_from_the_command_line_survives_reset(emulator_factory):
    handle = emulator_factory(seed_environments=12)
    first = handle.environments()
    Api(handle).put(f"{ENVIRONMENTS}/{first[0]['id']}", json={'name': 'changed'})
    handle.reset()
    assert handle.environments() == first


def test_state_file_persists_environments_and_tokens_across_a_restart(emulator_factory, tmp_path):
    state_file = str(tmp_path / 'emulator-state.json')
    api = Api(emulator_factory(state_file=state_file))
    created = api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'durable', 'quotas': {'hostUnits': {'maxLimit': 5}}}).json()
    api.handle.stop()
    restarted = Api(emulator_factory(state_file=state_file))
    assert restarted.stored(created['id'])['quotas']['hostUnits']['maxLimit'] == 5
    assert restarted.get(f"/e/{created['id']}/api/v2/apiTokens", token=created['tokenManagementToken']).status_code == 200
    assert [path.name for path in tmp_path.iterdir()] == ['emulator-state.json']  # no temporary file left


def test_tls_with_the_trustme_ca(emulator_factory):
    handle = emulator_factory(tls=True)
    assert handle.url.startswith('https://127.0.0.1:')
    assert Api(handle).get(ENVIRONMENTS).status_code == 200
    try:
        requests.get(handle.url + ENVIRONMENTS, timeout=10)
        raise AssertionError('an unknown CA must be refused')
    except requests.exceptions.SSLError:
        pass
    handle.add_fault(method='GET', path=ENVIRONMENTS, action='reset')
    try:
        Api(handle).get(ENVIRONMENTS)
        raise AssertionError('the connection must be dropped')
    except requests.exceptions.ConnectionError:
        pass


def test_ready_line_is_the_only_output_and_sigterm_stops_cleanly():
    process = subprocess.Popen([sys.executable, '-m', 'tests.emulator', '--port', '0'], cwd=REPO_ROOT,  # pylint: disable=consider-using-with
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=stop_with_parent)  # pylint: disable=subprocess-popen-preexec-fn
    try:
        line = process.stdout.readline()
        assert line.startswith('Dynatrace Managed API emulator listening on http://127.0.0.1:')
        url = line.rsplit(' ', 1)[1].strip()
        requests.get(url + ENVIRONMENTS, headers={'Authorization': f'Api-Token {DEFAULT_TOKEN}'}, timeout=10)
        requests.get(url + ENVIRONMENTS, headers={'Authorization': 'Api-Token dt0c01.WRONG.SECRET'}, timeout=10)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert stdout == '' and 'dt0c01' not in stderr and 'GET' not in stderr


def test_bad_command_line_fails_fast():
    try:
        start_emulator(timeout=15, license='enterprise')
        raise AssertionError('must not start')
    except RuntimeError as error:
        assert 'did not start' in str(error)


def test_add_token_at_run_time(api):
    token = 'dt0c01.RUNTIMERUNTIMERUNTIMERUN.' + 'S' * 64
    assert api.get(ENVIRONMENTS, token=token).status_code == 401
    api.handle.add_token(token, ['ServiceProviderAPI'])
    assert api.get(ENVIRONMENTS, token=token).status_code == 200


def test_state_file_of_an_older_emulator_still_loads(emulator_factory, tmp_path):
    state_file = tmp_path / 'emulator-state.json'
    env = {'name': 'old', 'id': 'old-env', 'trial': False, 'state': 'ENABLED', 'tags': [], 'creationDate': '2026-01-01T00:00:00.000Z',
           'quotas': {}, 'storage': {}}
    token = 'dt0c01.OLDSTATEOLDSTATEOLDSTATE.' + 'O' * 64
    state_file.write_text(json.dumps({'environments': [env], 'tokens': [
        {'token': token, 'scopes': ['apiTokens.read'], 'environment': 'old-env', 'expiresAtMs': None}]}))
    api = Api(emulator_factory(state_file=str(state_file)))
    assert api.get('/e/old-env/api/v2/apiTokens', token=token).status_code == 200
