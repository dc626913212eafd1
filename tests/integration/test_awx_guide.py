"""docs/awx-automation-controller.md shows the credential type of docs/awx/credential_type.yml, and nothing else.

The UI blocks must be its inputs and injectors. The `awx.awx` tasks run through ansible-playbook with a stand-in
`awx.awx` collection whose action plugins return the arguments they receive, so what is compared is what the
real modules would send to the controller after Ansible has templated the task.
"""

import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.integration import awx
from tests.integration.runner import ansible_command, ansible_env
from tests.integration.secret_scan import find_leaks

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


# ---------------------------------------------------------------------------------------------
# Keeping created tokens (awx.awx.credential, community.hashi_vault) and job slicing

REPO_ROOT = GUIDE.parents[1]
# The collections of the `ansible` package: the real awx.awx and community.hashi_vault, from PyPI (Galaxy is not
# reachable here). Downloaded once into .tmp/third-party.
ANSIBLE_PACKAGE = 'ansible==12.3.0'
THIRD_PARTY = ('awx/awx', 'community/hashi_vault')
# What a module says when its arguments are wrong: none of it may appear.
ARGUMENT_ERRORS = ('Unsupported parameters', 'is of type', 'missing required', 'mutually exclusive', 'value of ',
                   'missing parameter', 'Invalid input')


@pytest.fixture(scope='session')
def third_party_collections():
    target = REPO_ROOT / '.tmp' / 'third-party'
    collections = target / 'collections'
    if all((collections / 'ansible_collections' / name / 'MANIFEST.json').is_file() for name in THIRD_PARTY):
        return collections
    target.mkdir(parents=True, exist_ok=True)
    download = subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--disable-pip-version-check',
                               ANSIBLE_PACKAGE, '-d', str(target)], capture_output=True, text=True, timeout=600, check=False)
    wheels = sorted(target.glob('ansible-*.whl'))
    if download.returncode or not wheels:
        pytest.skip('the %s package (for awx.awx and community.hashi_vault) cannot be downloaded: %s'
                    % (ANSIBLE_PACKAGE, download.stderr.strip()[-300:]))
    with zipfile.ZipFile(wheels[-1]) as wheel:
        members = [name for name in wheel.namelist()
                   if any(name.startswith('ansible_collections/%s/' % collection) for collection in THIRD_PARTY)]
        wheel.extractall(collections, members)
    return collections


def guide_play(name):
    (play,) = [play for block in yaml_blocks() if '!unsafe' not in block
               for play in (yaml.safe_load(block) or []) if isinstance(play, dict) and play.get('name') == name]
    return play


def run_play(play, emulator, folder, collections, extra_env=None, inventory='localhost,'):
    (folder / 'play.yml').write_text(yaml.safe_dump([play], sort_keys=False))
    env = ansible_env(emulator, stdout_callback='default')
    env['ANSIBLE_COLLECTIONS_PATH'] = '%s:%s' % (collections, env['ANSIBLE_COLLECTIONS_PATH'])
    env.update(extra_env or {})
    return subprocess.run([ansible_command('ansible-playbook'), '-i', inventory, str(folder / 'play.yml'),
                           '-e', json.dumps({'team_environments': [{'name': 'team-keep-a'}, {'name': 'team-keep-b'}]})],
                          capture_output=True, text=True, timeout=300, check=False, env=env, cwd=folder)


# Where neither an AWX server nor a Vault listens: the modules get past their argument checks and stop there.
NOWHERE = {'CONTROLLER_HOST': 'http://127.0.0.1:9', 'CONTROLLER_OAUTH_TOKEN': 'not-a-token',
           'VAULT_ADDR': 'http://127.0.0.1:9', 'VAULT_TOKEN': 'not-a-token'}


@pytest.mark.parametrize('play_name, module, stop', [
    ('Keep the created tokens in AWX credentials', 'awx.awx.credential', 'refused'),
    ('Keep the created tokens in HashiCorp Vault', 'community.hashi_vault.vault_kv2_write', 'hvac'),
])
def test_the_token_keeping_plays_pass_the_real_modules_and_show_no_token(
        play_name, module, stop, emulator, tmp_path, third_party_collections):
    play = guide_play(play_name)
    (task,) = play['tasks']
    assert module in task and task['no_log'] is True
    # As written: the role creates the environments, the module task fails where there is no server, no token shown.
    as_written = run_play(play, emulator, tmp_path, third_party_collections, NOWHERE)
    created = [environment for environment in emulator.environments() if environment['name'].startswith('team-keep-')]
    assert len(created) == 2, as_written.stdout[-3000:] + as_written.stderr[-2000:]
    assert "'no_log: true' was specified" in as_written.stdout, as_written.stdout[-3000:]
    assert not find_leaks(as_written.stdout + as_written.stderr, allow_results=False), as_written.stdout[-2000:]

    # Its output shown (a test copy only): each item passed the module's argument checks and stopped at the server.
    emulator.reset()
    shown = dict(play, tasks=[dict(task, no_log=False, ignore_errors=True)])
    run = run_play(shown, emulator, tmp_path, third_party_collections, NOWHERE)
    failures = re.findall(r'^failed: \[localhost\] \(item=(team-keep-[ab])\) => (.*)$', run.stdout, re.M)
    assert sorted(item for item, dummy in failures) == ['team-keep-a', 'team-keep-b'], run.stdout[-3000:]
    for dummy, result in failures:
        message = json.loads(result)['msg']
        assert stop in message.lower() and not [error for error in ARGUMENT_ERRORS if error in message], message


def test_job_slices_handle_every_environment_exactly_once(emulator, tmp_path):
    """The inventory read once through the plugin (AWX's inventory sync), cut into 3 slices by AWX's rule (hosts in
    name order, slice k takes every 3rd from the k-th), the guide's per-environment play run on each slice."""
    emulator.seed(10, name_prefix='slice')
    (tmp_path / 'cluster.dynatrace.yml').write_text('plugin: clusterops.dynatrace.environments\n')
    emulator.clear_requests()
    listing = subprocess.run([ansible_command('ansible-inventory'), '-i', 'cluster.dynatrace.yml', '--list'],
                             capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
                             env=ansible_env(emulator))
    assert listing.returncode == 0, listing.stderr[-2000:]
    sync_requests = len(emulator.requests())
    # ansible-core 2.19 marks the plugin's values unsafe in the listing; AWX stores the values themselves.
    hostvars = json.loads(listing.stdout, object_hook=lambda pairs: pairs.get('__ansible_unsafe', pairs))['_meta']['hostvars']
    environments = dict((host, variables['dynatrace_environment_id']) for host, variables in hostvars.items())
    assert len(environments) == len(emulator.environments()) >= 10
    hosts, slice_count = sorted(environments), 3
    handled = []
    for number in range(1, slice_count + 1):
        chosen = hosts[number - 1::slice_count]
        inventory = tmp_path / ('slice%d.yml' % number)
        inventory.write_text(yaml.safe_dump({'all': {'hosts': dict((host, hostvars[host]) for host in chosen)}}))
        emulator.clear_requests()
        completed = run_play(guide_play('Report the quotas of every environment, a slice of them per job'), emulator,
                             tmp_path, str(tmp_path), inventory=str(inventory))
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
        requests_of_slice = [(entry['method'], entry['path']) for entry in emulator.requests()]
        # A slice costs one request per environment in it, and reads only its own environments.
        assert sorted(requests_of_slice) == sorted(('GET', '/api/cluster/v2/environments/%s' % environments[host])
                                                   for host in chosen)
        handled += [path.rsplit('/', 1)[1] for dummy, path in requests_of_slice]
    assert sorted(handled) == sorted(environments.values())  # every environment once, by exactly one slice
    assert sync_requests == 1  # the inventory sync, once for all slices
