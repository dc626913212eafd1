"""The environments role onboards teams: environment, API tokens, group permissions, the OneAgent hand-off.

Through ansible-playbook against the emulator; the request log shows that a re-run costs the
environments listing and the groups listing, whatever the number of teams.
"""

import hashlib
import json
import os
import stat

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_tasks
from tests.integration.test_role_environments import role_task
from tests.integration.token_truth import token_id_of

HANDOFF = 'show the hand-off, its tokens as digests (test only)'
# The test compares the hand-off with the token files without printing a secret: each PaaS token as its SHA-256.
SHOW_HANDOFF = {
    'name': HANDOFF,
    'vars': {'handoff': '{{ environments_oneagent_handoff }}'},
    'ansible.builtin.debug': {'msg': {
        'urls': "{{ dict(handoff.keys() | zip(handoff.values() | map(attribute='oneagent_environment_url'))) }}",
        'paas_sha256': "{{ dict(handoff.keys() | zip(handoff.values() | map(attribute='oneagent_paas_token')"
                       " | map('hash', 'sha256'))) }}"}}}
PAAS = {'name': 'paas', 'scopes': ['InstallerDownload'], 'expiration': 'now+30d'}
INGEST = {'name': 'ingest', 'scopes': ['metrics.ingest']}


def team(name):
    return {'name': name, 'api_tokens': [PAAS, INGEST],
            'permissions': {'%s-admins' % name: ['VIEWER', 'MANAGE_SETTINGS'], 'all-viewers': ['VIEWER']}}


def run_role(emulator, declared, check=False, diff=False, **role_vars):
    return run_tasks([role_task(declared, **role_vars), SHOW_HANDOFF], emulator=emulator, check=check, diff=diff)


def sha256(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def warnings(run):
    return [warning for entry in run.results for warning in entry['result'].get('warnings') or []]


def api_requests(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['path'].startswith(('/api/', '/e/'))]


def test_onboarding_writes_one_file_per_token_grants_and_hands_over(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    run = run_role(emulator, [team('team-a'), team('team-b')], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    env_a, env_b = creation_id('team-a'), creation_id('team-b')
    files = sorted(path.name for path in token_dir.iterdir())
    secrets = sorted('%s%s.token' % (env, suffix) for env in (env_a, env_b) for suffix in ('', '.paas', '.ingest'))
    assert files == sorted(secrets + [name + '.json' for name in secrets])  # each secret with its manifest
    assert all(stat.S_IMODE(os.stat(token_dir / name).st_mode) == 0o600 for name in files)
    assert stat.S_IMODE(os.stat(token_dir).st_mode) == 0o700
    paas = (token_dir / ('%s.paas.token' % env_a)).read_text()
    assert paas.startswith('dt0c01.')
    # No line of the output shows the secret, nor any piece of it.
    assert paas.rsplit('.', 1)[-1][:16] not in run.stdout + run.stderr
    # The created token works in its environment with exactly its scope.
    stored = dict((token['name'], token) for token in emulator.tokens() if token.get('environment') == env_a)
    assert sorted(stored['paas']['scopes']) == ['InstallerDownload']
    groups = dict((group['name'], group['accessRight']) for group in emulator.groups())
    assert groups['all-viewers']['VIEWER'] == sorted([env_a, env_b])
    assert groups['team-a-admins']['MANAGE_SETTINGS'] == [env_a]
    (handoff,) = run.by_task(HANDOFF)
    assert handoff['msg']['urls']['team-a'] == '%s/e/%s' % (emulator.url, env_a)
    assert handoff['msg']['paas_sha256']['team-a'] == sha256(paas)


def test_rerun_is_unchanged_costs_two_requests_and_hands_over_from_the_files(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    declared = [team('team-%02d' % number) for number in range(10)]
    assert run_role(emulator, declared, environments_token_dir=str(token_dir), environments_parallel=8).rc == 0
    before = dict((path.name, path.read_text()) for path in token_dir.glob('*.token'))
    emulator.clear_requests()
    run = run_role(emulator, declared, environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    assert not [entry for entry in run.results if entry['status'] == 'changed'], run
    assert api_requests(emulator) == [('GET', '/api/cluster/v2/environments'), ('GET', '/api/v1.0/onpremise/groups')]
    assert dict((path.name, path.read_text()) for path in token_dir.glob('*.token')) == before
    (handoff,) = run.by_task(HANDOFF)
    env_id = creation_id('team-03')
    assert handoff['msg']['paas_sha256']['team-03'] == sha256(before['%s.paas.token' % env_id])


def test_a_token_file_lost_is_reported_with_rotate_and_rotate_writes_the_new_secret(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    assert run_role(emulator, [team('lost')], environments_token_dir=str(token_dir)).rc == 0
    env_id = creation_id('lost')
    (token_dir / ('%s.ingest.token' % env_id)).unlink()
    emulator.clear_requests()
    run = run_role(emulator, [team('lost')], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    methods = [method for method, dummy in api_requests(emulator)]
    # The listings, the mint, the token listing, the mint's deletion: no second token of that name.
    assert sorted(methods) == sorted(['GET', 'GET', 'POST', 'GET', 'DELETE'])
    assert [t['name'] for t in emulator.tokens() if t.get('environment') == env_id].count('ingest') == 1
    assert not (token_dir / ('%s.ingest.token' % env_id)).exists()
    # Not hidden: the token without its secret is reported, with the way out.
    warned = ' '.join(warnings(run))
    assert "'ingest'" in warned and 'no file of token_dir holds its secret' in warned and 'rotate: true' in warned, warned

    # The way out: rotate replaces the token and its file holds the new secret; a run again rotates nothing.
    rotated = dict(team('lost'), api_tokens=[PAAS, dict(INGEST, rotate=True)])
    old_id = [t['id'] for t in emulator.tokens() if t.get('environment') == env_id and t['name'] == 'ingest']
    assert run_role(emulator, [rotated], environments_token_dir=str(token_dir)).rc == 0
    live = [t for t in emulator.tokens() if t.get('environment') == env_id and t['name'] == 'ingest']
    assert len(live) == 1 and [live[0]['id']] != old_id
    assert token_id_of(emulator, env_id, (token_dir / ('%s.ingest.token' % env_id)).read_text()) == live[0]['id']
    emulator.clear_requests()
    again = run_role(emulator, [rotated], environments_token_dir=str(token_dir))
    assert again.rc == 0 and not warnings(again), again
    assert api_requests(emulator) == [('GET', '/api/cluster/v2/environments'), ('GET', '/api/v1.0/onpremise/groups')]


def test_check_mode_writes_nothing(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    run = run_role(emulator, [team('checked')], check=True, diff=True, environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    assert all(method == 'GET' for method, dummy in api_requests(emulator))
    assert emulator.environments() == [] and emulator.groups() == [] and not token_dir.exists()


def test_scope_drift_of_an_api_token_is_reported_then_applied_with_update_existing(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    assert run_role(emulator, [team('drifty')], environments_token_dir=str(token_dir)).rc == 0
    env_id = creation_id('drifty')
    widened = dict(team('drifty'), api_tokens=[PAAS, dict(INGEST, scopes=['metrics.ingest', 'logs.ingest'])])
    run = run_role(emulator, [widened], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    (report,) = [entry['result'] for entry in run.results if 'differ from the declaration' in entry['task']]
    assert 'api_tokens.ingest.scopes' in json.dumps(report['msg']), report
    stored = dict((t['name'], t) for t in emulator.tokens() if t.get('environment') == env_id)
    assert stored['ingest']['scopes'] == ['metrics.ingest']  # reported, left as it is

    # --check says what the real run does: no write, and the secret files untouched.
    emulator.clear_requests()
    before = dict((path.name, path.read_text()) for path in token_dir.iterdir())
    assert run_role(emulator, [widened], check=True, environments_token_dir=str(token_dir)).rc == 0
    assert all(method == 'GET' for method, dummy in api_requests(emulator))
    assert dict((path.name, path.read_text()) for path in token_dir.iterdir()) == before

    run = run_role(emulator, [widened], environments_token_dir=str(token_dir), environments_update_existing=True)
    assert run.rc == 0, run
    stored = dict((t['name'], t) for t in emulator.tokens() if t.get('environment') == env_id)
    assert sorted(stored['ingest']['scopes']) == ['logs.ingest', 'metrics.ingest'] and stored['ingest']['id'] == before_id(before)
    emulator.clear_requests()
    assert run_role(emulator, [widened], environments_token_dir=str(token_dir)).rc == 0
    assert api_requests(emulator) == [('GET', '/api/cluster/v2/environments'), ('GET', '/api/v1.0/onpremise/groups')]


def before_id(files):
    """The token id the manifest of the ingest token named before the update (updated in place: the same)."""
    (manifest,) = [json.loads(text) for name, text in files.items() if name.endswith('.ingest.token.json')]
    return manifest['token_id']


def test_check_mode_says_ok_where_the_real_run_says_ok_and_mints_nothing(emulator):
    """Without a token folder every run looks the tokens up; check mode cannot (a mint is a write): unknown, not changed."""
    declared = [{'name': 'known', 'api_tokens': [PAAS]}]
    assert run_role(emulator, declared).rc == 0
    real = run_role(emulator, declared)
    assert real.rc == 0 and not [entry for entry in real.results if entry['status'] == 'changed'], real
    emulator.clear_requests()
    checked = run_role(emulator, declared, check=True)
    assert checked.rc == 0 and not [entry for entry in checked.results if entry['status'] == 'changed'], checked
    assert all(method == 'GET' for method, dummy in api_requests(emulator)), api_requests(emulator)
    (outcome,) = [entry['result'] for entry in checked.results if 'outcomes' in entry['result']][0]['outcomes']
    assert [token['state'] for token in outcome['api_tokens']] == ['unknown'], outcome
