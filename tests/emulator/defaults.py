"""Realistic new and seeded environments: cluster default limits, usage figures, ids and dates."""

import random
import uuid

from .dates import format_date

from .models import QUOTA_LIMITS, QUOTA_USAGE, STORAGE_BYTES, STORAGE_DAYS, STORAGE_WITH_REDUCTION

DAY_MS = 86_400_000

# Cluster defaults a new environment gets for its storage limits (bytes limits unlimited).
DEFAULT_RETENTION_DAYS = {
    'serviceRequestLevelRetention': 10,
    'serviceCodeLevelRetention': 10,
    'realUserMonitoringRetention': 35,
    'syntheticMonitoringRetention': 35,
    'sessionReplayRetention': 35,
    'rumNonAggregatedDataRetention': 35,
    'logMonitoringRetention': 35,
}
DEFAULT_RATES = {'userActionsPerMinute': 3500, 'transactionTrafficQuota': 1000}


def new_id():
    """Environment ids look like the real ones: UUIDs."""
    return str(uuid.uuid4())


def quota_defaults(name, rng=None):
    """A quota sub-object: unlimited, with plausible usage (`rng`) or none (a new environment)."""
    quota = {limit: None for limit in QUOTA_LIMITS.get(name, ())}
    for usage in QUOTA_USAGE[name]:
        if rng is None:
            quota[usage] = 0
        elif usage == 'currentUsage':
            quota[usage] = rng.randint(0, 50)
        elif usage.endswith('ThisYear'):  # a year holds at least this month
            quota[usage] = quota[usage[:-len('ThisYear')] + 'ThisMonth'] + rng.randint(0, 50000)
        else:
            quota[usage] = rng.randint(0, 5000)
    return quota


def storage_defaults(name, rng=None):
    """A storage sub-object with the cluster default limit and plausible usage (`rng`) or none."""
    if name in STORAGE_BYTES:
        item = {'maxLimit': None, 'currentlyUsed': rng.randint(10**6, 10**10) if rng else 0}
        if name in STORAGE_WITH_REDUCTION:
            item.update(retentionReductionPercentage='0', retentionReductionReason=None)
        return item
    if name in STORAGE_DAYS:
        days = DEFAULT_RETENTION_DAYS[name]
        used_ms = rng.randint(0, days * DAY_MS) if rng else 0
        return {'maxLimitInDays': days, 'currentlyUsedInMillis': used_ms, 'currentlyUsedInDays': used_ms // DAY_MS}
    return {'maxLimit': DEFAULT_RATES[name]}


def new_environment(name, env_id, now_ms, rng=None):
    """A complete stored environment with defaults: every field, whatever the license or version shows.

    Without `rng` its usage is zero, as for an environment just created; seeded ones get plausible usage.
    """
    quotas = {key: quota_defaults(key, rng) for key in QUOTA_USAGE}
    storage = {key: storage_defaults(key, rng)
               for key in list(STORAGE_BYTES) + list(DEFAULT_RETENTION_DAYS) + list(DEFAULT_RATES)}
    return {
        'name': name, 'id': env_id, 'trial': False, 'state': 'ENABLED', 'tags': [],
        'creationDate': format_date(now_ms), 'quotas': quotas, 'storage': storage,
    }


TEAMS = ('payments', 'checkout', 'search', 'identity', 'mobile', 'platform', 'data', 'billing', 'logistics', 'support')
STAGES = ('prod', 'preprod', 'staging', 'dev', 'qa')


def seeded_environments(count, now_ms, name_prefix=None, seed=20240101):
    """`count` varied, realistic environments (names, tags, some limits, some trial or disabled).

    Deterministic for a given seed, so a restart or a reset gives the same data.
    """
    rng = random.Random(seed)
    envs = []
    start_ms = now_ms - count * 60_000
    for index in range(count):
        team, stage = TEAMS[index % len(TEAMS)], STAGES[(index // len(TEAMS)) % len(STAGES)]
        name = f'{name_prefix or team}-{stage}-{index:05d}'
        env = new_environment(name, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                              start_ms + index * 60_000 + rng.randint(0, 999), rng)
        env['tags'] = [f'team:{team}', f'stage:{stage}'] + (['pci'] if index % 7 == 0 else [])
        env['trial'] = index % 11 == 0
        env['state'] = 'DISABLED' if index % 13 == 0 else 'ENABLED'
        env['quotas']['hostUnits']['maxLimit'] = rng.choice([None, 10, 50, 100])
        envs.append(env)
    return envs
