"""Run tasks through ansible-playbook against the emulator and read back every task result.

Modules run for real: a subprocess of ansible-playbook, the collection from ANSIBLE_COLLECTIONS_PATH
(set by tests/conftest.py), HTTP to the emulator on 127.0.0.1.

The suite's verbosity (tests/tools/verbose-secrets.sh, which `make test` runs): CLUSTEROPS_TEST_VERBOSITY=N runs
every playbook with -v * N unless the test asks for a verbosity of its own, and CLUSTEROPS_TEST_OUTPUT_LOG=PATH appends
each run's command, stdout and stderr to PATH, so that the whole output of the one run of the suite can be scanned for
secrets afterwards (tests/integration/secret_scan.py).

Censored results: a module that returns a secret has its displayed result censored (only `changed` and a few
other keys reach the callbacks), while the variable the task registers keeps everything. With the json_lines
callback each task of the collection's modules therefore registers its result (under its own `register` name,
or one given here) and a debug task after it shows that variable; the runner puts the registered result in place
of a censored one (the entry gets `censored: True` and the displayed result under `displayed`) and drops the
debug entries, so tests read what a playbook would register.

Other ansible-core versions (tests/tools/matrix.sh): CLUSTEROPS_TEST_ANSIBLE_BIN=<venv>/bin runs ansible-playbook from
that folder and the modules with its python; the emulator and pytest stay on the interpreter running the tests.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

CALLBACK_DIR = Path(__file__).resolve().parent / 'callback_plugins'
COLLECTION_PREFIX = 'clusterops.dynatrace.'
REGISTERED_PREFIX = '__registered result: '
VERBOSITY_ENV = 'CLUSTEROPS_TEST_VERBOSITY'
OUTPUT_LOG_ENV = 'CLUSTEROPS_TEST_OUTPUT_LOG'
ANSIBLE_BIN = Path(os.environ.get('CLUSTEROPS_TEST_ANSIBLE_BIN') or Path(sys.executable).parent)
# The modules run on the interpreter next to ansible-playbook (it has `requests`).
MODULE_PYTHON = str(ANSIBLE_BIN / 'python')


def ansible_command(name):
    """The path of an Ansible command line tool (ansible-playbook, ansible-galaxy) of the ansible-core under test."""
    return str(ANSIBLE_BIN / name)


class PlaybookRun:
    def __init__(self, completed, results):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.results = results

    @property
    def last(self):
        """The result dict of the last task that ran."""
        return self.results[-1]['result']

    @property
    def last_status(self):
        return self.results[-1]['status']

    def by_task(self, name):
        return [entry['result'] for entry in self.results if entry['task'] == name]

    def __repr__(self):
        return 'PlaybookRun(rc=%s, results=%s, stderr=%s)' % (self.rc, json.dumps(self.results, indent=1)[:4000], self.stderr[-2000:])


def ansible_env(emulator=None, extra_env=None, stdout_callback='json_lines'):
    env = dict(os.environ)
    env.update({
        'ANSIBLE_CALLBACK_PLUGINS': str(CALLBACK_DIR),
        'ANSIBLE_STDOUT_CALLBACK': stdout_callback,
        'ANSIBLE_LOAD_CALLBACK_PLUGINS': '1',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_RETRY_FILES_ENABLED': '0',
        'ANSIBLE_HOST_KEY_CHECKING': '0',
        'ANSIBLE_LOCALHOST_WARNING': '0',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
        'ANSIBLE_PYTHON_INTERPRETER': MODULE_PYTHON,
    })
    if emulator is not None:
        env['DYNATRACE_URL'] = emulator.url
        env['DYNATRACE_API_TOKEN'] = emulator.token
    env.update(extra_env or {})
    return env


def _append_output_log(command, completed):
    """The opt-in verbose pass: keep every run's output for the secret scan."""
    log_path = os.environ.get(OUTPUT_LOG_ENV)
    if log_path:
        with open(log_path, 'a', encoding='utf-8') as log:
            log.write('=== RUN %s\n=== STDOUT\n%s\n=== STDERR\n%s\n' % (' '.join(command), completed.stdout, completed.stderr))


def _registering(tasks):
    """`tasks` with every task of a collection module registering its result, each followed by a debug of it."""
    rewritten = []
    for index, task in enumerate(tasks):
        if not any(key.startswith(COLLECTION_PREFIX) for key in task):
            rewritten.append(task)
            continue
        task = dict(task)
        variable = task.setdefault('register', '__clusterops_registered_%d' % index)
        rewritten += [task, {'name': REGISTERED_PREFIX + variable, 'ansible.builtin.debug': {'var': variable}}]
    return rewritten


def _uncensored(results):
    """Task results with each censored one replaced by what its task registered; the debug entries dropped."""
    kept, last_by_host = [], {}
    for entry in results:
        if not entry['task'].startswith(REGISTERED_PREFIX):
            kept.append(entry)
            last_by_host[entry['host']] = entry
            continue
        registered = entry['result'].get(entry['task'][len(REGISTERED_PREFIX):])
        previous = last_by_host.get(entry['host'])
        if previous is not None and 'censored' in previous['result'] and isinstance(registered, dict):
            previous.update(censored=True, displayed=previous['result'], result=registered)
    return kept


def run_tasks(tasks, emulator=None, check=False, diff=False, extra_env=None, verbosity=None, play_vars=None,
              forks=None, stdout_callback='json_lines', timeout=600, inventory='localhost,', hosts='localhost'):
    """Run a one-play playbook of `tasks` on `hosts` of `inventory` (localhost); return a PlaybookRun.

    Every host runs with the local connection, so an inventory of aliases ('h1,h2,') runs the tasks in parallel
    on the controller (with `forks`). `verbosity` None is the suite's (CLUSTEROPS_TEST_VERBOSITY, else 0); a number
    is exactly that, for a test whose assertion depends on it.
    """
    play = dict(name='clusterops.dynatrace test', hosts=hosts, gather_facts=False, vars=play_vars or {},
                tasks=_registering(tasks) if stdout_callback == 'json_lines' else tasks)
    return run_plays([play], emulator=emulator, check=check, diff=diff, extra_env=extra_env, verbosity=verbosity,
                     forks=forks, stdout_callback=stdout_callback, timeout=timeout, inventory=inventory)


def run_plays(plays, emulator=None, check=False, diff=False, extra_env=None, verbosity=None, forks=None,
              stdout_callback='json_lines', timeout=600, inventory='localhost,'):
    """Run a playbook of `plays` (dicts) as they are; return a PlaybookRun.

    `verbosity` None is the suite's (CLUSTEROPS_TEST_VERBOSITY, else 0); a number is exactly that.
    """
    if verbosity is None:
        verbosity = int(os.environ.get(VERBOSITY_ENV) or 0)
    with tempfile.TemporaryDirectory(prefix='clusterops-play-') as workdir:
        playbook = Path(workdir) / 'play.yml'
        playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
        command = [ansible_command('ansible-playbook'), '-i', inventory, '-c', 'local', str(playbook)]
        command += ['--check'] if check else []
        command += ['--diff'] if diff else []
        command += ['-' + 'v' * verbosity] if verbosity else []
        command += ['--forks', str(forks)] if forks else []
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                                   env=ansible_env(emulator, extra_env, stdout_callback), cwd=workdir)
    _append_output_log(command, completed)
    results = [json.loads(line[len('TASK_RESULT '):]) for line in completed.stdout.splitlines()
               if line.startswith('TASK_RESULT ')]
    return PlaybookRun(completed, _uncensored(results))


def run_module(module, emulator, check=False, diff=False, extra_env=None, **args):
    """Run one module of the collection as a single task; return (status, result)."""
    task = {'name': 'module under test', 'clusterops.dynatrace.' + module: args}
    run = run_tasks([task], emulator=emulator, check=check, diff=diff, extra_env=extra_env)
    assert run.results, 'ansible-playbook produced no task result: rc=%s\n%s\n%s' % (run.rc, run.stdout[-3000:], run.stderr[-3000:])
    return run.last_status, run.last
