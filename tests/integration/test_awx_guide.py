"""docs/awx-automation-controller.md shows the credential type of docs/awx/credential_type.yml, and nothing else.

The UI blocks must be its inputs and injectors. The `awx.awx` tasks run through ansible-playbook with a stand-in
`awx.awx` collection whose action plugins return the arguments they receive, so what is compared is what the
real modules would send to the controller after Ansible has templated the task.
"""

import json
import re
import subprocess
import textwrap
from pathlib import Path

import yaml

from tests.integration import awx
from tests.integration.runner import ansible_command, ansible_env

GUIDE = Path(__file__).resolve().parents[2] / 'docs' / 'awx-automation-controller.md'
ECHO_ACTION = '''
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(changed=False, received=self._task.args)
        return result
'''


def yaml_blocks():
    return re.findall(r'^```yaml\n(.*?)^```$', GUIDE.read_text(encoding='utf-8'), re.M | re.S)


def fake_awx_collection(root):
    actions = root / 'ansible_collections' / 'awx' / 'awx' / 'plugins' / 'action'
    actions.mkdir(parents=True)
    (actions.parent.parent / 'galaxy.yml').write_text('namespace: awx\nname: awx\nversion: 99.0.0\n')
    for name in ('credential_type', 'credential'):
        (actions / (name + '.py')).write_text(ECHO_ACTION)
    return root


def test_the_ui_blocks_are_the_credential_type_file():
    definition = awx.load_credential_type()
    parsed = [yaml.safe_load(block) for block in yaml_blocks() if '!unsafe' not in block]
    assert [block for block in parsed if isinstance(block, dict) and set(block) == {'fields', 'required'}] == [
        definition['inputs']]
    assert [block for block in parsed if isinstance(block, dict) and set(block) == {'file', 'env'}] == [
        definition['injectors']]


def test_the_awx_awx_tasks_send_the_same_type_and_a_credential_of_it(tmp_path):
    definition = awx.load_credential_type()
    (block,) = [block for block in yaml_blocks() if 'awx.awx.credential_type:' in block]
    (tmp_path / 'files').mkdir()
    (tmp_path / 'files' / 'internal-ca.pem').write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    playbook = tmp_path / 'guide.yml'
    playbook.write_text('- hosts: localhost\n  gather_facts: false\n  vars:\n    vault_dynatrace_cluster_token: dt0c01.GUIDE\n'
                        '  tasks:\n' + textwrap.indent(block, '    '))
    collections = fake_awx_collection(tmp_path / 'collections')
    env = ansible_env()
    env['ANSIBLE_COLLECTIONS_PATH'] = '%s:%s' % (collections, env['ANSIBLE_COLLECTIONS_PATH'])
    completed = subprocess.run([ansible_command('ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(playbook)],
                               capture_output=True, text=True, timeout=120, check=False, env=env, cwd=tmp_path)
    results = [json.loads(line[len('TASK_RESULT '):]) for line in completed.stdout.splitlines()
               if line.startswith('TASK_RESULT ')]
    assert completed.returncode == 0 and len(results) == 2, completed.stdout[-3000:] + completed.stderr[-3000:]
    sent_type, sent_credential = (entry['result']['received'] for entry in results)
    assert sent_type == {key: definition[key] for key in ('name', 'description', 'kind', 'inputs', 'injectors')}
    assert sent_credential['credential_type'] == definition['name']
    assert set(sent_credential['inputs']) == {'url', 'api_token', 'ca_bundle'}
    assert sent_credential['inputs']['ca_bundle'].startswith('-----BEGIN CERTIFICATE-----')
    # The credential as the guide creates it, rendered by AWX: verification on, the CA in a file.
    injected = awx.inject(definition, sent_credential['inputs'], tmp_path / 'pdd')[0]
    assert injected['DYNATRACE_VALIDATE_CERTS'] == 'true'
    assert Path(injected['DYNATRACE_CA_PATH']).read_text() == sent_credential['inputs']['ca_bundle']
