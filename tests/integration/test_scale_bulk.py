"""Scale of the bulk path through ansible-playbook against the emulator (issue 27).

Adaptive parallel writes under a cluster that carries only so many writes at once, and a steady state that reads
only the declared environments of a large cluster, under both readings of the listing cursor.
"""

import random

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.test_dynatrace_environments import api_requests, names, run_module

ENVIRONMENTS = '/api/cluster/v2/environments'


def test_defaults_back_off_under_a_write_capacity_and_create_every_item(emulator):
    emulator.configure(latency='write=500ms', write_capacity=3)
    declared = [{'name': 'cap-%02d' % number} for number in range(24)]
    status, result = run_module('dynatrace_environments', emulator, environments=declared)
    assert status == 'changed', result
    assert result['failures'] == {}
    assert names(emulator) == sorted(item['name'] for item in declared)
    log = emulator.requests()
    refused = [entry for entry in log if entry['status'] == 429]
    created = sorted(entry['path'] for entry in log if entry['method'] == 'PUT' and entry['status'] == 201)
    assert created == sorted('%s/%s' % (ENVIRONMENTS, creation_id(item['name'])) for item in declared)
    assert refused, 'the run started above the capacity, so the cluster pushed back'
    # The run started at 10 and backed off to about the capacity instead of pushing 10 at a time to the end.
    concurrency = result['concurrency']
    assert concurrency['limit'] == 10 and concurrency['backoffs'] >= 1 and concurrency['lowest'] <= 4
    assert len(refused) < len(declared), 'a back-off keeps push-backs far below one per item'


def test_parallel_is_the_upper_bound_and_nothing_is_refused_below_the_capacity(emulator):
    emulator.configure(latency='write=200ms', write_capacity=3)
    declared = [{'name': 'bound-%02d' % number} for number in range(9)]
    status, result = run_module('dynatrace_environments', emulator, environments=declared, parallel=3)
    assert status == 'changed' and result['failures'] == {}
    assert [entry for entry in emulator.requests() if entry['status'] == 429] == []
    assert result['concurrency'] == dict(limit=3, lowest=3, final=3, backoffs=0)


def declared_with_quotas(emulator, count, seed=7):
    """`count` seeded, enabled environments spread over the listing, declared with the host units they have."""
    candidates = [env for env in emulator.environments()
                  if env['state'] == 'ENABLED' and env['quotas']['hostUnits']['maxLimit'] is not None]
    chosen = random.Random(seed).sample(candidates, count)
    return [{'name': env['name'], 'quotas': {'host_units': {'max_limit': env['quotas']['hostUnits']['maxLimit']}}}
            for env in chosen], chosen


@pytest.mark.parametrize('keeps', [False, True])
def test_steady_state_of_10_declared_of_2500_reads_only_the_declared_ones(emulator, keeps):
    emulator.configure(cursor_keeps_includes=keeps)
    emulator.seed(2500, name_prefix='big')
    declared, chosen = declared_with_quotas(emulator, 10)
    emulator.clear_requests()
    status, result = run_module('dynatrace_environments', emulator, environments=declared)
    assert status == 'ok', result
    assert result['drift'] == {}
    log = api_requests(emulator)
    listing = [entry for entry in log if entry == ('GET', ENVIRONMENTS)]
    singles = [path for method, path in log if method == 'GET' and path != ENVIRONMENTS]
    assert len(listing) == 3 and len(log) == len(listing) + len(singles) and len(log) <= 3 + 10, log
    assert set(singles) <= set('%s/%s' % (ENVIRONMENTS, env['id']) for env in chosen)
    if keeps:
        assert singles == []  # every page carried the quotas


def test_steady_state_still_sees_drift_on_a_later_page(emulator):
    emulator.seed(2500, name_prefix='big')
    declared, chosen = declared_with_quotas(emulator, 10)
    declared = [dict(item, quotas={'host_units': {'max_limit': 777}}) for item in declared]
    status, result = run_module('dynatrace_environments', emulator, environments=declared)
    assert status == 'ok'
    assert sorted(result['drift']) == sorted(env['name'] for env in chosen)
