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
The LIMITS table (_environment_rules, with the input validation; re-exported here) drives the
mapping, the argument spec, validation and the diff, so a quota or storage field is described
exactly once. No client and no request here.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.case import snake_to_camel
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_rules import (  # noqa: F401  pylint: disable=unused-import
    ENVIRONMENT_ID_PATTERN, LIMITS, MAX_LIMIT, NAME_MAX_LENGTH, SECTIONS, TAG_MAX_LENGTH, UNLIMITED, Limit,
    environment_id_errors, kind_of, normalize_limit, retention_order_errors, section_argument_spec, section_limits,
    section_shape_errors, tag_errors, validate_options, given_limits,
)


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
        for option, field, dummy, value in given_limits(section, params.get(section)):
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
