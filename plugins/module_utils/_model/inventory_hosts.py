# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Environments as inventory hosts: the pure model behind the clusterops.dynatrace.environments inventory.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Validates the `filters` option, turns API environments into (hostname, host variables, default
groups), and settles hostname collisions deterministically. No client, no request, no Ansible.
"""

import re

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    NAME_MAX_LENGTH, SECTIONS, limits_to_options, tag_errors,
)

HOSTNAME_SOURCES = ('name', 'id')
FILTER_KEYS = ('name', 'name_contains', 'tags', 'tags_any', 'state', 'trial')
STATES = ('enabled', 'disabled')
# Host variables carry the environment and never a credential: these are all of them.
HOST_VARIABLES = ('dynatrace_environment_id', 'dynatrace_environment_name', 'dynatrace_environment_url',
                  'dynatrace_cluster_url', 'dynatrace_tags', 'dynatrace_state', 'dynatrace_trial',
                  'dynatrace_creation_date', 'dynatrace_quotas', 'dynatrace_storage')

# Characters kept in a hostname made from an environment name; any run of others becomes one '_'.
_UNSAFE_HOST_CHARACTERS = re.compile(r'[^A-Za-z0-9_.-]+')
# Group names: letters, digits and '_' only (what Ansible accepts without a warning).
_UNSAFE_GROUP_CHARACTERS = re.compile(r'[^A-Za-z0-9_]')


# ------------------------------------------------------------------------------------------------
# The filters option

def _text_filter_errors(key, value):
    if value is None:
        return []
    if not isinstance(value, str) or not value:
        return ['filters.%s must be a non-empty string, got %r' % (key, value)]
    if len(value) > NAME_MAX_LENGTH:
        return ['filters.%s must be at most %d characters long, got %d' % (key, NAME_MAX_LENGTH, len(value))]
    return []


def _tags_filter_errors(key, value):
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        return ['filters.%s must be a list of tags, got %r' % (key, value)]
    if key == 'tags_any' and not value:
        return ['filters.tags_any must hold at least one tag (leave it out to not filter on tags)']
    return tag_errors(value, 'filters.' + key, unique=False)


def filter_errors(filters):
    """The input errors of the `filters` option, each naming the key and the rule."""
    if filters is None:
        return []
    if not isinstance(filters, dict):
        return ['filters must be a dictionary with the keys %s, got %r' % (', '.join(FILTER_KEYS), filters)]
    errors = []
    unknown = sorted(str(key) for key in filters if key not in FILTER_KEYS)
    if unknown:
        errors.append('filters has unknown key(s) %s; the keys are %s' % (', '.join(unknown), ', '.join(FILTER_KEYS)))
    for key in ('name', 'name_contains'):
        errors.extend(_text_filter_errors(key, filters.get(key)))
    for key in ('tags', 'tags_any'):
        errors.extend(_tags_filter_errors(key, filters.get(key)))
    state = filters.get('state')
    if state is not None and (not isinstance(state, str) or state.lower() not in STATES):
        errors.append('filters.state must be enabled or disabled, got %r' % (state,))
    trial = filters.get('trial')
    if trial is not None and not isinstance(trial, bool):
        errors.append('filters.trial must be true or false, got %r' % (trial,))
    return errors


def filter_params(filters):
    """The `filters` option (valid) as the parameters of _filters.build_query."""
    filters = filters or {}
    state = filters.get('state')
    return dict(name=filters.get('name'), name_contains=filters.get('name_contains'), tags=filters.get('tags'),
                tags_any=filters.get('tags_any'), enabled=None if state is None else state.lower() == 'enabled',
                trial=filters.get('trial'))


# ------------------------------------------------------------------------------------------------
# Hostnames

def safe_hostname(name):
    """The environment name made safe as an inventory hostname (and in --limit patterns), or '' if nothing is left.

    Letters, digits, '.', '_' and '-' are kept, case too (names are case-sensitive); every run of other
    characters becomes one '_'; leading and trailing '_', '.' and '-' are dropped.
    """
    return _UNSAFE_HOST_CHARACTERS.sub('_', name or '').strip('_.-')


# Names Ansible gives a meaning of its own: the implicit groups and the implicit localhost.
RESERVED_HOSTNAMES = ('all', 'ungrouped', 'localhost', '127.0.0.1', '::1')
# The prefixes of the default groups (state_enabled, tag_<tag>); group names hold only letters, digits and '_'.
GROUP_PREFIXES = ('state_', 'tag_')


def usable_hostname(hostname):
    """True when `hostname` can never be a group or an implicit host of this inventory.

    Not a reserved name, and not in the name space of the default groups: a name starting with state_ or tag_
    is usable only when it holds a character no group name has (a '-' or a '.').
    """
    if not hostname or hostname.lower() in RESERVED_HOSTNAMES:
        return False
    return not hostname.startswith(GROUP_PREFIXES) or bool(_UNSAFE_GROUP_CHARACTERS.search(hostname))


def _candidates(environment, source):
    """The hostnames an environment may get, in order of preference (before the usable and taken checks)."""
    environment_id = environment['id']
    if source == 'id':
        return [environment_id, 'env-%s' % environment_id]
    wanted = safe_hostname(environment.get('name'))
    if not wanted:
        return [environment_id, 'env-%s' % environment_id]
    if not usable_hostname(wanted):
        return [wanted, '%s-%s' % (wanted, environment_id), 'env-%s' % environment_id]
    return [wanted, '%s_%s' % (wanted, environment_id), '%s-%s' % (wanted, environment_id), environment_id,
            'env-%s' % environment_id]


def _first_free(candidates, taken, environment_id):
    """The first usable candidate not taken; 'env-<id>-2', '-3', ... when every one is (names can be anything)."""
    for candidate in candidates:
        if usable_hostname(candidate) and candidate not in taken:
            return candidate
    number = 2
    while 'env-%s-%d' % (environment_id, number) in taken:
        number += 1
    return 'env-%s-%d' % (environment_id, number)


def _age(environment):
    """Oldest first; the id breaks ties (and orders environments without a creation date)."""
    return (environment.get('creationDate') or '', environment.get('id') or '')


def assign_hostnames(environments, source='name'):
    """[(hostname, environment)] oldest first, and the renamed ones [(hostname given, wanted name, environment id)].

    With `source` 'id' the hostname is the environment id. With 'name' it is safe_hostname(name); when
    several environments give the same one, the oldest keeps it and each newer one becomes
    '<name>_<id>', so an existing host keeps its name when a namesake is created later. A name with
    nothing safe in it gives the id. A hostname is never one that usable_hostname() refuses (all,
    ungrouped, localhost, state_enabled, tag_x, ...): such an environment is '<name>-<id>' (or 'env-<id>'
    for such an id), so no name or id can empty the inventory, crash it, or replace the implicit localhost.
    """
    taken, assigned, renamed = set(), [], []
    for environment in sorted(environments, key=_age):
        candidates = _candidates(environment, source)
        hostname = _first_free(candidates, taken, environment['id'])
        if hostname != candidates[0]:
            renamed.append((hostname, candidates[0], environment['id']))
        taken.add(hostname)
        assigned.append((hostname, environment))
    return assigned, renamed


# ------------------------------------------------------------------------------------------------
# Host variables and default groups

def environment_url(base_url, environment_id):
    """The address of an environment of a Managed cluster: https://<cluster>/e/<id>."""
    return '%s/e/%s' % (base_url, environment_id)


def host_variables(environment, base_url, include_quotas=False, include_storage=False):
    """The host variables of one environment (see HOST_VARIABLES); quotas and storage in the options shape."""
    variables = {
        'dynatrace_environment_id': environment['id'],
        'dynatrace_environment_name': environment.get('name'),
        'dynatrace_environment_url': environment_url(base_url, environment['id']),
        'dynatrace_cluster_url': base_url,
        'dynatrace_tags': list(environment.get('tags') or []),
        'dynatrace_state': environment.get('state') or 'ENABLED',
        'dynatrace_trial': bool(environment.get('trial')),
        'dynatrace_creation_date': environment.get('creationDate'),
    }
    for section, included in zip(SECTIONS, (include_quotas, include_storage)):
        if included:
            variables['dynatrace_' + section] = limits_to_options(section, environment.get(section) or {})
    return variables


def safe_group_name(text):
    """`text` as an Ansible group name: every character but letters, digits and '_' becomes '_'."""
    return _UNSAFE_GROUP_CHARACTERS.sub('_', text)


def default_group_names(environment):
    """state_enabled or state_disabled, and tag_<tag> for each tag ('department:finance' -> tag_department_finance)."""
    groups = ['state_' + safe_group_name((environment.get('state') or 'ENABLED').lower())]
    groups.extend('tag_' + safe_group_name(tag) for tag in environment.get('tags') or [])
    return groups
