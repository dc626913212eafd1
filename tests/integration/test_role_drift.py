"""The environments role reports the drift the module would report, no more and no less, and refuses bad items."""

import pytest
import requests

from tests.integration.test_role_environments import api_requests, changed_tasks, run_role

ENVIRONMENTS = '/api/cluster/v2/environments'
DRIFT_TASK = 'Report existing environments that differ from the declaration (left as they are)'


def api_create(emulator, name, **fields):
    answer = requests.post(emulator.url + ENVIRONMENTS, json=dict(name=name, **fields), timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text


def drift_reports(run):
    return [entry for entry in run.results if entry['task'].endswith(DRIFT_TASK)]


def test_booleans_given_as_strings_are_no_drift_and_cost_no_request(emulator):
    api_create(emulator, 'boolish', trial=False, state='ENABLED')
    emulator.clear_requests()
    declared = [{'name': 'boolish', 'trial': 'no', 'enabled': 'yes'}]
    for update_existing in (False, True):
        run = run_role(emulator, declared, environments_update_existing=update_existing)
        assert run.rc == 0 and changed_tasks(run) == [], run
        assert [entry['status'] for entry in drift_reports(run)] == ['skipped']
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET']  # one listing per run


def test_quota_and_storage_drift_is_reported_with_update_existing_false(emulator):
    api_create(emulator, 'drifted', quotas={'hostUnits': {'maxLimit': 5}},
               storage={'transactionStorage': {'maxLimit': 1000}})
    emulator.clear_requests()
    declared = [{'name': 'drifted', 'quotas': {'host_units': {'max_limit': 9}},
                 'storage': {'transaction_storage': {'max_limit': 2000}}}]
    run = run_role(emulator, declared)
    assert run.rc == 0 and changed_tasks(run) == [], run
    message = str(drift_reports(run)[0]['result']['msg'])
    assert 'quotas.host_units.max_limit' in message and 'storage.transaction_storage.max_limit' in message
    (listing,) = api_requests(emulator)
    assert 'includeConsumptionInfo=true' in listing['query'] and 'includeStorageInfo=true' in listing['query']


def test_drift_is_a_warning_per_environment_naming_the_fields(emulator):
    api_create(emulator, 'warned', quotas={'hostUnits': {'maxLimit': 5}}, tags=['a'])
    api_create(emulator, 'same')
    declared = [{'name': 'warned', 'tags': ['b'], 'quotas': {'host_units': {'max_limit': 9}}}, {'name': 'same'}]
    run = run_role(emulator, declared, stdout_callback='default')
    assert run.rc == 0, run.stdout
    text = ' '.join((run.stdout + run.stderr).split())
    assert ('environment warned differs from its declaration and was left as it is (environments_update_existing is '
            'false): quotas.host_units.max_limit, tags; set environments_update_existing: true') in text, text[-3000:]
    assert 'environment same differs' not in text
    applied = run_role(emulator, declared, environments_update_existing=True, stdout_callback='default')
    assert applied.rc == 0 and 'differs from its declaration' not in applied.stdout + applied.stderr


def test_diff_shows_the_drift(emulator):
    api_create(emulator, 'shown', quotas={'hostUnits': {'maxLimit': 5}}, tags=['a'])
    emulator.clear_requests()
    declared = [{'name': 'shown', 'tags': ['b'], 'quotas': {'host_units': {'max_limit': 9}}}]
    run = run_role(emulator, declared, diff=True, stdout_callback='default')
    assert run.rc == 0, run.stdout
    for line in ('--- shown (current; update_existing is false, nothing changed)', '+++ shown (as declared)',
                 '-quotas.host_units.max_limit: 5', '+quotas.host_units.max_limit: 9', '-tags: [\\"a\\"]',
                 '+tags: [\\"b\\"]'):
        assert line in run.stdout, (line, run.stdout[-3000:])
    assert len(api_requests(emulator)) == 1


# (quotas: lots and trial: maybe are refused by the role's argument spec, naming the option, as before.)
@pytest.mark.parametrize('item, message', [
    ({'quotas': {'host_units': 5}}, 'environments_list[0] (bad): quotas.host_units must be a dict of max_limit, got int 5'),
    ({'storage': {'transaction_storage': {'max_limit': 2 ** 64}}},
     'environments_list[0] (bad): storage.transaction_storage.max_limit must be at most 9223372036854775807'),
])
def test_bad_items_fail_naming_the_item_and_option_before_any_request(emulator, item, message):
    emulator.clear_requests()
    run = run_role(emulator, [dict(item, name='bad')])
    assert run.rc != 0
    assert message in run.stdout, run.stdout[-3000:]
    assert 'Traceback' not in run.stdout and api_requests(emulator) == []
