# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Dynatrace Environment object as the collection's modules see it: the pure model.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Two shapes of one environment meet here:
- the API shape: camelCase, `state` ENABLED/DISABLED, null for an unlimited limit;
- the options shape: snake_case, `enabled` true/false, the string `unlimited`, and only the
  fields a user can set (the keys `dynatrace_environment` accepts).
The LIMITS table drives the mapping, the argument spec, validation and the diff, so a quota or
storage field is described exactly once. No client and no request here.
"""

import re

from ansible_collections.clusterops.dynatrace.plugins.module_utils._case import snake_to_camel

UNLIMITED = 'unlimited'
ENVIRONMENT_ID_PATTERN = re.compile(r'^[a-zA-Z0-9_-]{1,70}$')
NAME_MAX_LENGTH = 100
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

def limits_argument_spec(section):
    return dict(type='dict', options=dict(
        (option, dict(type='dict', options=dict((field, dict(type='raw')) for field in limit.fields)))
        for option, limit in section_limits(section).items()))


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


def environment_id_errors(environment_id, option='environment_id'):
    """The one rule of an environment id: [a-zA-Z0-9_-]{1,70}."""
    if environment_id is not None and not ENVIRONMENT_ID_PATTERN.match(environment_id):
        return ['%s must match [a-zA-Z0-9_-]{1,70}, got %r' % (option, environment_id)]
    return []


def _given_limits(section, values):
    """(option, field, Limit, value) of every limit the user gave in one section."""
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
        for option, field, limit, value in _given_limits(section, params.get(section)):
            path = '%s.%s.%s' % (section, option, field)
            errors.append(_limit_error(path, value, limit.minimum, limit.maximum, limit.unlimited))
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


# ------------------------------------------------------------------------------------------------
# Options shape <-> API shape

def _api_limit(value):
    value = normalize_limit(value)
    return None if value == UNLIMITED else value


# The byte limits whose unlimited reads back as null on some clusters and as 0 on others (not published;
# Dynatrace's Terraform provider treats 0 as unlimited): both read as unlimited, and 0 is refused as input.
ZERO_IS_UNLIMITED = ('transactionStorage', 'sessionReplayStorage', 'symbolFilesFromMobileApps', 'logMonitoringStorage')


def _option_limit(value, zero_is_unlimited=False):
    return UNLIMITED if value is None or (zero_is_unlimited and value == 0) else value


def limits_to_api(section, values):
    """The API object of one section holding only the limits the user manages (omitted limits are left out)."""
    body = {}
    for option, settings in (values or {}).items():
        limit = section_limits(section)[option]
        managed = dict((snake_to_camel(field), _api_limit(settings[field]))
                       for field in limit.fields if (settings or {}).get(field) is not None)
        if managed:
            body[limit.api_name] = managed
    return body


def limits_to_options(section, api_values):
    """The options shape of one API section (every limit the answer carries; null is unlimited, and so is a byte
    storage limit of 0)."""
    options = {}
    for option, limit in section_limits(section).items():
        settings = api_values.get(limit.api_name)
        if isinstance(settings, dict):
            zero_is_unlimited = limit.api_name in ZERO_IS_UNLIMITED
            options[option] = dict((field, _option_limit(settings.get(snake_to_camel(field)), zero_is_unlimited))
                                   for field in limit.fields)
    return options


def options_to_create_body(params):
    """The POST/PUT body that creates an environment from the user's options."""
    body = {
        'name': params['name'],
        'state': 'DISABLED' if params.get('enabled') is False else 'ENABLED',
        'trial': bool(params.get('trial')),
        'tags': list(params.get('tags') or []),
    }
    for section in SECTIONS:
        sent = limits_to_api(section, params.get(section))
        if sent:
            body[section] = sent
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
    for section, included in (('quotas', include_quotas), ('storage', include_storage)):
        if included and environment.get(section) is not None:
            options[section] = limits_to_options(section, environment[section])
    return options


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
    for section in SECTIONS:
        given = {}
        for option, field, dummy, value in _given_limits(section, params.get(section)):
            given.setdefault(option, {})[field] = normalize_limit(value)
        if given:
            view[section] = given
    return view


def current_view(options, desired):
    """The current values of exactly the fields in `desired` (from an options-shaped environment)."""
    view = {}
    for key, value in desired.items():
        if key in SECTIONS:
            # A quota the answer leaves out is unlimited; a storage setting it leaves out is unknown.
            absent = UNLIMITED if key == 'quotas' else None
            section = options.get(key) or {}
            view[key] = dict((group, dict((field, (section.get(group) or {}).get(field, absent)) for field in fields))
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
    for section in SECTIONS:
        if section in desired:
            merged = dict((group, dict(fields)) for group, fields in (result.get(section) or {}).items())
            for group, fields in desired[section].items():
                merged.setdefault(group, {}).update(fields)
            result[section] = merged
    return result


def update_body(environment, params, changes):
    """The PUT body that brings `environment` (API shape, freshly read) to the user's options.

    Name, state, trial and tags are always sent (PUT replaces the object). Of quotas and storage
    only the sub-objects that change are sent, each with every limit, taken from the fresh read
    where the user did not give one, because the API sets an omitted limit inside a sent
    sub-object to unlimited.
    """
    target = apply_desired(api_to_options(environment), params)
    body = {
        'name': target['name'],
        'state': 'ENABLED' if target['enabled'] else 'DISABLED',
        'trial': target['trial'],
        'tags': target['tags'],
    }
    changed_groups = set(tuple(path.split('.')[:2]) for path in changes if path.count('.') == 2)
    for section in SECTIONS:
        sent = {}
        for option, limit in section_limits(section).items():
            if (section, option) in changed_groups:
                limits = target[section][option]
                sent[limit.api_name] = dict((snake_to_camel(field), _api_limit(limits.get(field, UNLIMITED)))
                                            for field in limit.fields)
        if sent:
            body[section] = sent
    return body
