"""Stress proof: 8 parallel module runs and 3 parallel role runs create the same 20 names at once.

The emulator commits a write only after 1 s (write latency), so the runs overlap at every step:
lookups that find nothing, PUTs of the same id in flight together, roles whose listing is stale
by the time they create. Exactly 20 environments must result, each created by one request.
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_tasks
from tests.integration.test_no_duplicates import at_once
from tests.integration.test_role_environments import role_task

ENVIRONMENTS = '/api/cluster/v2/environments'
NAMES = ['stress-%02d' % index for index in range(20)]
MODULE_HOSTS = ['worker%d' % index for index in range(8)]
# Half the workers go through the names forwards, half backwards, so they collide at both ends and in the middle.
MODULE_TASK = {
    'name': 'create the names',
    'clusterops.dynatrace.dynatrace_environment': {'name': '{{ item }}', 'timeout': 30},
    'loop': "{{ stress_names if inventory_hostname[-1] | int is even else stress_names | reverse | list }}",
    'register': 'stress_created',
}
PIPELINING = {'ANSIBLE_PIPELINING': '1'}  # fewer processes per module run


def module_runs(emulator):
    return run_tasks([MODULE_TASK], emulator=emulator, inventory=','.join(MODULE_HOSTS) + ',', hosts='all',
                     forks=len(MODULE_HOSTS), play_vars={'stress_names': NAMES}, extra_env=PIPELINING)


def role_run(emulator, token_dir):
    return run_tasks([role_task([{'name': name} for name in NAMES], environments_token_dir=str(token_dir))],
                     emulator=emulator, extra_env=PIPELINING)


def test_8_module_runs_and_3_role_runs_create_20_names_exactly_once(emulator, tmp_path):
    emulator.configure(latency='write=1s')
    token_dirs = [tmp_path / ('job%d' % index) for index in range(3)]
    began = time.monotonic()
    roles = [lambda folder=folder: role_run(emulator, folder) for folder in token_dirs]
    runs = at_once(lambda: module_runs(emulator), *roles)
    elapsed = time.monotonic() - began
    assert all(run.rc == 0 for run in runs), runs

    # The emulator's state: each name exactly once, under its creation id.
    stored = sorted((environment['name'], environment['id']) for environment in emulator.environments())
    assert stored == [(name, creation_id(name)) for name in NAMES]

    # The request log: one creating request per name, no POST, every write a PUT of a creation id.
    log = [entry for entry in emulator.requests() if entry['path'].startswith('/api/')]
    writes = [entry for entry in log if entry['method'] != 'GET']
    assert all(entry['method'] == 'PUT' for entry in writes)
    created = sorted(entry['path'] for entry in writes if entry['status'] == 201)
    assert created == sorted(ENVIRONMENTS + '/' + creation_id(name) for name in NAMES)
    assert all(entry['status'] in (201, 204) for entry in writes), writes
    assert len(writes) > 20  # the runs did collide: some creates answered 204

    # Each token came back once: in a module result, or in a token file of the role run that created it.
    module_results = [item for entry in runs[0].results for item in entry['result'].get('results', [])]
    assert len(module_results) == 8 * 20 and not any(item.get('failed') for item in module_results)
    module_tokens = [item for item in module_results if item.get('token_management_token')]
    files = [path for folder in token_dirs if folder.exists() for path in folder.glob('*.token')]
    assert len(module_tokens) + len(files) == 20

    # Budgets: at most 3 requests per module run and 1 + 2 per environment per role run.
    assert len(log) <= 8 * 20 * 3 + 3 * (1 + 2 * 20)
    print('stress: %d requests (%d writes, %d created) in %.1f s' % (len(log), len(writes), len(created), elapsed))
    # A guard against a hang, not a benchmark. The 220 module processes cost about 0.6 s of CPU each: measured 100 s
    # (150 s of CPU) on a 2-core machine that others were using (load average 9).
    assert elapsed < 300
