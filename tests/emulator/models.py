"""Pydantic models of the Environment object as clients send it, and the field tables behind them.

The tables are the single description of quotas and storage: the models, the defaults of a new
environment and the PUT merge rules are all derived from them.
"""

from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .errors import violation

# Quota sub-objects: the limits a client may set (null means unlimited) and the read-only usage fields.
QUOTA_LIMITS = {
    'hostUnits': ('maxLimit',),
    'demUnits': ('monthlyLimit', 'annualLimit'),
    'userSessions': ('totalMonthlyLimit', 'totalAnnualLimit'),
    'syntheticMonitors': ('monthlyLimit', 'annualLimit'),
    'customMetrics': ('maxLimit',),
    'davisDataUnits': ('monthlyLimit', 'annualLimit'),
    'logMonitoring': ('monthlyLimit', 'annualLimit'),
}
_MONTH_YEAR = ('consumedThisMonth', 'consumedThisYear')
QUOTA_USAGE = {
    'hostUnits': ('currentUsage',),
    'demUnits': _MONTH_YEAR,
    'userSessions': (
        'totalConsumedThisMonth', 'totalConsumedThisYear',
        'consumedMobileSessionsThisMonth', 'consumedMobileSessionsThisYear',
        'consumedUserSessionsWithWebSessionReplayThisMonth', 'consumedUserSessionsWithWebSessionReplayThisYear',
        'consumedUserSessionsWithMobileSessionReplayThisMonth', 'consumedUserSessionsWithMobileSessionReplayThisYear',
    ),
    'sessionProperties': _MONTH_YEAR,
    'syntheticMonitors': _MONTH_YEAR,
    'customMetrics': ('currentUsage',),
    'davisDataUnits': _MONTH_YEAR,
    'logMonitoring': _MONTH_YEAR,
}

# Storage sub-objects. Byte limits may be null (unlimited); so may userActionsPerMinute.
STORAGE_BYTES = ('transactionStorage', 'sessionReplayStorage', 'symbolFilesFromMobileApps', 'logMonitoringStorage')
STORAGE_WITH_REDUCTION = ('transactionStorage', 'sessionReplayStorage')
STORAGE_DAYS = {
    'serviceRequestLevelRetention': (1, 365),
    'serviceCodeLevelRetention': (1, 365),
    'realUserMonitoringRetention': (1, 35),
    'syntheticMonitoringRetention': (1, 35),
    'sessionReplayRetention': (1, 35),
    'rumNonAggregatedDataRetention': (1, 365),
    'logMonitoringRetention': (5, 90),
}
STORAGE_RATES = {
    'userActionsPerMinute': (1, 2147483646, True),
    'transactionTrafficQuota': (100, 100000, False),
}
STORAGE_LIMIT_FIELD = dict(
    [(name, 'maxLimit') for name in STORAGE_BYTES]
    + [(name, 'maxLimitInDays') for name in STORAGE_DAYS]
    + [(name, 'maxLimit') for name in STORAGE_RATES]
)

ID_PATTERN = r'^[a-zA-Z0-9_-]{1,70}$'

Usage = Optional[float]
Text = Optional[str]


class ApiModel(BaseModel):
    """Strict like the real (Java) server: no type coercion, unknown fields are errors."""

    model_config = ConfigDict(extra='forbid', strict=True)


def _model(name, fields):
    return create_model(name, __base__=ApiModel, **fields)


def _quota_model(name):
    fields = {limit: (Optional[Annotated[int, Field(ge=0)]], None) for limit in QUOTA_LIMITS.get(name, ())}
    fields.update({usage: (Usage, None) for usage in QUOTA_USAGE[name]})
    return _model(name[0].upper() + name[1:] + 'Quota', fields)


def _bounded(low, high, nullable):
    # A non-nullable field still defaults to None when omitted (omitted keeps), but an explicit null fails.
    bounded = Annotated[int, Field(ge=low, le=high)]
    return (Optional[bounded] if nullable else bounded, None)


def _storage_model(name):
    if name in STORAGE_BYTES:
        fields = {'maxLimit': (Optional[Annotated[int, Field(ge=0)]], None), 'currentlyUsed': (Usage, None)}
        if name in STORAGE_WITH_REDUCTION:
            fields.update(retentionReductionPercentage=(Text, None), retentionReductionReason=(Text, None))
    elif name in STORAGE_DAYS:
        low, high = STORAGE_DAYS[name]
        fields = {'maxLimitInDays': _bounded(low, high, False),
                  'currentlyUsedInMillis': (Usage, None), 'currentlyUsedInDays': (Usage, None)}
    else:
        low, high, nullable = STORAGE_RATES[name]
        fields = {'maxLimit': _bounded(low, high, nullable)}
    return _model(name[0].upper() + name[1:], fields)


Quotas = _model('EnvironmentQuotas', {name: (Optional[_quota_model(name)], None) for name in QUOTA_USAGE})
Storage = _model('EnvironmentStorage', {name: (Optional[_storage_model(name)], None) for name in STORAGE_LIMIT_FIELD})


class Environment(ApiModel):
    """The Environment object a client sends on POST and PUT (read-only fields are accepted and ignored)."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    id: Optional[Annotated[str, Field(pattern=ID_PATTERN)]] = None
    trial: Optional[bool] = None
    state: Optional[Literal['ENABLED', 'DISABLED']] = None
    tags: Optional[list[Annotated[str, Field(max_length=100)]]] = None
    creation_date: Text = Field(None, alias='creationDate')
    quotas: Optional[Quotas] = None
    storage: Optional[Storage] = None


class TokenDuration(ApiModel):
    """How long a created token lives."""

    value: int
    unit: Optional[Literal['DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'MILLIS']] = None


class TokenRequest(ApiModel):
    """Body of POST /environments/{id}/tokenManagementToken."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    expires_in: Optional[TokenDuration] = Field(None, alias='expiresIn')


def _message(error):
    kind, ctx = error['type'], error.get('ctx', {})
    if kind == 'missing' or (error.get('input', '') is None and kind.endswith('_type')):
        return 'must not be null'
    messages = {
        'extra_forbidden': 'Unrecognized field, not marked as ignorable.',
        'greater_than_equal': f"must be greater than or equal to {ctx.get('ge')}",
        'less_than_equal': f"must be less than or equal to {ctx.get('le')}",
        'string_too_short': 'size must be between 1 and 100',
        'string_too_long': f"size must be between {0 if error['loc'][0] == 'tags' else 1} and {ctx.get('max_length')}",
        'string_pattern_mismatch': 'must match "[a-zA-Z0-9_-]{1,70}"',
        'int_type': 'must be an integer',
        'bool_type': 'must be a boolean',
        'string_type': 'must be a string',
        'list_type': 'must be an array',
        'model_type': 'must be an object',
        'model_attributes_type': 'must be an object',
        'literal_error': f"must be one of {ctx.get('expected', '')}".replace("'", ''),
    }
    return messages.get(kind, error['msg'])


def _path(loc):
    path = ''
    for part in loc:
        path += f'[{part}]' if isinstance(part, int) else ('.' if path else '') + str(part)
    return path


def violations_of(error: ValidationError):
    """One constraint violation per field (pydantic may report several errors for one field)."""
    found = {}
    for item in error.errors():
        found.setdefault(_path(item['loc']), _message(item))
    return [violation(path, message) for path, message in found.items()]


def validate(model, body):
    """Validate a parsed JSON body; returns the list of violations (empty when valid)."""
    if not isinstance(body, dict):
        return [violation('', 'must be a JSON object')]
    try:
        model.model_validate(body)
    except ValidationError as error:
        return violations_of(error)
    return []
