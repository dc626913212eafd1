# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the environments role of 1.0.0, deprecated (removal in 2.0.0): thin adapters over the planner.

Since the role runs one clusterops.dynatrace.dynatrace_environments task, nothing in the collection calls
them; they stay for playbooks that built the 1.0.0 flow themselves (dynatrace_environment_info, then a
dynatrace_environment loop). Every decision is the one planner's (_model/environment_plan, the same that
dynatrace_environment and dynatrace_environments use) over an index of the listing; the item checks are
those of dynatrace_environments (_model/bulk_plan.list_errors). What stays here is the adaptation: the
options shape of the listing, booleans from templates, and the sorting into create/change/unchanged.

Documentation of each filter: the YAML files next to this one (ansible-doc -t filter <name>).
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_plan as planner
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_plan import (
    environment_params, list_errors, read_flags,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    SECTIONS, desired_view, environment_differences, kind_of,
)
from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._secrets import mask_text

LIST_NAME = 'environments_list'

# The options of dynatrace_environment an item of the role may carry (connection options are the
# role's, not the items'; name_lookup is the role's own business).
ITEM_OPTIONS = frozenset(('name', 'environment_id', 'state', 'enabled', 'trial', 'tags', 'quotas', 'storage',
                          'create_token', 'update_existing', 'rename', 'allow_duplicate_name'))
BOOLEAN_OPTIONS = ('enabled', 'trial', 'create_token', 'update_existing', 'rename', 'allow_duplicate_name')


def _shape_errors(where, item):
    """What the module's argument spec would refuse in an item: unknown options, a bad state, tags not a list."""
    errors = []
    unknown = sorted(set(item) - ITEM_OPTIONS)
    if unknown:
        errors.append('%s has unknown option(s) %s' % (where, ', '.join(unknown)))
    if item.get('state', 'present') not in (None, 'present', 'absent'):
        errors.append("%s: state must be 'present' or 'absent', got %r" % (where, item.get('state')))
    if item.get('tags') is not None and (isinstance(item['tags'], str) or not is_sequence(item['tags'])):
        errors.append('%s: tags must be a list of strings' % where)
    return errors


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


def _check_items(declared):
    """Raise AnsibleFilterError naming every invalid item; return the items as a list of (normalised) dicts."""
    if declared is None:
        return []
    if isinstance(declared, (dict, str)) or not is_sequence(declared):
        raise AnsibleFilterError('the declared environments must be a list of dicts, got %s' % kind_of(declared))
    errors, items = [], []
    for index, item in enumerate(declared):
        where = '%s[%d]' % (LIST_NAME, index)
        if not isinstance(item, dict):
            errors.append('%s must be a dict, got %s' % (where, kind_of(item)))
            continue
        where = '%s (%s)' % (where, planner.label(item))
        item = _normalized(where, item, errors)
        errors.extend(_shape_errors(where, item))
        items.append(item)
    if len(items) == len(declared):  # (the indexes of list_errors are those of the declared list)
        errors.extend(error for error in list_errors(items, 0, LIST_NAME) if error not in errors)
    if errors:
        raise AnsibleFilterError('invalid environments: %s' % '; '.join(errors))
    return items


def _index_existing(existing):
    """(by id, as a list) the options-shaped environments dynatrace_environment_info returned."""
    if isinstance(existing, dict) and 'environments' in existing:
        existing = existing['environments']  # the whole registered result was passed
    if existing is None:
        existing = []
    if isinstance(existing, (dict, str)) or not is_sequence(existing):
        raise AnsibleFilterError('the existing environments must be the list dynatrace_environment_info returns in '
                                 "'environments', got %s" % kind_of(existing))
    by_id = {}
    for environment in existing:
        if not isinstance(environment, dict):
            raise AnsibleFilterError('each existing environment must be a dict, got %s' % kind_of(environment))
        by_id[environment.get('environment_id')] = environment
    return by_id, list(existing)


def _unknown_sections(item, environment):
    """Sections the item manages but the listing did not carry (read without consumption/storage)."""
    desired = desired_view(item)
    return [section for section in SECTIONS if section in desired and environment.get(section) is None]


def _api_shape(environment):
    """The id, name and state of an options-shaped environment: what the planner reads."""
    return dict(id=environment.get('environment_id'), name=environment.get('name'),
                state='DISABLED' if environment.get('enabled') is False else 'ENABLED')


def _sort_present(item, environment, item_update, plan):
    """Put an item that matches one existing environment into change, drift or unchanged."""
    unknown = _unknown_sections(item, environment)
    # Sections the listing did not carry are not compared here (they would look unlimited/unset).
    comparable = dict((key, value) for key, value in item.items() if key not in unknown)
    changes = environment_differences(comparable, environment)
    if item_update and (changes or unknown):
        plan['change'].append(item)
        return
    if changes:
        plan['drift'][planner.label(item)] = changes
        plan['drift_diff'].extend(planner.drift_lines({planner.label(item): changes}))
    plan['unchanged'].append(planner.label(item))


def environments_plan(declared, existing, update_existing=False):
    """Sort the declared items into create / change / unchanged / conflicts; see environments_plan.yml."""
    items = _check_items(declared)
    by_id, listing = _index_existing(existing)
    params = [environment_params(item, update_existing) for item in items]
    sight = planner.IndexSight([_api_shape(environment) for environment in listing])
    steps = [planner.plan(item_params, sight) for item_params in params]
    conflicts = planner.conflicting_items(items, steps, LIST_NAME)
    if conflicts:
        raise AnsibleFilterError('conflicting environments: %s' % '; '.join(conflicts))
    plan = dict(apply=[], create=[], change=[], unchanged=[], drift={}, drift_diff=[], conflicts={})
    for item, item_params, step in zip(items, params, steps):
        if step.kind == planner.REFUSE:
            plan['conflicts'][planner.label(item)] = step.message
        elif step.kind == planner.CREATE:
            plan['create'].append(item)
        elif step.kind == planner.DELETE:
            plan['change'].append(item)
        elif step.kind == planner.GONE:
            plan['unchanged'].append(planner.label(item))
        else:
            _sort_present(item, by_id[step.environment_id], item_params['update_existing'], plan)
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
    return read_flags(_check_items(declared))


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
        label = planner.label(item) if isinstance(item, dict) else str(item)
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
