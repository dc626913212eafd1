"""The modules under both readings of what the public record leaves open, and on the strict license and version.

- An unlimited storage limit may read back as null or as 0 (Dynatrace's Terraform provider treats 0 as unlimited).
- The environments cursor (nextPageKey) may or may not carry includeConsumptionInfo/includeStorageInfo; the flags
  cannot be sent again next to it.
- A DDU license refuses customMetrics and logMonitoring quotas; a 1.326+ cluster has no Log Monitoring storage.
- Other Dynatrace filters read ~ as an escape character: a name lookup keeps it out of the server filter.

The modules must be correct under every reading; a field refused by the license or the version fails naming the option.
"""

from urllib.parse import unquote

import pytest

from tests.emulator.pytest_plugin import READINGS
from tests.integration.runner import run_module


@pytest.mark.parametrize('name', sorted(READINGS))
def test_unlimited_storage_is_idempotent_under_both_readings(emulator, name):
    emulator.configure(**READINGS[name])
    args = dict(name='unlimited-storage', update_existing=True,
                storage={'transaction_storage': {'max_limit': 'unlimited'}, 'session_replay_storage': {'max_limit': 2048}})
    status, result = run_module('dynatrace_environment', emulator, **args)
    assert status == 'changed', result
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, **args)
    assert status == 'ok' and result['changed'] is False, result
    assert [entry['method'] for entry in emulator.requests()] == ['GET']


@pytest.mark.parametrize('name', sorted(READINGS))
def test_quotas_and_storage_on_every_page_under_both_readings(emulator, name):
    emulator.configure(**READINGS[name])
    ids = [emulator.create_environment(f'paged-{index}', quotas={'hostUnits': {'maxLimit': index + 1}}) for index in range(3)]
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment_info', emulator, include_consumption=True, include_storage=True,
                                page_size=1, sort='name')
    assert status == 'ok', result
    assert all('quotas' in env and env.get('storage') for env in result['environments']), result['environments']
    assert [env['quotas']['host_units']['max_limit'] for env in result['environments']] == [1, 2, 3]
    # A cursor that drops the include flags costs one read of each environment of the later pages, and only then.
    reads = [entry['path'].rsplit('/', 1)[-1] for entry in emulator.requests()]
    expected = ['environments'] * 3 + ([] if READINGS[name]['cursor_keeps_includes'] else ids[1:])
    assert sorted(reads) == sorted(expected), reads


def test_custom_metrics_under_ddu_fails_naming_the_option(emulator):
    status, result = run_module('dynatrace_environment', emulator, name='ddu', quotas={'custom_metrics': {'max_limit': 5}})
    assert status == 'failed', result
    assert ("quotas.custom_metrics: the cluster's license does not allow it; remove quotas.custom_metrics from the task"
            in result['msg']), result['msg']
    assert [entry['name'] for entry in emulator.environments()] == []


def test_custom_metrics_with_a_classic_license(emulator):
    emulator.configure(license='classic')
    status, result = run_module('dynatrace_environment', emulator, name='classic', quotas={'custom_metrics': {'max_limit': 5}})
    assert status == 'changed', result
    (stored,) = emulator.environments()
    assert stored['quotas']['customMetrics']['maxLimit'] == 5


def test_log_monitoring_storage_on_a_current_cluster_fails_naming_the_option(emulator):
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name='new-cluster',
                                storage={'log_monitoring_retention': {'max_limit_in_days': 30}})
    assert status == 'failed', result
    assert ('storage.log_monitoring_retention: this cluster (1.330) no longer has Log Monitoring storage settings'
            in result['msg']), result['msg']
    assert emulator.environments() == []
    # The version for the message is read only after the refusal.
    assert [(entry['method'], entry['status']) for entry in emulator.requests()][-2:] == [('PUT', 400), ('GET', 200)]
    assert emulator.requests()[-1]['path'] == '/api/v1.0/onpremise/nodeManagement/productVersion'


def test_a_setting_an_older_cluster_lacks_fails_naming_the_option_on_update(emulator):
    emulator.configure(cluster_version='1.320.5.20250601-101010')
    emulator.create_environment('old-cluster')
    status, result = run_module('dynatrace_environment', emulator, name='old-cluster', update_existing=True,
                                storage={'rum_non_aggregated_data_retention': {'max_limit_in_days': 30}})
    assert status == 'failed', result
    assert ('storage.rum_non_aggregated_data_retention: this cluster (1.320) does not have this setting yet'
            in result['msg']), result['msg']
    assert [entry['method'] for entry in emulator.requests() if entry['method'] != 'GET'] == ['POST', 'PUT']


@pytest.mark.parametrize('name', ['team~blue', 'ops (eu), "blue"~1'])
def test_a_name_with_a_tilde_is_found_and_never_created_twice(emulator, name):
    # Other Dynatrace filters read ~ as an escape character: the lookup keeps it out of the server filter.
    emulator.create_environment(name.replace('~', ''))
    status, result = run_module('dynatrace_environment', emulator, name=name)
    assert status == 'changed', result
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, name=name)
    assert status == 'ok' and result['changed'] is False, result
    log = emulator.requests()
    assert [entry['method'] for entry in log] == ['GET'] and '~' not in unquote(log[0]['query']), log
    assert sorted(entry['name'] for entry in emulator.environments()) == sorted([name, name.replace('~', '')])
