# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters behind the clusterops.dynatrace.environments role.

They decide, from ONE listing of the cluster's environments (dynatrace_environment_info), which
declared environments need a dynatrace_environment task at all, so that a steady-state run of the
role costs one request however many environments it declares. The comparison is the module's own
(`_environment.environment_differences`): the role and the module never disagree about drift.

Documentation of each filter: the YAML files next to this one (ansible-doc -t filter <name>).
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment import (
    SECTIONS, desired_view, environment_differences, section_limits, validate_options,
)

# The options of dynatrace_environment an item of the role may carry (connection options are the
# role's, not the items').
ITEM_OPTIONS = frozenset(('name', 'environment_id', 'state', 'enabled', 'trial', 'tags', 'quotas', 'storage',
                          'create_token', 'update_existing'))


def _label(item):
    return item.get('name') or item.get('environment_id') or '?'


def _limit_section_errors(where, item):
    """Errors of the shape of an item's quotas and storage (unknown entries and fields), as the argument spec would."""
    errors = []
    for section in SECTIONS:
        known = section_limits(section)
        value = item.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            errors.append('%s: %s must be a dict' % (where, section))
            continue
        for group, limits in value.items():
            if group not in known:
                errors.append('%s: unknown %s entry %r' % (where, section, group))
                continue
            fields = known[group].fields
            if limits is not None and (not isinstance(limits, dict) or set(limits) - set(fields)):
                errors.append('%s: %s.%s accepts only %s' % (where, section, group, ', '.join(fields)))
    return errors


def _check_items(declared):
    """Raise AnsibleFilterError naming every invalid item; return the items as a list of dicts."""
    if declared is None:
        return []
    if isinstance(declared, (dict, str)) or not is_sequence(declared):
        raise AnsibleFilterError('the declared environments must be a list of dicts, got %s' % type(declared).__name__)
    errors = []
    seen = {}
    for index, item in enumerate(declared):
        where = 'environments_list[%d]' % index
        if not isinstance(item, dict):
            errors.append('%s must be a dict, got %s' % (where, type(item).__name__))
            continue
        where = '%s (%s)' % (where, _label(item))
        unknown = sorted(set(item) - ITEM_OPTIONS)
        if unknown:
            errors.append('%s has unknown option(s) %s' % (where, ', '.join(unknown)))
        if not item.get('name') and not item.get('environment_id'):
            errors.append('%s needs name or environment_id' % where)
        if item.get('state', 'present') not in (None, 'present', 'absent'):
            errors.append("%s: state must be 'present' or 'absent', got %r" % (where, item.get('state')))
        if item.get('tags') is not None and (isinstance(item['tags'], str) or not is_sequence(item['tags'])):
            errors.append('%s: tags must be a list of strings' % where)
            continue
        errors.extend(_limit_section_errors(where, item))
        if any(error.startswith(where) for error in errors):
            continue
        try:
            errors.extend('%s: %s' % (where, error) for error in validate_options(item))
        except (KeyError, AttributeError, TypeError) as exc:
            errors.append('%s: invalid quotas or storage (%s)' % (where, exc))
        key = ('environment_id', item['environment_id']) if item.get('environment_id') else ('name', item.get('name'))
        if key in seen:
            errors.append('%s declares the same %s as environments_list[%d]' % (where, key[0], seen[key]))
        seen[key] = index
    if errors:
        raise AnsibleFilterError('invalid environments: %s' % '; '.join(errors))
    return list(declared)


def _index_existing(existing):
    """(by id, by name -> list) of the options-shaped environments dynatrace_environment_info returned."""
    if isinstance(existing, dict) and 'environments' in existing:
        existing = existing['environments']  # the whole registered result was passed
    if existing is None:
        existing = []
    if isinstance(existing, (dict, str)) or not is_sequence(existing):
        raise AnsibleFilterError('the existing environments must be the list dynatrace_environment_info returns in '
                                 "'environments', got %s" % type(existing).__name__)
    by_id, by_name = {}, {}
    for environment in existing:
        if not isinstance(environment, dict):
            raise AnsibleFilterError('each existing environment must be a dict, got %s' % type(environment).__name__)
        if environment.get('environment_id') is not None:
            by_id[environment['environment_id']] = environment
        by_name.setdefault(environment.get('name'), []).append(environment)
    return by_id, by_name


def _match(item, by_id, by_name):
    """The existing environments the item addresses: by environment_id when given, else by exact name."""
    if item.get('environment_id'):
        found = by_id.get(item['environment_id'])
        return [found] if found else []
    return by_name.get(item.get('name'), [])


def _unknown_sections(item, environment):
    """Sections the item manages but the listing did not carry (read without consumption/storage)."""
    desired = desired_view(item)
    return [section for section in SECTIONS if section in desired and environment.get(section) is None]


def environments_plan(declared, existing, update_existing=False):
    """Sort the declared items into create / change / unchanged; see environments_plan.yml."""
    items = _check_items(declared)
    by_id, by_name = _index_existing(existing)
    plan = dict(apply=[], create=[], change=[], unchanged=[], drift={})
    for item in items:
        matches = _match(item, by_id, by_name)
        label = _label(item)
        absent = item.get('state') == 'absent'
        if absent:
            if matches:
                plan['change'].append(item)
            else:
                plan['unchanged'].append(label)
            continue
        if not matches:
            plan['create'].append(item)
            continue
        if len(matches) > 1:
            # Ambiguous name: the module fails and lists the ids, which is the message the user needs.
            plan['change'].append(item)
            continue
        environment = matches[0]
        item_update = item.get('update_existing')
        item_update = update_existing if item_update is None else item_update
        unknown = _unknown_sections(item, environment)
        # Sections the listing did not carry are not compared here (they would look unlimited/unset).
        comparable = dict((key, value) for key, value in item.items() if key not in unknown)
        changes = environment_differences(comparable, environment)
        if item_update and (changes or unknown):
            plan['change'].append(item)
            continue
        if changes:
            plan['drift'][label] = changes
        plan['unchanged'].append(label)
    selected = set(id(item) for item in plan['create'] + plan['change'])
    plan['apply'] = [item for item in items if id(item) in selected]
    return plan


def environments_to_apply(declared, existing, update_existing=False):
    """The declared items that need a dynatrace_environment task, in declared order."""
    return environments_plan(declared, existing, update_existing)['apply']


def environments_read_options(declared, update_existing=False):
    """The include_consumption / include_storage options the listing needs for these items."""
    items = _check_items(declared)
    updating = [item for item in items if item.get('state') != 'absent'
                and (update_existing if item.get('update_existing') is None else item['update_existing'])]
    sections = set()
    for item in updating:
        sections.update(section for section in ('quotas', 'storage') if section in desired_view(item))
    return dict(include_consumption='quotas' in sections, include_storage='storage' in sections)


def _item_results(value):
    """The per-item results of a registered loop, of its results list, or of a list of either."""
    if isinstance(value, dict):
        return list(value.get('results') or []) if 'results' in value else [value]
    entries = []
    for entry in value or []:
        entries.extend(_item_results(entry) if isinstance(entry, (dict, list)) else [])
    return entries


def environments_created(results):
    """Map name -> {id, token_management_token} from the registered results of a create loop."""
    created = {}
    for result in _item_results(results):
        if result.get('failed') or result.get('skipped') or not result.get('changed'):
            continue
        item = result.get('item') or {}
        if not isinstance(item, dict) or item.get('state') == 'absent':
            continue
        environment = result.get('environment') or {}
        name = item.get('name') or environment.get('name')
        if name is None:
            continue
        created[name] = dict(id=result.get('environment_id'),
                             token_management_token=result.get('token_management_token'))
    return created


def environments_failures(results):
    """Map label -> error message of the failed items of one or more registered loop results."""
    failures = {}
    for result in _item_results(results):
        if not result.get('failed'):
            continue
        item = result.get('item')
        label = _label(item) if isinstance(item, dict) else str(item)
        failures[label] = result.get('msg') or 'failed without a message'
    return failures


class FilterModule(object):
    """Filters of the clusterops.dynatrace.environments role."""

    def filters(self):
        return {
            'environments_plan': environments_plan,
            'environments_to_apply': environments_to_apply,
            'environments_read_options': environments_read_options,
            'environments_created': environments_created,
            'environments_failures': environments_failures,
        }
