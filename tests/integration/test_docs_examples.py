"""Every YAML block of the documentation parses, and the runnable ones run against the emulator as written.

The blocks are the ```yaml fences of README.md, docs/*.md and roles/*/README.md. What is done with each:

- every block parses with Ansible's own YAML loader (so `!unsafe` is understood), and no task registers a name
  ansible-core reserves (`register: environment` fails on 2.19);
- a playbook runs against the emulator, and a list of tasks runs as the tasks of a play on localhost, with only the
  addresses of the examples replaced: the example cluster URL by the emulator's, `/secure/...` and the CA file by
  paths of the test, the vault variables by the emulator's token;
- an inventory file of the collection's plugin is read with ansible-inventory against the emulator;
- every other block (a credential type, an injector, a vars file) is data: it is parsed only, and the guide that
  holds it has its own test (tests/integration/test_awx_guide.py, test_export_round_trip.py);
- NOT_RUN lists the blocks that cannot run here, each with the reason; a reason for a block that is gone fails.

The README's first screen is checked here too: its first 40 lines say what the collection is, install it, start the
emulator, run one playbook and name the two commands; the test command is the one .ci/run calls; its commands run as
written (test_readme_install.py runs its install block).
"""

import re
import socket
import subprocess
from pathlib import Path

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader
from ansible.vars.reserved import is_reserved_name

from tests.integration.runner import ansible_command, ansible_env

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / 'README.md'] + sorted((ROOT / 'docs').glob('*.md')) + sorted((ROOT / 'roles').glob('*/README.md'))
FENCE = re.compile(r'^( *)```ya?ml[^\n]*\n(.*?)^ *```', re.M | re.S)
EXAMPLE_URLS = ('https://dynatrace-managed.example.com', 'https://dynatrace.example.com')
EXAMPLE_CA = '/etc/pki/tls/certs/internal-ca.pem'
INVENTORY_PLUGIN = 'clusterops.dynatrace.environments'

# (document, first line of the block) -> why it does not run here.
NOT_RUN = {
    ('docs/inventory-and-export.md', '- name: Inventory of the Dynatrace environments'):
        'an awx.awx task: it needs an AWX server; the collection cannot be installed offline',
    ('docs/awx-automation-controller.md', '- name: Create the Dynatrace Managed cluster credential type'):
        'awx.awx tasks against an AWX server; test_awx_guide.py runs them against a stand-in of AWX',
    ('docs/awx-automation-controller.md', '- name: Keep the created tokens in AWX credentials'):
        'awx.awx.credential needs an AWX server; test_awx_guide.py runs the play with the real module up to it',
    ('docs/awx-automation-controller.md', '- name: Keep the created tokens in HashiCorp Vault'):
        'community.hashi_vault needs a Vault server and hvac; test_awx_guide.py runs the play up to them',
    ('docs/awx-automation-controller.md', '- name: Report the quotas of every environment, a slice of them per job'):
        'a play on the inventory plugin\'s hosts; test_awx_guide.py runs it on AWX-style slices of that inventory',
}
# Variables the examples expect from the user's inventory or vault.
EXAMPLE_VARS = {
    'my_environments': [{'name': 'team-docs'}],
    'team_environments': [{'name': 'team-payments'}, {'name': 'team-search'}],
}


class Block:
    def __init__(self, document, line, text):
        self.document = document.relative_to(ROOT).as_posix()
        self.line = line
        self.text = text
        self.first_line = text.strip().splitlines()[0] if text.strip() else ''
        self.data = yaml.load(text, Loader=AnsibleLoader)  # nosec: Ansible's safe loader

    @property
    def id(self):
        return '%s:%d' % (self.document, self.line)

    @property
    def kind(self):
        data = self.data
        if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
            return 'playbook' if all('hosts' in item or 'import_playbook' in item for item in data) else 'tasks'
        if isinstance(data, dict) and data.get('plugin') == INVENTORY_PLUGIN:
            return 'inventory'
        return 'data'


def blocks():
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding='utf-8')
        for match in FENCE.finditer(text):
            body = '\n'.join(line[len(match.group(1)):] for line in match.group(2).splitlines())
            found.append((document, text[:match.start()].count('\n') + 1, body))
    return found


ALL = blocks()


def as_block(found):
    document, line, text = found
    return Block(document, line, text)


@pytest.mark.parametrize('found', ALL, ids=['%s:%d' % (d.relative_to(ROOT).as_posix(), n) for d, n, t in ALL])
def test_every_yaml_block_parses_and_registers_no_reserved_name(found):
    block = as_block(found)
    assert block.data is not None, block.id
    for task in walk_tasks(block.data):
        name = task.get('register')
        assert not (isinstance(name, str) and is_reserved_name(name)), '%s: register: %s is reserved' % (block.id, name)


def walk_tasks(data):
    if isinstance(data, list):
        for item in data:
            yield from walk_tasks(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (list, dict)):
                yield from walk_tasks(value)


def test_every_reason_not_to_run_names_a_block_that_exists():
    present = set((as_block(found).document, as_block(found).first_line) for found in ALL)
    assert set(NOT_RUN) <= present, sorted(set(NOT_RUN) - present)


def runnable_by_document():
    """{document: [found, ...]} of the blocks that run, in the order a reader follows them."""
    chosen = {}
    for found in ALL:
        block = as_block(found)
        if block.kind != 'data' and (block.document, block.first_line) not in NOT_RUN:
            chosen.setdefault(block.document, []).append(found)
    return chosen


RUNNABLE = runnable_by_document()


def for_the_emulator(text, emulator, folder):
    for url in EXAMPLE_URLS:
        text = text.replace(url, emulator.url)
    ca_file = folder / 'internal-ca.pem'
    ca_file.write_text('not used over http://\n')
    text = text.replace(EXAMPLE_CA, str(ca_file))
    return text.replace('/secure/', str(folder / 'secure') + '/')


def seed(emulator):
    """What the examples take as existing: the environments they grant on or read, tagged for the finance group."""
    for name in ('team-payments', 'team-payments-staging', 'team-docs'):
        emulator.create_environment(name, tags=['department:finance'])


def ansible(command, emulator, folder):
    variables = dict(EXAMPLE_VARS, vault_dynatrace_cluster_token=emulator.token)
    (folder / 'example-vars.yml').write_text(yaml.safe_dump(variables))
    env = ansible_env(emulator, stdout_callback='default')
    command = [ansible_command(command[0])] + command[1:]
    if command[0].endswith('ansible-playbook'):
        command += ['-e', '@example-vars.yml']
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize('document', sorted(RUNNABLE))
def test_runnable_blocks_run_against_the_emulator(document, emulator, tmp_path):
    """A guide is followed from top to bottom: its blocks run in order on one emulator (a group created by one
    block is read by the next)."""
    seed(emulator)
    for found in RUNNABLE[document]:
        run_block(as_block(found), emulator, tmp_path)


def run_block(block, emulator, folder):
    text = for_the_emulator(block.text, emulator, folder)
    if block.kind == 'inventory':
        (folder / 'cluster.dynatrace.yml').write_text(text)
        completed = ansible(['ansible-inventory', '-i', 'cluster.dynatrace.yml', '--list'], emulator, folder)
        assert completed.returncode == 0 and 'team-payments' in completed.stdout, (block.id, completed.stdout + completed.stderr)
        assert emulator.token not in completed.stdout
        return
    if block.kind == 'tasks':
        text = '- hosts: localhost\n  gather_facts: false\n  tasks:\n' + ''.join('    ' + line + '\n' for line in text.splitlines())
    (folder / 'example.yml').write_text(text)
    inventory = ['-i', 'localhost,', '-c', 'local']
    if 'hosts: tag_' in text:  # a play over the inventory plugin's groups
        (folder / 'cluster.dynatrace.yml').write_text('plugin: %s\n' % INVENTORY_PLUGIN)
        inventory = ['-i', 'cluster.dynatrace.yml']
    completed = ansible(['ansible-playbook'] + inventory + ['example.yml'], emulator, folder)
    assert completed.returncode == 0, (block.id, completed.stdout[-4000:] + completed.stderr[-2000:])
    assert 'failed=0' in completed.stdout and 'ok=0 ' not in completed.stdout, (block.id, completed.stdout[-3000:])


def test_the_readme_first_playbook_runs_twice_with_changed_0_the_second_time(emulator, tmp_path):
    (first,) = [as_block(found) for found in ALL if as_block(found).document == 'README.md'
                and as_block(found).first_line.startswith('# first.yml')]
    (tmp_path / 'first.yml').write_text(first.text)
    runs = [ansible(['ansible-playbook', '-i', 'localhost,', '-c', 'local', 'first.yml'], emulator, tmp_path)
            for dummy in range(2)]
    assert all(run.returncode == 0 for run in runs), [run.stdout[-2000:] + run.stderr[-1000:] for run in runs]
    assert 'changed=1' in runs[0].stdout and 'changed=0' in runs[1].stdout
    # No deprecation warning of the toolchain on the way (cryptography 51 warned on every ansible command).
    assert not [run for run in runs if 'DeprecationWarning' in run.stderr], [run.stderr[-1500:] for run in runs]
    (team,) = [environment for environment in emulator.environments() if environment['name'] == 'team-payments']
    assert team['quotas']['hostUnits']['maxLimit'] == 50


def test_the_readme_first_screen():
    lines = (ROOT / 'README.md').read_text(encoding='utf-8').splitlines()[:40]
    screen = '\n'.join(lines)
    assert 'Dynatrace Managed' in lines[2]  # what it is, right under the title
    assert 'ansible-galaxy collection install' in screen
    assert 'python -m tests.emulator' in screen and 'DYNATRACE_URL' in screen
    assert re.search(r'^```yaml\n.*?clusterops\.dynatrace\.\w+:', screen, re.M | re.S)
    ci_target = re.search(r'^exec make (\w+)', (ROOT / '.ci/run').read_text(), re.M).group(1)
    assert ci_target == 'test'
    assert re.search(r'^make demo\b', screen, re.M) and re.search(r'^make %s\b' % ci_target, screen, re.M)
    # Tables and comparisons come after the first screen.
    assert not [line for line in lines if line.startswith('|')]


def test_every_guide_is_in_the_html_documentation():
    """make docs renders each docs/<guide>.md in place of its stand-in docs/docsite/rst/<guide>.rst (docs/build.sh);
    extra-docs.yml lists them all, so a new guide without a stand-in fails here rather than missing from the site."""
    guides = sorted(path.stem for path in (ROOT / 'docs').glob('*.md'))
    stand_ins = sorted(path.stem for path in (ROOT / 'docs/docsite/rst').glob('*.rst'))
    how = ('a guide docs/<name>.md needs a stand-in docs/docsite/rst/<name>.rst (copy one and change its label, title '
           'and file name) and <name> in a toctree of docs/docsite/extra-docs.yml')
    assert stand_ins == guides, (how, sorted(set(guides) ^ set(stand_ins)))
    index = yaml.safe_load((ROOT / 'docs/docsite/extra-docs.yml').read_text())
    listed = [entry for section in index['sections'] for entry in section['toctree']]
    assert sorted(listed) == guides, (how, sorted(set(guides) ^ set(listed)))
    for guide in guides:
        stand_in = (ROOT / 'docs/docsite/rst' / (guide + '.rst')).read_text()
        assert stand_in.startswith('.. _ansible_collections.clusterops.dynatrace.docsite.%s:' % guide.replace('-', '_'))
        assert '``docs/%s.md``' % guide in stand_in


def test_the_readme_first_run_commands_work_as_written(tmp_path):
    """The console block of the first screen, line by line in bash (the emulator from the checkout, on a free port
    instead of 8021; `make venv` left out: the tests run in that venv), then first.yml from it, twice."""
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    section = readme.split('\n## First run', 1)[1].split('\n## ', 1)[0]
    commands = re.search(r'^```console\n(.*?)^```$', section, re.M | re.S).group(1).splitlines()
    assert commands[0].startswith('make venv') and commands[-1].startswith('ansible-playbook first.yml')
    (first,) = [as_block(found) for found in ALL if as_block(found).first_line.startswith('# first.yml')]
    (tmp_path / 'first.yml').write_text(first.text)
    port = free_port()
    script = '\n'.join(['set -euo pipefail', 'cd %s' % ROOT]
                       + [line.replace('8021', str(port)) for line in commands[1:-1]]
                       + ['trap "kill $! 2>/dev/null" EXIT', 'cd %s' % tmp_path]
                       + [commands[-1]] * 2)
    env = ansible_env(stdout_callback='default')
    env['PATH'] = '%s:%s' % (Path(ansible_command('ansible-playbook')).parent, env['PATH'])
    completed = subprocess.run(['bash', '-c', script], capture_output=True, text=True, timeout=300, check=False, env=env)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    recaps = re.findall(r'^localhost\s+: ok=\d+\s+changed=(\d+)', completed.stdout, re.M)
    assert recaps == ['1', '0'], completed.stdout[-3000:]


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]
