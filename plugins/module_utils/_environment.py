# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Dynatrace Environment object as the collection's modules see it.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Two shapes of one environment meet here:
- the API shape: camelCase, `state` ENABLED/DISABLED, null for an unlimited limit;
- the options shape: snake_case, `enabled` true/false, the string `unlimited`, and only the
  fields a user can set (the keys `dynatrace_environment` accepts).
The tables below drive the mapping, the argument spec, validation and the diff, so a field is
described exactly once.
"""

import re

UNLIMITED = 'unlimited'
ENVIRONMENT_ID_PATTERN = re.compile(r'^[a-zA-Z0-9_-]{1,70}$')
NAME_MAX_LENGTH = 100
TAG_MAX_LENGTH = 100
# The filter grammar separates criteria with commas and wraps values in parentheses; quoting is
# undocumented, so a value must not contain these characters (quotes and backslash out of caution).
FILTER_UNSAFE_CHARACTERS = '(),"\'\\'

# quota option name: (API name, its limit fields)
QUOTAS = {
    'host_units': ('hostUnits', ('max_limit',)),
    'dem_units': ('demUnits', ('monthly_limit', 'annual_limit')),
    'user_sessions': ('userSessions', ('total_monthly_limit', 'total_annual_limit')),
    'synthetic_monitors': ('syntheticMonitors', ('monthly_limit', 'annual_limit')),
    'custom_metrics': ('customMetrics', ('max_limit',)),
    'davis_data_units': ('davisDataUnits', ('monthly_limit', 'annual_limit')),
    'log_monitoring': ('logMonitoring', ('monthly_limit', 'annual_limit')),
}


class StorageField:
    """One storage or retention setting: its limit field, bounds, unit, and whether it may be unlimited."""

    def __init__(self, api_name, limit_field, minimum, maximum=None, unit='bytes', unlimited=False, description=''):
        self.api_name = api_name
        self.limit_field = limit_field
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit
        self.unlimited = unlimited
        self.description = description


STORAGE = {
    'transaction_storage': StorageField('transactionStorage', 'max_limit', 0, unlimited=True, description='Transaction storage'),
    'session_replay_storage': StorageField('sessionReplayStorage', 'max_limit', 0, unlimited=True, description='Session replay storage'),
    'symbol_files_from_mobile_apps': StorageField('symbolFilesFromMobileApps', 'max_limit', 0, unlimited=True,
                                                  description='Symbol files from mobile apps storage'),
    'log_monitoring_storage': StorageField('logMonitoringStorage', 'max_limit', 0, unlimited=True, description='Log monitoring storage'),
    'service_request_level_retention': StorageField('serviceRequestLevelRetention', 'max_limit_in_days', 1, 365, 'days',
                                                    description='Service request level retention'),
    'service_code_level_retention': StorageField('serviceCodeLevelRetention', 'max_limit_in_days', 1, 365, 'days',
                                                 description='Service code level retention, at most the request level retention'),
    'real_user_monitoring_retention': StorageField('realUserMonitoringRetention', 'max_limit_in_days', 1, 35, 'days',
                                                   description='Real user monitoring retention'),
    'synthetic_monitoring_retention': StorageField('syntheticMonitoringRetention', 'max_limit_in_days', 1, 35, 'days',
                                                   description='Synthetic monitoring retention'),
    'session_replay_retention': StorageField('sessionReplayRetention', 'max_limit_in_days', 1, 35, 'days',
                                             description='Session replay retention'),
    'rum_non_aggregated_data_retention': StorageField('rumNonAggregatedDataRetention', 'max_limit_in_days', 1, 365, 'days',
                                                      description='Non-aggregated real user monitoring data retention (newer clusters)'),
    'log_monitoring_retention': StorageField('logMonitoringRetention', 'max_limit_in_days', 5, 90, 'days',
                                             description='Log monitoring retention (older clusters)'),
    'user_actions_per_minute': StorageField('userActionsPerMinute', 'max_limit', 1, 2147483646, 'per minute', unlimited=True,
                                            description='User actions generated per minute'),
    'transaction_traffic_quota': StorageField('transactionTrafficQuota', 'max_limit', 100, 100000, 'per process and minute',
                                              description='Newly monitored entry point PurePaths per process and minute'),
}


# ------------------------------------------------------------------------------------------------
# camelCase <-> snake_case

def camel_to_snake(name):
    return re.sub(r'(?<!^)([A-Z])', r'_\1', name).lower()


def snake_to_camel(name):
    head, *rest = name.split('_')
    return head + ''.join(part[:1].upper() + part[1:] for part in rest)


def keys_to_snake(value):
    """Convert every dict key of an API object to snake_case, recursively."""
    if isinstance(value, dict):
        return dict((camel_to_snake(key), keys_to_snake(item)) for key, item in value.items())
    if isinstance(value, list):
        return [keys_to_snake(item) for item in value]
    return value


def keys_to_camel(value):
    """Convert every dict key of a snake_case object to camelCase, recursively (inverse of keys_to_snake)."""
    if isinstance(value, dict):
        return dict((snake_to_camel(key), keys_to_camel(item)) for key, item in value.items())
    if isinstance(value, list):
        return [keys_to_camel(item) for item in value]
    return value


# ------------------------------------------------------------------------------------------------
# Argument spec of the settable fields (shared by dynatrace_environment and the role's argument specs)

def limit_spec():
    return dict(type='raw')


def quotas_argument_spec():
    return dict(type='dict', options=dict(
        (quota, dict(type='dict', options=dict((field, limit_spec()) for field in fields)))
        for quota, (dummy, fields) in QUOTAS.items()))


def storage_argument_spec():
    return dict(type='dict', options=dict(
        (option, dict(type='dict', options={field.limit_field: limit_spec()}))
        for option, field in STORAGE.items()))


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
    return None


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


def validate_options(params):
    """Return the list of input errors in the settable fields of `params` (options shape)."""
    errors = []
    name = params.get('name')
    if name is not None and not 1 <= len(name) <= NAME_MAX_LENGTH:
        errors.append('name must be 1 to %d characters long, got %d' % (NAME_MAX_LENGTH, len(name)))
    elif name is not None and not name.strip():
        errors.append('name must not be blank')
    environment_id = params.get('environment_id')
    if environment_id is not None and not ENVIRONMENT_ID_PATTERN.match(environment_id):
        errors.append('environment_id must match [a-zA-Z0-9_-]{1,70}, got %r' % environment_id)
    errors.extend(tag_errors(params.get('tags')))
    for quota, limits in (params.get('quotas') or {}).items():
        for field, value in (limits or {}).items():
            if value is not None:
                errors.append(_limit_error('quotas.%s.%s' % (quota, field), value))
    storage = params.get('storage') or {}
    for option, settings in storage.items():
        value = (settings or {}).get(STORAGE[option].limit_field)
        if value is not None:
            field = STORAGE[option]
            path = 'storage.%s.%s' % (option, field.limit_field)
            errors.append(_limit_error(path, value, field.minimum, field.maximum, field.unlimited))
    errors.extend(retention_order_errors(storage))
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


# ------------------------------------------------------------------------------------------------
# Options shape <-> API shape

def _api_limit(value):
    value = normalize_limit(value)
    return None if value == UNLIMITED else value


def _option_limit(value):
    return UNLIMITED if value is None else value


def quotas_to_api(quotas):
    """API `quotas` holding only the limits the user manages (omitted limits are left out)."""
    body = {}
    for quota, limits in (quotas or {}).items():
        api_name, fields = QUOTAS[quota]
        managed = dict((snake_to_camel(field), _api_limit(limits[field]))
                       for field in fields if (limits or {}).get(field) is not None)
        if managed:
            body[api_name] = managed
    return body


def storage_to_api(storage):
    body = {}
    for option, settings in (storage or {}).items():
        field = STORAGE[option]
        value = (settings or {}).get(field.limit_field)
        if value is not None:
            body[field.api_name] = {snake_to_camel(field.limit_field): _api_limit(value)}
    return body


def options_to_create_body(params):
    """The POST/PUT body that creates an environment from the user's options."""
    body = {
        'name': params['name'],
        'state': 'DISABLED' if params.get('enabled') is False else 'ENABLED',
        'trial': bool(params.get('trial')),
        'tags': list(params.get('tags') or []),
    }
    quotas, storage = quotas_to_api(params.get('quotas')), storage_to_api(params.get('storage'))
    if quotas:
        body['quotas'] = quotas
    if storage:
        body['storage'] = storage
    return body


def api_to_options(environment, include_quotas=True, include_storage=True):
    """The options shape of an API environment: the keys dynatrace_environment accepts."""
    options = {
        'environment_id': environment.get('id'),
        'name': environment.get('name'),
        'enabled': environment.get('state', 'ENABLED') != 'DISABLED',
        'trial': bool(environment.get('trial')),
        'tags': list(environment.get('tags') or []),
    }
    if include_quotas and environment.get('quotas') is not None:
        options['quotas'] = _quotas_to_options(environment['quotas'])
    if include_storage and environment.get('storage') is not None:
        options['storage'] = _storage_to_options(environment['storage'])
    return options


def _quotas_to_options(api_quotas):
    quotas = {}
    for quota, (api_name, fields) in QUOTAS.items():
        limits = api_quotas.get(api_name)
        if isinstance(limits, dict):
            quotas[quota] = dict((field, _option_limit(limits.get(snake_to_camel(field)))) for field in fields)
    return quotas


def _storage_to_options(api_storage):
    storage = {}
    for option, field in STORAGE.items():
        settings = api_storage.get(field.api_name)
        if isinstance(settings, dict):
            storage[option] = {field.limit_field: _option_limit(settings.get(snake_to_camel(field.limit_field)))}
    return storage


# ------------------------------------------------------------------------------------------------
# Diff on the fields the user manages

def desired_view(params):
    """The managed fields the user gave, normalised for comparison (None means 'not managed')."""
    view = {}
    for key in ('name', 'enabled', 'trial'):
        if params.get(key) is not None:
            view[key] = params[key]
    if params.get('tags') is not None:
        view['tags'] = sorted(params['tags'])
    quotas = {}
    for quota, limits in (params.get('quotas') or {}).items():
        given = dict((field, normalize_limit(value)) for field, value in (limits or {}).items() if value is not None)
        if given:
            quotas[quota] = given
    if quotas:
        view['quotas'] = quotas
    storage = {}
    for option, settings in (params.get('storage') or {}).items():
        value = (settings or {}).get(STORAGE[option].limit_field)
        if value is not None:
            storage[option] = {STORAGE[option].limit_field: normalize_limit(value)}
    if storage:
        view['storage'] = storage
    return view


def current_view(options, desired):
    """The current values of exactly the fields in `desired` (from an options-shaped environment)."""
    view = {}
    for key, value in desired.items():
        if key in ('quotas', 'storage'):
            section = options.get(key) or {}
            view[key] = dict((group, dict((field, (section.get(group) or {}).get(field, UNLIMITED if key == 'quotas' else None))
                                          for field in fields))
                             for group, fields in value.items())
        elif key == 'tags':
            view[key] = sorted(options.get('tags') or [])
        else:
            view[key] = options.get(key)
    return view


def differences(desired, current):
    """A flat mapping `path -> {current, desired}` of every managed field that differs."""
    changes = {}
    for key, value in desired.items():
        if isinstance(value, dict):
            for group, fields in value.items():
                for field, wanted in fields.items():
                    have = current.get(key, {}).get(group, {}).get(field)
                    if have != wanted:
                        changes['%s.%s.%s' % (key, group, field)] = {'current': have, 'desired': wanted}
        elif current.get(key) != value:
            changes[key] = {'current': current.get(key), 'desired': value}
    return changes


def environment_differences(params, environment_options):
    """Differences between the user's options and an existing environment (options shape).

    This is the one comparison used by the module and by the role's filter.
    """
    desired = desired_view(params)
    return differences(desired, current_view(environment_options, desired))


def apply_desired(environment_options, params):
    """The options shape of an environment after the user's managed fields are applied."""
    result = dict(environment_options)
    desired = desired_view(params)
    for key in ('name', 'enabled', 'trial', 'tags'):
        if key in desired:
            result[key] = desired[key] if key != 'tags' else list(params['tags'])
    for section in ('quotas', 'storage'):
        if section in desired:
            merged = dict((group, dict(fields)) for group, fields in (result.get(section) or {}).items())
            for group, fields in desired[section].items():
                merged.setdefault(group, {}).update(fields)
            result[section] = merged
    return result


def update_body(environment, params, changes):
    """The PUT body that brings `environment` (API shape, freshly read) to the user's options.

    Name, state, trial and tags are always sent (PUT replaces the object). Of quotas and storage
    only the sub-objects that change are sent; a quota sub-object is sent with every limit, taken
    from the fresh read where the user did not give one, because the API sets an omitted limit
    inside a sent sub-object to unlimited.
    """
    target = apply_desired(api_to_options(environment), params)
    body = {
        'name': target['name'],
        'state': 'ENABLED' if target['enabled'] else 'DISABLED',
        'trial': target['trial'],
        'tags': target['tags'],
    }
    changed_groups = set(tuple(path.split('.')[:2]) for path in changes if path.count('.') == 2)
    quotas = {}
    for quota, (api_name, fields) in QUOTAS.items():
        if ('quotas', quota) in changed_groups:
            limits = target['quotas'][quota]
            quotas[api_name] = dict((snake_to_camel(field), _api_limit(limits.get(field, UNLIMITED))) for field in fields)
    storage = {}
    for option, field in STORAGE.items():
        if ('storage', option) in changed_groups:
            storage[field.api_name] = {snake_to_camel(field.limit_field): _api_limit(target['storage'][option][field.limit_field])}
    if quotas:
        body['quotas'] = quotas
    if storage:
        body['storage'] = storage
    return body


# ------------------------------------------------------------------------------------------------
# Lookup by name

def safe_filter_value(name):
    """The longest part of `name` that the filter grammar can carry, or '' when there is none.

    The server matches name() as a case-insensitive substring, so any part of the name finds it;
    the exact, case-sensitive comparison happens client-side.
    """
    parts = re.split('[%s]' % re.escape(FILTER_UNSAFE_CHARACTERS), name)
    return max((part.strip() for part in parts), key=len, default='')


def name_filter(name):
    value = safe_filter_value(name)
    return 'name(%s)' % value if value else None


def find_by_name(client, name, include_consumption=False, include_storage=False):
    """Every environment whose name is exactly `name` (case-sensitive), over all pages."""
    environments, dummy = client.list_environments(filter_expression=name_filter(name),
                                                   include_consumption=include_consumption,
                                                   include_storage=include_storage)
    return [environment for environment in environments if environment.get('name') == name]
