"""The README's install section works from the built tarball as written.

The console block of "## Install" (in the README's first screen) runs line by line in a folder that holds the tarball, with a throwaway home
folder (so `~/.ansible/collections` is this test's) and no ANSIBLE_COLLECTIONS_PATH; the pip line is left out
(ansible-core and requests are installed where the tests run). Then a playbook finds the collection there.
"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.integration.runner import ANSIBLE_BIN, MODULE_PYTHON

README = Path(__file__).resolve().parents[2] / 'README.md'


def install_section():
    return README.read_text(encoding='utf-8').split('\n## Install\n', 1)[1].split('\n## ', 1)[0]


def install_blocks():
    return re.findall(r'^```console\n(.*?)^```$', install_section(), re.M | re.S)


def user_env(home):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ANSIBLE_')}
    env.update(HOME=str(home), PATH='%s:%s' % (ANSIBLE_BIN, env.get('PATH', '/usr/bin:/bin')), ANSIBLE_NOCOLOR='1')
    return env


def test_the_tarball_installs_as_the_readme_says(collection_tarball, tmp_path, emulator):
    (release,) = install_blocks()
    home, cwd = tmp_path / 'home', tmp_path / 'download'
    home.mkdir()
    cwd.mkdir()
    shutil.copy(collection_tarball, cwd)
    commands = [line.split('#')[0].strip() for line in release.splitlines()]
    assert [c for c in commands if c.startswith('ansible-galaxy collection install')] == [
        'ansible-galaxy collection install %s' % collection_tarball.name]
    for command in commands:
        if command and not command.startswith('python3 -m pip'):
            completed = subprocess.run(shlex.split(command), cwd=cwd, env=user_env(home), capture_output=True,
                                       text=True, timeout=120, check=False)
            assert completed.returncode == 0, (command, completed.stdout[-2000:], completed.stderr[-2000:])
    assert (home / '.ansible/collections/ansible_collections/clusterops/dynatrace/MANIFEST.json').is_file()
    # From a checkout, the section installs what `make build` writes.
    assert 'make build && ansible-galaxy collection install .tmp/build/%s' % collection_tarball.name in install_section()

    playbook = tmp_path / 'site.yml'
    playbook.write_text('- hosts: localhost\n  gather_facts: false\n  tasks:\n'
                        '    - clusterops.dynatrace.dynatrace_environment_info:\n          name: none\n')
    env = user_env(home)
    env.update(DYNATRACE_URL=emulator.url, DYNATRACE_API_TOKEN=emulator.token,
               ANSIBLE_PYTHON_INTERPRETER=MODULE_PYTHON)
    completed = subprocess.run(['ansible-playbook', str(playbook)], cwd=tmp_path, env=env, capture_output=True,
                               text=True, timeout=120, check=False)
    assert completed.returncode == 0 and 'ok=1' in completed.stdout, completed.stdout[-3000:] + completed.stderr
