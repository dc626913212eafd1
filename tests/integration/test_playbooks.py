"""The playbooks shipped in playbooks/ run as they are against the emulator."""

import subprocess
from pathlib import Path

from tests.integration.runner import ansible_command, ansible_env

PLAYBOOKS = Path(__file__).resolve().parents[2] / 'playbooks'


def test_lifecycle_playbook_creates_reruns_updates_and_deletes(emulator):
    completed = subprocess.run([ansible_command('ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                                str(PLAYBOOKS / 'lifecycle.yml')], capture_output=True, text=True, timeout=300,
                               check=False, env=ansible_env(emulator, stdout_callback='default'))
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert 'failed=0' in completed.stdout and 'ok=10' in completed.stdout
    assert [(entry['method'], entry['status']) for entry in emulator.requests() if entry['method'] != 'GET'] == [
        ('PUT', 201), ('PUT', 204), ('PUT', 204), ('DELETE', 204)]
    assert not [e for e in emulator.environments() if e['name'] == 'lifecycle-demo']


def run_onboarding(emulator, token_dir):
    return subprocess.run([ansible_command('ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                           str(PLAYBOOKS / 'onboard-team.yml'), '-e', 'onboard_token_dir=%s' % token_dir],
                          capture_output=True, text=True, timeout=300, check=False,
                          env=ansible_env(emulator, stdout_callback='default'))


def test_onboarding_playbook_creates_the_environment_and_tokens_then_reruns_unchanged(emulator, tmp_path):
    emulator.configure(cluster_tokens_see_environment_tokens=True)
    token_dir = tmp_path / 'tokens'
    first = run_onboarding(emulator, token_dir)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
    (team,) = [e for e in emulator.environments() if e['name'] == 'team-payments']
    assert team['quotas']['hostUnits']['maxLimit'] == 20 and team['quotas']['davisDataUnits']['annualLimit'] == 600000
    tokens = dict((t['name'], t) for t in emulator.tokens() if t['environment'] == team['id'])
    assert tokens['oneagent-paas']['scopes'] == ['InstallerDownload']
    assert tokens['ingest']['scopes'] == ['logs.ingest', 'metrics.ingest']
    files = sorted(token_dir.iterdir())
    assert [f.name for f in files] == ['team-payments-ingest.token', 'team-payments-oneagent-paas.token']
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_text().startswith(tokens[path.name[len('team-payments-'):-len('.token')]]['id'] + '.')
        assert path.read_text().split('.')[2] not in first.stdout + first.stderr
    assert '/e/%s;' % team['id'] in first.stdout  # the environment URL is shown, its tokens are not
    # The first run authenticates with the token returned on creation: no token-management token is minted.
    assert not [e for e in emulator.requests() if e['path'].endswith('/tokenManagementToken')]

    emulator.clear_requests()
    second = run_onboarding(emulator, token_dir)
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-2000:]
    assert 'changed=0' in second.stdout and 'failed=0' in second.stdout, second.stdout[-3000:]
    inside = [(e['method'], e['path']) for e in emulator.requests() if e['method'] != 'GET']
    assert [m for m, p in inside] == ['POST', 'DELETE', 'POST', 'DELETE']  # two mints and their deletions only
    assert not [t for t in emulator.tokens() if t['name'].startswith('clusterops.dynatrace ')]
    # Besides the two, only the token-management token of the creation (valid for 24 hours) is in the environment.
    assert sorted(t['name'] for t in emulator.tokens() if t['environment'] == team['id']) == [
        'Token management token', 'ingest', 'oneagent-paas']

    # A lost secret file: that token is rotated (new secret, written again), the other one left alone.
    old_paas = tokens['oneagent-paas']['id']
    (token_dir / 'team-payments-oneagent-paas.token').unlink()
    third = run_onboarding(emulator, token_dir)
    assert third.returncode == 0 and 'changed=2' in third.stdout, third.stdout[-3000:]
    paas = [t for t in emulator.tokens() if t['environment'] == team['id'] and t['name'] == 'oneagent-paas']
    assert len(paas) == 1 and paas[0]['id'] != old_paas
    assert (token_dir / 'team-payments-oneagent-paas.token').read_text().startswith(paas[0]['id'] + '.')
