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
        ('POST', 201), ('PUT', 204), ('PUT', 204), ('DELETE', 204)]
    assert not [e for e in emulator.environments() if e['name'] == 'lifecycle-demo']
