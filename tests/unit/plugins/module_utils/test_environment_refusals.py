"""Unit tests of _environment_refusals: a cluster's violations named by their options, with what to do."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_refusals as refusals

UNKNOWN = 'Unrecognized field, not marked as ignorable.'


@pytest.mark.parametrize('api_path, option', [
    ('quotas.customMetrics', 'quotas.custom_metrics'),
    ('quotas.demUnits.monthlyLimit', 'quotas.dem_units.monthly_limit'),
    ('storage.logMonitoringRetention', 'storage.log_monitoring_retention'),
    ('storage.symbolFilesFromMobileApps.maxLimit', 'storage.symbol_files_from_mobile_apps.max_limit'),
    ('state', 'enabled'),
    ('tags[2]', 'tags[2]'),
    ('name', 'name'),
    ('storage.somethingNew', 'storage.somethingNew'),
    ('(request)', '(request)'),
])
def test_option_path(api_path, option):
    assert refusals.option_path(api_path) == option


@pytest.mark.parametrize('api_path, message, version, expected', [
    ('storage.logMonitoringRetention', UNKNOWN, '1.330.18.20251103-101516',
     'storage.log_monitoring_retention: this cluster (1.330) no longer has Log Monitoring storage settings (Cluster API '
     '1.326 removed them); remove storage.log_monitoring_retention from the task'),
    ('storage.logMonitoringStorage', UNKNOWN, None,
     'storage.log_monitoring_storage: this cluster no longer has Log Monitoring storage settings'),
    ('storage.rumNonAggregatedDataRetention', UNKNOWN, '1.320.5',
     'storage.rum_non_aggregated_data_retention: this cluster (1.320) does not have this setting yet (newer clusters do)'),
    ('storage.transactionStorage', UNKNOWN, 'odd', 'storage.transaction_storage: this cluster (odd) does not know this setting'),
    ('quotas.customMetrics', 'Cannot set Custom metrics quota as Custom metrics are not allowed for this license.', None,
     "quotas.custom_metrics: the cluster's license does not allow it; remove quotas.custom_metrics from the task (Cannot set"),
    ('quotas.hostUnits', 'Cannot set hostUnits quota as quotas are not available with Dynatrace Platform Subscription '
                         '(DPS) licensing.', None, "quotas.host_units: the cluster's license does not allow it"),
    ('storage.logMonitoringRetention', 'Cannot set Log Monitoring retention as Log Monitoring is not configured for this '
                                       'cluster.', '1.300.1', 'storage.log_monitoring_retention: this cluster (1.300) does '
                                                              'not have this feature; remove'),
    ('name', 'size must be between 1 and 100', None, 'name: size must be between 1 and 100'),
])
def test_explain(api_path, message, version, expected):
    assert refusals.explain(api_path, message, version).startswith(expected)


def test_the_version_is_needed_only_for_a_storage_field_the_cluster_does_not_know():
    assert refusals.needs_cluster_version([('quotas.customMetrics', 'not allowed for this license'),
                                           ('storage.logMonitoringStorage', UNKNOWN)])
    assert not refusals.needs_cluster_version([('quotas.customMetrics', 'not allowed for this license')])
    assert not refusals.needs_cluster_version([('name', UNKNOWN)])


def test_explain_violations_names_every_one():
    text = refusals.explain_violations([('quotas.logMonitoring', 'not allowed for this license'),
                                        ('storage.logMonitoringRetention', UNKNOWN)], '1.330.18')
    assert text.startswith('the cluster refused the environment: quotas.log_monitoring: ')
    assert '; storage.log_monitoring_retention: this cluster (1.330) no longer has' in text
