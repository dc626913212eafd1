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

import json

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    SECTIONS, desired_view, environment_differences, kind_of, validate_options,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import (
    creation_id, id_name_mismatch, name_taken, renamed,
)
from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._secrets import mask_text

# The options of dynatrace_environment an item of the role may carry (connection options are the
# role's, not the items'; name_lookup is the role's own business).
ITEM_OPTIONS = frozenset(('name', 'environment_id', 'state', 'enabled', 'trial', 'tags', 'quotas', 'storage',
                          'create_token', 'update_existing', 'rename', 'allow_duplicate_name'))
BOOLEAN_OPTIONS = ('enabled', 'trial', 'create_token', 'update_existing', 'rename', 'allow_duplicate_name')


def _label(item):
    return item.get('name') or item.get('environment_id') or '?'


def _item_errors(where, item):
    """The errors of one item (a dict): unknown options, what it must have, and every input rule of the module."""
    errors = []
    unknown = sorted(set(item) - ITEM_OPTIONS)
    if unknown:
        errors.append('%s has unknown option(s) %s' % (where, ', '.join(unknown)))
    if not item.get('name') and not item.get('environment_id'):
        errors.append('%s needs name or environment_id' % where)
    if item.get('state', 'present') not in (None, 'present', 'absent'):
        errors.append("%s: state must be 'present' or 'absent', got %r" % (where, item.get('state')))
    if item.get('tags') is not None and (isinstance(item['tags'], str) or not is_sequence(item['tags'])):
        errors.append('%s: tags must be a list of strings' % where)
    if errors:
        return errors
    return ['%s: %s' % (where, error) for error in validate_options(item)]


def _normalized(where, item, errors):
    """The item with its booleans as booleans ('no' and 'false' from templates or YAML 1.1 strings compare as false)."""
    item = dict(item)
    for option in BOOLEAN_OPTIONS:
        if item.get(option) is None:
            continue
        try:
            item[option] = boolean(item[option], strict=True)
        except TypeError:
            errors.append('%s: %s must be a boolean (true/false, yes/no), got %r' % (where, option, item[option]))
    return item


def _namesakes_allowed(item):
    """An item that may share its name: it has its own id and says so (allow_duplicate_name)."""
    return bool(item.get('environment_id') and item.get('allow_duplicate_name'))


def _duplicate_errors(items):
    """Two items of one environment_id, or of one name (unless both allow it, each with its id): name both."""
    errors, seen = [], {}
    for index, item in enumerate(items):
        for key in ('name', 'environment_id'):
            value = item.get(key)
            if value is None:
                continue
            if key == 'name' and (key, value) in seen and _namesakes_allowed(item) \
                    and _namesakes_allowed(items[seen[(key, value)]]):
                continue
            if (key, value) in seen:
                errors.append('environments_list[%d] and environments_list[%d] both declare %s %r'
                              % (seen[(key, value)], index, key, value))
            else:
                seen[(key, value)] = index
    return errors


def _check_items(declared):
    """Raise AnsibleFilterError naming every invalid item; return the items as a list of (normalised) dicts."""
    if declared is None:
        return []
    if isinstance(declared, (dict, str)) or not is_sequence(declared):
        raise AnsibleFilterError('the declared environments must be a list of dicts, got %s' % kind_of(declared))
    errors, items = [], []
    for index, item in enumerate(declared):
        where = 'environments_list[%d]' % index
        if not isinstance(item, dict):
            errors.append('%s must be a dict, got %s' % (where, kind_of(item)))
            continue
        where = '%s (%s)' % (where, _label(item))
        item = _normalized(where, item, errors)
        errors.extend(_item_errors(where, item))
        items.append(item)
    if not errors:
        errors = _duplicate_errors(items)
    if errors:
        raise AnsibleFilterError('invalid environments: %s' % '; '.join(errors))
    return items


def _index_existing(existing):
    """(by id, by name -> list) of the options-shaped environments dynatrace_environment_info returned."""
    if isinstance(existing, dict) and 'environments' in existing:
        existing = existing['environments']  # the whole registered result was passed
    if existing is None:
        existing = []
    if isinstance(existing, (dict, str)) or not is_sequence(existing):
        raise AnsibleFilterError('the existing environments must be the list dynatrace_environment_info returns in '
                                 "'environments', got %s" % kind_of(existing))
    by_id, by_name = {}, {}
    for environment in existing:
        if not isinstance(environment, dict):
            raise AnsibleFilterError('each existing environment must be a dict, got %s' % kind_of(environment))
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


def _conflict(item, matches, by_id, by_name):
    """The module's refusal for an item the listing already shows to be refused, or None.

    The role creates with name_lookup false (the listing is its lookup), so the listing must catch what
    the module's lookup would: a name another environment carries, and a renamed creation id.
    """
    name, environment_id = item.get('name'), item.get('environment_id')
    absent = item.get('state') == 'absent'
    if environment_id and name and matches and matches[0].get('name') != name:
        if absent or not item.get('rename'):
            return id_name_mismatch(environment_id, name, _api_shape(matches[0]), absent=absent)
        return None
    if absent or matches or not name:
        return None
    if environment_id:
        holders = by_name.get(name)
        if holders and not item.get('allow_duplicate_name'):
            return name_taken(environment_id, name, [_api_shape(e) for e in holders])
        return None
    created = by_id.get(creation_id(name))
    return renamed(name, _api_shape(created)) if created else None


def _api_shape(environment):
    """The id and name of an options-shaped environment, as the conflict messages read them."""
    return dict(id=environment.get('environment_id'), name=environment.get('name'))


def _sort_present(item, environment, update_existing, plan):
    """Put an item that matches one existing environment into change, drift or unchanged."""
    item_update = item.get('update_existing')
    item_update = update_existing if item_update is None else item_update
    unknown = _unknown_sections(item, environment)
    # Sections the listing did not carry are not compared here (they would look unlimited/unset).
    comparable = dict((key, value) for key, value in item.items() if key not in unknown)
    changes = environment_differences(comparable, environment)
    if item_update and (changes or unknown):
        plan['change'].append(item)
        return
    if changes:
        plan['drift'][_label(item)] = changes
        plan['drift_diff'].extend(_drift_lines(_label(item), changes))
    plan['unchanged'].append(_label(item))


def _drift_lines(label, changes):
    """The drift of one environment as the lines of a diff (Ansible prints the diff of changed tasks only)."""
    lines = ['--- %s (current; update_existing is false, nothing changed)' % label, '+++ %s (as declared)' % label]
    for path in sorted(changes):
        lines += ['-%s: %s' % (path, json.dumps(changes[path]['current'], sort_keys=True)),
                  '+%s: %s' % (path, json.dumps(changes[path]['desired'], sort_keys=True))]
    return lines


def environments_plan(declared, existing, update_existing=False):
    """Sort the declared items into create / change / unchanged / conflicts; see environments_plan.yml."""
    items = _check_items(declared)
    by_id, by_name = _index_existing(existing)
    plan = dict(apply=[], create=[], change=[], unchanged=[], drift={}, drift_diff=[], conflicts={})
    for item in items:
        matches = _match(item, by_id, by_name)
        conflict = _conflict(item, matches, by_id, by_name)
        if conflict:
            plan['conflicts'][_label(item)] = conflict
        elif item.get('state') == 'absent':
            plan['change' if matches else 'unchanged'].append(item if matches else _label(item))
        elif not matches:
            plan['create'].append(item)
        elif len(matches) > 1:
            # Ambiguous name: the module fails and lists the ids, which is the message the user needs.
            plan['change'].append(item)
        else:
            _sort_present(item, matches[0], update_existing, plan)
    selected = set(id(item) for item in plan['create'] + plan['change'])
    plan['apply'] = [item for item in items if id(item) in selected]
    return plan


def environments_to_apply(declared, existing, update_existing=False):
    """The declared items that need a dynatrace_environment task, in declared order."""
    return environments_plan(declared, existing, update_existing)['apply']


def environments_read_options(declared, update_existing=False):
    """The include_consumption / include_storage options the listing needs for these items.

    Every present item that manages quotas or storage needs them: to update, and with update_existing
    false to report the drift the module itself would report. update_existing is accepted for callers
    of earlier releases and no longer changes the answer.
    """
    del update_existing
    sections = set()
    for item in _check_items(declared):
        if item.get('state') != 'absent':
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
        # The role prints this at every verbosity: mask any token secret a message may still quote.
        failures[label] = mask_text(str(result.get('msg') or 'failed without a message'))
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
