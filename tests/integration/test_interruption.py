"""Ctrl-C in the middle of a run of the environments role that creates environments and API tokens, then a run again.

The role runs in its own process group, as from a terminal; when the emulator's request log reaches a point chosen
at random (seeded, so a failure can be replayed), the whole group gets SIGINT, as a terminal's Ctrl-C sends it.
After the process group is gone, the role runs again to the end. Then:
- every API token the server holds is in its file (the file's secret is that token's, by the API's lookup) or the
  run again reported it as unrecoverable with the way out (`rotate: true`), naming its id;
- no environment and no token is duplicated;
- no output of either run shows any 12 characters of the cluster token or of a secret in the token folder.
"""

import os
import random
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import VERBOSITY_ENV, _append_output_log, ansible_command, ansible_env
from tests.integration.secret_scan import find_leaks
from tests.integration.test_role_environments import role_task
from tests.integration.test_role_onboarding import INGEST, PAAS, api_requests
from tests.integration.token_truth import token_id_of

SEED = 23
POINTS = 10
TEAMS = ['stop-a', 'stop-b', 'stop-c']
# A full run: the listing, a creating PUT per team, a POST per API token (the creation answers' tokens make them).
FULL_RUN_REQUESTS = 1 + len(TEAMS) * 3
DECLARED = (PAAS['name'], INGEST['name'])
UNRECOVERABLE = re.compile(r"API token '(\w+)' \((\S+)\) exists, but no file of token_dir holds its secret")


def playbook(workdir, token_dir, parallel):
    declared = [{'name': name, 'api_tokens': [PAAS, INGEST]} for name in TEAMS]
    play = dict(name='onboarding', hosts='localhost', gather_facts=False,
                tasks=[role_task(declared, environments_token_dir=str(token_dir), environments_parallel=parallel)])
    path = Path(workdir) / 'play.yml'
    path.write_text(yaml.safe_dump([play], sort_keys=False))
    verbosity = int(os.environ.get(VERBOSITY_ENV) or 0)  # the -vvv pass of tests/tools/verbose-secrets.sh
    return [ansible_command('ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(path)] + (
        ['-' + 'v' * verbosity] if verbosity else [])


def run_role(emulator, token_dir, interrupt_after=None, parallel=2):
    """One run (default stdout callback, verbosity 0); with `interrupt_after`, SIGINT to its process group once the
    emulator has logged that many API requests. Returns (interrupted, output); the group is gone when it returns."""
    with tempfile.TemporaryDirectory(prefix='clusterops-stop-') as workdir:
        command = playbook(workdir, token_dir, parallel)
        process = subprocess.Popen(command, cwd=workdir, start_new_session=True,
                                   env=ansible_env(emulator, stdout_callback='default'), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        interrupted = False
        while interrupt_after is not None and process.poll() is None:
            if len(api_requests(emulator)) >= interrupt_after:
                os.killpg(process.pid, signal.SIGINT)
                interrupted = True
                break
            time.sleep(0.005)
        output, dummy = process.communicate(timeout=120)
        wait_for_group_to_end(process.pid)
    # The whole-suite scan of tests/tools/verbose-secrets.sh reads every run's output.
    _append_output_log(command, subprocess.CompletedProcess(command, process.returncode, output, ''))
    return interrupted, output


def wait_for_group_to_end(group, seconds=60):
    """A module of the interrupted run may still finish its answered work: the run again starts after it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError('process group %d still running after %d s' % (group, seconds))


def declared_tokens(emulator):
    """{(environment id, token name): [ids]} of the API tokens the role declares (not the environments' own
    token-management tokens, not minted ones, not the test's reader)."""
    found = {}
    for token in emulator.tokens():
        if token.get('environment') and token['name'] in DECLARED:
            found.setdefault((token['environment'], token['name']), []).append(token['id'])
    return found


def check_point(emulator, token_dir, outputs):
    names = sorted(environment['name'] for environment in emulator.environments())
    assert names == sorted(TEAMS), names  # each once
    tokens = declared_tokens(emulator)
    assert sorted(tokens) == sorted((creation_id(team), name) for team in TEAMS for name in DECLARED), tokens
    assert all(len(ids) == 1 for ids in tokens.values()), tokens  # no token twice
    reported = dict((token_id, name) for name, token_id in UNRECOVERABLE.findall(outputs[-1]))
    assert all('rotate: true' in line for line in outputs[-1].splitlines() if UNRECOVERABLE.search(line))
    kept, lost = 0, 0
    for (env_id, name), (token_id,) in tokens.items():
        path = token_dir / ('%s.%s.token' % (env_id, name))
        if path.exists() and token_id_of(emulator, env_id, path.read_text()) == token_id:
            kept += 1
        else:
            assert reported.get(token_id) == name, (env_id, name, token_id, reported, outputs[-1][-3000:])
            lost += 1
    secrets = [path.read_text() for path in token_dir.glob('*.token')]
    leaks = find_leaks('\n'.join(outputs), api_tokens=[emulator.token], secrets=secrets, allow_results=False, fragment=12)
    assert leaks == [], leaks
    return kept, lost


def test_ctrl_c_at_random_points_loses_no_secret_silently_and_duplicates_nothing(emulator, tmp_path):
    points = sorted(random.Random(SEED).sample(range(1, FULL_RUN_REQUESTS + 1), POINTS))
    tally = []
    for number, point in enumerate(points):
        emulator.reset()
        token_dir = tmp_path / ('tokens-%d' % number)
        # parallel 1: the interrupt lands in the thread that sends the requests; 2: worker threads finish their item.
        interrupted, first = run_role(emulator, token_dir, interrupt_after=point, parallel=1 + number % 2)
        partial = len(emulator.environments())
        dummy, again = run_role(emulator, token_dir)
        kept, lost = check_point(emulator, token_dir, [first, again])
        tally.append((point, interrupted, partial, kept, lost))
    # The points fell inside runs: some stopped before every environment existed, and the run again made the rest.
    assert sum(1 for dummy, interrupted, partial, dummy2, dummy3 in tally if interrupted and partial < len(TEAMS)) >= 3, tally
    print('interruption points (request, interrupted, environments left, tokens kept in files, reported lost):', tally)
    assert sum(kept for dummy, dummy2, dummy3, kept, dummy4 in tally) > 0
