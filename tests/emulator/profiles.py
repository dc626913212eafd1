"""What a cluster's license, version and the unknown readings change in the environment API.

- License `ddu` (Davis data units): `customMetrics` and `logMonitoring` quotas are null and cannot be
  set; `classic`: both editable, no `davisDataUnits`; `dps`: no environment quotas at all.
- Cluster version: from 1.326 on the storage schema has no `logMonitoringRetention` and
  `logMonitoringStorage`; before 1.326 it has no `rumNonAggregatedDataRetention`. A body that sends a
  field the schema lacks (even as null) is a 400 naming it.
- Unknown reading `unlimited_storage`: an unlimited storage byte limit reads back as null or as 0
  (with `zero`, a sent 0 also means unlimited).
- Denied features (`--deny-feature`): their quotas and storage show as null and are refused.

Stored environments always hold every field; this module decides what the API shows and accepts.
"""

import copy

from .errors import violation
from .models import QUOTA_LIMITS, STORAGE_BYTES

LICENSES = ('ddu', 'classic', 'dps')
FEATURES = ('dem', 'synthetic', 'log_monitoring')
NEW_SCHEMA_MINOR = 326  # Cluster API 1.326 removed the Log Monitoring storage fields
UNKNOWN_FIELD = 'Unrecognized field, not marked as ignorable.'

LICENSE_QUOTAS = {
    'ddu': {
        'customMetrics': 'Cannot set Custom metrics quota as Custom metrics are not allowed for this license.',
        'logMonitoring': 'Cannot set Log Monitoring quota as Log Monitoring is not allowed for this license.',
    },
    'classic': {
        'davisDataUnits': 'Cannot set Davis data units quota as Davis data units are not allowed for this license.',
    },
    'dps': {},
}
DPS_QUOTA_MESSAGE = 'Cannot set {name} quota as quotas are not available with Dynatrace Platform Subscription (DPS) licensing.'

# The real messages of a cluster whose license or configuration lacks a feature.
FEATURE_FIELDS = {
    'dem': [('quotas', 'demUnits', 'Cannot set DEM units quota as DEM units are not allowed for this license.')],
    'synthetic': [('quotas', 'syntheticMonitors',
                   'Cannot set Synthetic monitors quota as Synthetic monitors are not allowed for this license.')],
    'log_monitoring': [
        ('quotas', 'logMonitoring', 'Cannot set Log Monitoring quota as Log Monitoring is not allowed for this license.'),
        ('storage', 'logMonitoringRetention',
         'Cannot set Log Monitoring retention as Log Monitoring is not configured for this cluster.'),
        ('storage', 'logMonitoringStorage',
         'Cannot set Log Monitoring storage as Log Monitoring is not configured for this cluster.'),
    ],
}
OLD_ONLY_STORAGE = ('logMonitoringRetention', 'logMonitoringStorage')
NEW_ONLY_STORAGE = ('rumNonAggregatedDataRetention',)


def minor_version(version):
    return int(version.split('.')[1])


def missing_storage(settings):
    """Storage fields the cluster version's schema does not have."""
    return NEW_ONLY_STORAGE if minor_version(settings.cluster_version) < NEW_SCHEMA_MINOR else OLD_ONLY_STORAGE


def refused(settings):
    """{(section, field): message} for quotas and storage the license or features do not allow."""
    found = {('quotas', name): message for name, message in LICENSE_QUOTAS[settings.license].items()}
    if settings.license == 'dps':
        found.update({('quotas', name): DPS_QUOTA_MESSAGE.format(name=name) for name in QUOTA_LIMITS})
    for feature in sorted(settings.deny_features):
        for section, name, message in FEATURE_FIELDS[feature]:
            found.setdefault((section, name), message)
    return found


def sent_parts(body, section):
    """The sub-objects of `quotas` or `storage` that the body sets (a null sub-object counts as omitted)."""
    part = body.get(section)
    if not isinstance(part, dict):
        return {}
    return {key: value for key, value in part.items() if value is not None}


def profile_violations(body, settings):
    """Violations for fields the cluster version lacks, and for quotas or storage the license refuses."""
    sent_storage = set(body['storage']) if isinstance(body.get('storage'), dict) else set()
    found = [violation(f'storage.{name}', UNKNOWN_FIELD) for name in missing_storage(settings) if name in sent_storage]
    for (section, name), message in sorted(refused(settings).items()):
        if name in sent_parts(body, section) and not (section == 'storage' and name in missing_storage(settings)):
            found.append(violation(f'{section}.{name}', message))
    return found


def incoming(body, settings):
    """The body as the store takes it: with the zero reading, a sent byte limit of 0 means unlimited."""
    if settings.unlimited_storage != 'zero' or not isinstance(body.get('storage'), dict):
        return body
    body = copy.deepcopy(body)
    for name in STORAGE_BYTES:
        item = body['storage'].get(name)
        if isinstance(item, dict) and item.get('maxLimit') == 0:
            item['maxLimit'] = None
    return body


def shown_quotas(quotas, settings):
    hidden = {name for section, name in refused(settings) if section == 'quotas'}
    return {name: None if name in hidden else copy.deepcopy(value) for name, value in quotas.items()}


def shown_storage(storage, settings, api_reading=True):
    """Storage in the version's schema; `api_reading` applies the unlimited reading (the control API shows null)."""
    hidden = {name for section, name in refused(settings) if section == 'storage'}
    shown = {}
    for name, value in storage.items():
        if name in missing_storage(settings):
            continue
        shown[name] = None if name in hidden or value is None else copy.deepcopy(value)
        if api_reading and shown[name] and name in STORAGE_BYTES and settings.unlimited_storage == 'zero':
            shown[name]['maxLimit'] = shown[name]['maxLimit'] if shown[name]['maxLimit'] is not None else 0
    return shown
