"""Stress proof with parallelism on: 4 role runs at once, each writing 8 environments at a time, of the same 24 names.

The emulator commits a write only after 1 s, so the runs' listings are stale by the time they create and
their workers' PUTs of the same ids are in flight together. Exactly 24 environments must result, each
created by one request; the others' PUTs of the same id land as updates (204).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_tasks
from tests.integration.test_no_duplicates import at_once
from tests.integration.test_role_environments import role_task

ENVIRONMENTS = '/api/cluster/v2/environments'
NAMES = ['bulk-%02d' % index for index in range(24)]


def role_run(emulator, token_dir, reverse):
    names = list(reversed(NAMES)) if reverse else NAMES
    task = role_task([{'name': name, 'tags': ['stress']} for name in names], environments_token_dir=str(token_dir),
                     environments_parallel=8)
    return run_tasks([task], emulator=emulator, extra_env={'ANSIBLE_PIPELINING': '1'})


def test_parallel_role_runs_with_parallel_workers_never_make_a_duplicate(emulator, tmp_path):
    emulator.configure(latency='write=1s')
    folders = [tmp_path / ('job%d' % index) for index in range(4)]
    runs = at_once(*[lambda folder=folder, index=index: role_run(emulator, folder, index % 2)
                     for index, folder in enumerate(folders)])
    assert all(run.rc == 0 for run in runs), runs

    stored = sorted((environment['name'], environment['id']) for environment in emulator.environments())
    assert stored == sorted((name, creation_id(name)) for name in NAMES)
    writes = [entry for entry in emulator.requests() if entry['path'].startswith('/api/') and entry['method'] != 'GET']
    assert all(entry['method'] == 'PUT' and entry['status'] in (201, 204) for entry in writes), writes
    created = sorted(entry['path'] for entry in writes if entry['status'] == 201)
    assert created == sorted(ENVIRONMENTS + '/' + creation_id(name) for name in NAMES)
    assert len(writes) > len(NAMES)  # the runs did collide: some creates answered 204
    # Each token-management token came back once, to the run that created its environment, and went to its file.
    files = [path.name for folder in folders if folder.exists() for path in folder.glob('*.token')]
    assert sorted(files) == sorted('%s.token' % creation_id(name) for name in NAMES)
