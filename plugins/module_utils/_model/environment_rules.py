# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of the Environment object's settable fields: the LIMITS table and input validation.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure model (no client, no request). The LIMITS table describes every quota and storage field
once; validation checks every rule the API enforces before the first request, with messages
that name the option path and the rule. _environment maps and compares on top of it.
"""

import re

UNLIMITED = 'unlimited'
ENVIRONMENT_ID_PATTERN = re.compile(r'^[a-zA-Z0-9_-]{1,70}$')
NAME_MAX_LENGTH = 100
# The API's limits are 64-bit integers: a larger number is refused here, before any request.
MAX_LIMIT = 2 ** 63 - 1
TAG_MAX_LENGTH = 100
SECTIONS = ('quotas', 'storage')


class Limit:
    """One quota or storage setting: its option and API names, its limit fields and their rule."""

    def __init__(self, section, option, api_name, fields, minimum=0, maximum=None, unlimited=True):
        self.section = section
        self.option = option
        self.api_name = api_name
        self.fields = fields
        self.minimum = minimum
        self.maximum = maximum
        self.unlimited = unlimited


# Every quota and storage field, once: section, option name, API name, limit fields, minimum, maximum, unlimited.
LIMITS = (
    Limit('quotas', 'host_units', 'hostUnits', ('max_limit',)),
    Limit('quotas', 'dem_units', 'demUnits', ('monthly_limit', 'annual_limit')),
    Limit('quotas', 'user_sessions', 'userSessions', ('total_monthly_limit', 'total_annual_limit')),
    Limit('quotas', 'synthetic_monitors', 'syntheticMonitors', ('monthly_limit', 'annual_limit')),
    Limit('quotas', 'custom_metrics', 'customMetrics', ('max_limit',)),
    Limit('quotas', 'davis_data_units', 'davisDataUnits', ('monthly_limit', 'annual_limit')),
    Limit('quotas', 'log_monitoring', 'logMonitoring', ('monthly_limit', 'annual_limit')),
    Limit('storage', 'transaction_storage', 'transactionStorage', ('max_limit',), 1),
    Limit('storage', 'session_replay_storage', 'sessionReplayStorage', ('max_limit',), 1),
    Limit('storage', 'symbol_files_from_mobile_apps', 'symbolFilesFromMobileApps', ('max_limit',), 1),
    Limit('storage', 'log_monitoring_storage', 'logMonitoringStorage', ('max_limit',), 1),
    Limit('storage', 'service_request_level_retention', 'serviceRequestLevelRetention', ('max_limit_in_days',), 1, 365, False),
    Limit('storage', 'service_code_level_retention', 'serviceCodeLevelRetention', ('max_limit_in_days',), 1, 365, False),
    Limit('storage', 'real_user_monitoring_retention', 'realUserMonitoringRetention', ('max_limit_in_days',), 1, 35, False),
    Limit('storage', 'synthetic_monitoring_retention', 'syntheticMonitoringRetention', ('max_limit_in_days',), 1, 35, False),
    Limit('storage', 'session_replay_retention', 'sessionReplayRetention', ('max_limit_in_days',), 1, 35, False),
    Limit('storage', 'rum_non_aggregated_data_retention', 'rumNonAggregatedDataRetention', ('max_limit_in_days',), 1, 365,
          False),
    Limit('storage', 'log_monitoring_retention', 'logMonitoringRetention', ('max_limit_in_days',), 5, 90, False),
    Limit('storage', 'user_actions_per_minute', 'userActionsPerMinute', ('max_limit',), 1, 2147483646),
    Limit('storage', 'transaction_traffic_quota', 'transactionTrafficQuota', ('max_limit',), 100, 100000, False),
)


def section_limits(section):
    """The Limit of every option of one section ('quotas' or 'storage'), by option name, in table order."""
    return dict((limit.option, limit) for limit in LIMITS if limit.section == section)


# ------------------------------------------------------------------------------------------------
# Argument spec of the settable fields (shared by dynatrace_environment and the role's argument specs)

def section_argument_spec():
    """A quotas or storage option as a module declares it: any dict, checked by validate_options.

    Not the nested spec: ansible-core answers a scalar where a nested dict belongs with a message that
    does not name the option (or a TypeError), before the module's own checks could run.
    """
    return dict(type='dict')


# ------------------------------------------------------------------------------------------------
# Validation: every rule the API enforces, checked before any request

def _limit_error(path, value, minimum=0, maximum=None, allow_unlimited=True):
    """Return an error message for one limit value, or None when it is valid."""
    if isinstance(value, str) and value.strip().lower() == UNLIMITED:
        return None if allow_unlimited else '%s cannot be unlimited, got %r' % (path, value)
    rule = 'an integer' + (" or 'unlimited'" if allow_unlimited else '')
    number = _as_integer(value)
    if number is None:
        return '%s must be %s, got %r' % (path, rule, value)
    if maximum is not None and not minimum <= number <= maximum:
        return '%s must be between %d and %d, got %d' % (path, minimum, maximum, number)
    if number < minimum:
        return '%s must be at least %d, got %d' % (path, minimum, number)
    if number > MAX_LIMIT:
        return '%s must be at most %d (the largest 64-bit integer), got %d' % (path, MAX_LIMIT, number)
    return None


def kind_of(value):
    """A plain type name for messages (templated values may be subclasses with internal names)."""
    for kind in (bool, int, float, str, dict, list, tuple):
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def section_shape_errors(section, values):
    """Errors of the shape of a quotas or storage option: a dict of known entries, each a dict of its fields."""
    if values is None:
        return []
    if not isinstance(values, dict):
        return ['%s must be a dict of %s entries, got %s %r' % (section, section, kind_of(values), values)]
    errors, limits = [], section_limits(section)
    for option, settings in values.items():
        path = '%s.%s' % (section, option)
        limit = limits.get(option)
        if limit is None:
            errors.append('%s is not a %s entry (known: %s)' % (path, section, ', '.join(sorted(limits))))
        elif settings is not None and not isinstance(settings, dict):
            errors.append('%s must be a dict of %s, got %s %r' % (path, ', '.join(limit.fields),
                                                                  kind_of(settings), settings))
        else:
            unknown = sorted(set(settings or {}) - set(limit.fields), key=str)
            if unknown:
                errors.append('%s accepts only %s, got %s'
                              % (path, ', '.join(limit.fields), ', '.join(str(key) for key in unknown)))
    return errors


def _as_integer(value):
    """An int from an int or a numeric string (templating yields strings); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.match(r'^\s*-?\d+\s*$', value):
        return int(value)
    return None


def normalize_limit(value):
    """The option value as the collection compares it: an int, 'unlimited', or None (not managed)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == UNLIMITED:
        return UNLIMITED
    return _as_integer(value)


def environment_id_errors(environment_id, option='environment_id'):
    """The one rule of an environment id: [a-zA-Z0-9_-]{1,70}."""
    if environment_id is not None and not ENVIRONMENT_ID_PATTERN.match(environment_id):
        return ['%s must match [a-zA-Z0-9_-]{1,70}, got %r' % (option, environment_id)]
    return []


def given_limits(section, values):
    """(option, field, Limit, value) of every limit the user gave in one section (of a valid shape)."""
    limits = section_limits(section)
    for option, settings in (values or {}).items():
        limit = limits[option]
        for field in limit.fields:
            value = (settings or {}).get(field)
            if value is not None:
                yield option, field, limit, value


def validate_options(params):
    """Return the list of input errors in the settable fields of `params` (options shape)."""
    errors = []
    name = params.get('name')
    if name is not None and not 1 <= len(name) <= NAME_MAX_LENGTH:
        errors.append('name must be 1 to %d characters long, got %d' % (NAME_MAX_LENGTH, len(name)))
    elif name is not None and not name.strip():
        errors.append('name must not be blank')
    errors.extend(environment_id_errors(params.get('environment_id')))
    errors.extend(tag_errors(params.get('tags')))
    for section in SECTIONS:
        shape_errors = section_shape_errors(section, params.get(section))
        if shape_errors:
            errors.extend(shape_errors)
            continue
        for option, field, limit, value in given_limits(section, params.get(section)):
            path = '%s.%s.%s' % (section, option, field)
            errors.append(_limit_error(path, value, limit.minimum, limit.maximum, limit.unlimited))
    if not section_shape_errors('storage', params.get('storage')):
        errors.extend(retention_order_errors(params.get('storage')))
    return [error for error in errors if error]


def tag_errors(tags, option='tags', unique=True):
    """Errors of a list of tags: each a non-empty string of at most 100 characters (and unique, for an environment)."""
    errors, seen = [], set()
    for index, tag in enumerate(tags or []):
        if not isinstance(tag, str) or not tag:
            errors.append('%s[%d] must be a non-empty string, got %r' % (option, index, tag))
        elif len(tag) > TAG_MAX_LENGTH:
            errors.append('%s[%d] must be at most %d characters long, got %d' % (option, index, TAG_MAX_LENGTH, len(tag)))
        elif unique and tag in seen:
            errors.append('%s must be unique, %r is given twice' % (option, tag))
        seen.add(tag)
    return errors


def retention_order_errors(storage):
    """Service code level retention may not exceed service request level retention."""
    request_days = normalize_limit(((storage or {}).get('service_request_level_retention') or {}).get('max_limit_in_days'))
    code_days = normalize_limit(((storage or {}).get('service_code_level_retention') or {}).get('max_limit_in_days'))
    if isinstance(request_days, int) and isinstance(code_days, int) and code_days > request_days:
        return ['storage.service_code_level_retention.max_limit_in_days must not exceed '
                'storage.service_request_level_retention.max_limit_in_days (%d), got %d' % (request_days, code_days)]
    return []
