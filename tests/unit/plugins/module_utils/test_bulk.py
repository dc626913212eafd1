"""Unit tests of the bulk pieces: the checks of a list (_model/bulk_plan), the executor, the rate gate.

The planner of each item is tested in test_environment_plan.py.
The same paths run over real HTTP against the emulator in tests/integration/test_dynatrace_environments.py.
"""

import threading
import time

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import parallel_errors, run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_plan import (
    environment_params, list_errors, pending_tokens, read_flags, token_file,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.retry import RateGate
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok

NOW_MS = 1_700_000_000_000


def test_an_items_update_existing_wins_over_the_lists():
    assert environment_params({'name': 'a', 'update_existing': False}, True)['update_existing'] is False
    assert environment_params({'name': 'a'}, True)['update_existing'] is True


def test_every_bad_item_is_named_before_any_request():
    items = [{'name': 'ok'}, {'name': 'bad', 'api_tokens': [{'name': 't', 'scopes': ['PaaSIntegration']}], 'permissions': {'g': []}},
             {'name': 'ok'}, {}]
    errors = list_errors(items, NOW_MS, 'environments_list')
    text = '; '.join(errors)
    assert 'environments_list[1] (bad) api_tokens[0]' in text and 'PaaSIntegration' in text
    assert 'environments_list[1] (bad): permissions[g] must name at least one permission' in text
    assert 'environments_list[3] (?) needs name or environment_id' in text
    assert 'environments_list[0] and environments_list[2] both declare name' in text


def test_a_token_name_twice_in_one_item_is_an_error():
    item = {'name': 'a', 'api_tokens': [{'name': 't', 'scopes': ['InstallerDownload']}] * 2}
    assert any('declared twice' in error for error in list_errors([item], NOW_MS))


def test_quotas_and_storage_are_read_only_when_an_item_manages_them():
    assert read_flags([{'name': 'a'}]) == dict(include_consumption=False, include_storage=False)
    assert read_flags([{'name': 'a', 'quotas': {'host_units': {'max_limit': 1}}}])['include_consumption'] is True
    assert read_flags([{'name': 'a', 'state': 'absent', 'storage': {}}])['include_storage'] is False


def test_a_recorded_token_file_counts_as_present_unless_verify():
    item = {'api_tokens': [{'name': 'paas'}, {'name': 'in gest/x'}]}
    assert token_file('e1', 'in gest/x') == 'e1.in%20gest%2Fx.token'
    assert [t['name'] for t in pending_tokens(item, 'e1', ['e1.paas.token'], False)] == ['in gest/x']
    assert len(pending_tokens(item, 'e1', ['e1.paas.token', 'e1.in%20gest%2Fx.token'], True)) == 2


def test_token_names_never_share_a_file():
    names = ['log ingest', 'log_ingest', 'log%20ingest', 'log/ingest', 'log.ingest', 'LOG ingest', 'log\u00e9', 'loge']
    files = [token_file('e1', name) for name in names]
    assert len(set(files)) == len(names), files
    assert token_file('e1', 'log_ingest') == 'e1.log_ingest.token'  # the names of release 1.0.0 stay where possible


# ---------------------------------------------------------------------------------------------
# The executor

def test_outcomes_keep_the_order_and_a_failure_hides_nothing():
    def job(number):
        def run():
            time.sleep(0.01 * (5 - number))
            if number == 2:
                raise ValueError('item 2 broke')
            return number
        return run
    outcomes = run_jobs([job(number) for number in range(5)], parallel=4)
    assert [outcome.value for outcome in outcomes] == [0, 1, None, 3, 4]
    assert [outcome.failed for outcome in outcomes] == [False, False, True, False, False]
    assert str(outcomes[2].error) == 'item 2 broke'


@pytest.mark.parametrize('parallel', [1, 3])
def test_no_more_than_parallel_jobs_run_at_once(parallel):
    lock, state = threading.Lock(), dict(now=0, peak=0)

    def job():
        with lock:
            state['now'] += 1
            state['peak'] = max(state['peak'], state['now'])
        time.sleep(0.02)
        with lock:
            state['now'] -= 1
    run_jobs([job] * 9, parallel=parallel)
    assert state['peak'] == parallel


@pytest.mark.parametrize('value', [0, 11, True, '4', None])
def test_parallel_must_be_1_to_10(value):
    assert parallel_errors(value) and 'parallel must be a whole number from 1' in parallel_errors(value)[0]


# ---------------------------------------------------------------------------------------------
# The rate gate

def test_the_gate_holds_until_the_latest_wait_asked_for():
    clock = [100.0]
    gate = RateGate(clock=lambda: clock[0])
    assert gate.remaining() == 0
    assert gate.hold(5) == 105.0 and gate.hold(2) == 105.0
    clock[0] = 103.0
    assert gate.remaining() == 2.0 and gate.remaining(waited_until=105.0) == 0


def test_a_429_to_one_client_slows_its_sibling_too():
    client, sleeps, dummy = make_client([FakeResponse(429, '', {'Retry-After': '30'}), ok()])
    sibling, sibling_sleeps, dummy = make_client([ok()])
    sibling.gate = client.gate  # what with_token does
    client.request('GET', '/api/cluster/v2/environments')
    assert sleeps == [30]  # the client that got the 429 waits once, not twice
    sibling.request('GET', '/api/cluster/v2/environments')
    assert len(sibling_sleeps) == 1 and 29 < sibling_sleeps[0] <= 30
    assert sibling.retry_count == 0 and sibling.waited_seconds == sibling_sleeps[0]


def test_with_token_shares_the_gate():
    from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceClient
    client = DynatraceClient('https://dt.example.com', 'dt0c01.' + 'C' * 24 + '.' + 'D' * 64)
    assert client.with_token('dt0c01.' + 'A' * 24 + '.' + 'B' * 64).gate is client.gate
