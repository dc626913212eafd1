# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A cluster's 400 "Constraints violated" on an environment, in the words of the options: the pure model.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The cluster names the API field (`storage.logMonitoringRetention`, `quotas.customMetrics`); the user wrote an
option (`storage.log_monitoring_retention`). The license and the cluster version decide which fields exist, and
a cluster says so in its own words ("Unrecognized field, not marked as ignorable."). Here each violation becomes
the option path and what to do about it. No client and no request.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.case import camel_to_snake
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import LIMITS

# Top-level API fields whose option has another name.
FIELD_OPTIONS = {'state': 'enabled'}
# Cluster API 1.326 removed these storage fields; newer clusters have rumNonAggregatedDataRetention instead.
REMOVED_IN_1_326 = ('logMonitoringRetention', 'logMonitoringStorage')
ADDED_IN_NEWER = ('rumNonAggregatedDataRetention',)
UNKNOWN_FIELD = 'unrecognized field'


def option_path(api_path):
    """The option path of an API violation path: quotas.customMetrics.maxLimit -> quotas.custom_metrics.max_limit.

    A path of no known field is returned as it is.
    """
    parts = str(api_path).split('.')
    if parts[0] in ('quotas', 'storage') and len(parts) >= 2:
        names = dict((limit.api_name, limit.option) for limit in LIMITS if limit.section == parts[0])
        if parts[1] in names:
            return '.'.join([parts[0], names[parts[1]]] + [camel_to_snake(part) for part in parts[2:]])
        return api_path
    head = parts[0].split('[')[0]
    if head in FIELD_OPTIONS:
        return FIELD_OPTIONS[head] + str(api_path)[len(head):]
    return api_path


def _field(api_path):
    parts = str(api_path).split('.')
    return parts[1] if len(parts) >= 2 else None


def needs_cluster_version(violations):
    """Whether explaining `violations` names the cluster version (a storage field the version lacks)."""
    return any(str(path).startswith('storage.') and UNKNOWN_FIELD in message.lower() for path, message in violations)


def short_version(version):
    """major.minor of a cluster version (1.330.18.20251103-101516 -> 1.330), or the text as it is."""
    parts = str(version).split('.')
    return '.'.join(parts[:2]) if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() else str(version)


def explain(api_path, message, cluster_version=None):
    """One violation as '<option>: <what it means and what to do>'."""
    option = option_path(api_path)
    cluster = 'this cluster (%s)' % short_version(cluster_version) if cluster_version else 'this cluster'
    lowered = message.lower()
    field = _field(api_path)
    if str(api_path).startswith('storage.') and UNKNOWN_FIELD in lowered:
        if field in REMOVED_IN_1_326:
            reason = '%s no longer has Log Monitoring storage settings (Cluster API 1.326 removed them)' % cluster
        elif field in ADDED_IN_NEWER:
            reason = '%s does not have this setting yet (newer clusters do)' % cluster
        else:
            reason = '%s does not know this setting' % cluster
        return '%s: %s; remove %s from the task' % (option, reason, option)
    if 'not allowed for this license' in lowered or 'dynatrace platform subscription' in lowered:
        return "%s: the cluster's license does not allow it; remove %s from the task (%s)" % (option, option, message)
    if 'not configured for this cluster' in lowered:
        return '%s: %s does not have this feature; remove %s from the task (%s)' % (option, cluster, option, message)
    return '%s: %s' % (option, message)


def explain_violations(violations, cluster_version=None):
    """The message of a refused create or update: every violation named by its option."""
    return 'the cluster refused the environment: %s' % '; '.join(
        explain(path, message, cluster_version) for path, message in violations)
