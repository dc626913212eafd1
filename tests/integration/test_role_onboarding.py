"""The environments role onboards teams: environment, API tokens, group permissions, the OneAgent hand-off.

Through ansible-playbook against the emulator; the request log shows that a re-run costs the
environments listing and the groups listing, whatever the number of teams.
"""

import hashlib
import os
import stat

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_tasks
from tests.integration.test_role_environments import role_task

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


def api_requests(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['path'].startswith(('/api/', '/e/'))]


def test_onboarding_writes_one_file_per_token_grants_and_hands_over(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    run = run_role(emulator, [team('team-a'), team('team-b')], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    env_a, env_b = creation_id('team-a'), creation_id('team-b')
    files = sorted(path.name for path in token_dir.iterdir())
    assert files == sorted('%s%s.token' % (env, suffix) for env in (env_a, env_b) for suffix in ('', '.paas', '.ingest'))
    assert all(stat.S_IMODE(os.stat(token_dir / name).st_mode) == 0o600 for name in files)
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
    before = dict((path.name, path.read_text()) for path in token_dir.iterdir())
    emulator.clear_requests()
    run = run_role(emulator, declared, environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    assert not [entry for entry in run.results if entry['status'] == 'changed'], run
    assert api_requests(emulator) == [('GET', '/api/cluster/v2/environments'), ('GET', '/api/v1.0/onpremise/groups')]
    assert dict((path.name, path.read_text()) for path in token_dir.iterdir()) == before
    (handoff,) = run.by_task(HANDOFF)
    env_id = creation_id('team-03')
    assert handoff['msg']['paas_sha256']['team-03'] == sha256(before['%s.paas.token' % env_id])


def test_a_token_file_lost_is_looked_up_and_left_alone_when_the_token_exists(emulator, tmp_path):
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


def test_check_mode_writes_nothing(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    run = run_role(emulator, [team('checked')], check=True, diff=True, environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    assert all(method == 'GET' for method, dummy in api_requests(emulator))
    assert emulator.environments() == [] and emulator.groups() == [] and not token_dir.exists()
