# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The plan of a whole list of environments (with their API tokens and group permissions), from one listing.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure model (no client, no request). Every item is checked before any request (input rules of
dynatrace_environment, dynatrace_api_token and the merge mode of dynatrace_user_group); each item's
step is then decided by the one planner (_model/environment_plan) over an index of the one listing.
"""


from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import desired_view, validate_options
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_plan import item_errors, label
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import (
    token_file_name, validate_options as token_option_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import grant_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import item_zone_errors, split_item_grants


def token_file(environment_id, token_name):
    """The file of an API token in the token folder: <environment id>.<token name>.token (names never collide)."""
    return token_file_name(environment_id, token_name)


def environment_params(item, update_existing):
    """The dynatrace_environment options of an item (its own update_existing wins over the list's)."""
    params = dict((key, value) for key, value in item.items() if key not in ('api_tokens', 'permissions'))
    params['state'] = params.get('state') or 'present'
    if params.get('update_existing') is None:
        params['update_existing'] = update_existing
    if params.get('create_token') is None:
        params['create_token'] = True
    return params


def _token_errors(where, item, now_ms):
    errors, seen = [], set()
    for index, token in enumerate(item.get('api_tokens') or []):
        place = '%s api_tokens[%d]' % (where, index)
        errors.extend('%s: %s' % (place, error)
                      for error in token_option_errors(dict(token, state='present'), now_ms))
        if token.get('name') in seen:
            errors.append('%s: token name %r is declared twice' % (place, token.get('name')))
        seen.add(token.get('name'))
    if item.get('api_tokens') and item.get('state') == 'absent':
        errors.append('%s: api_tokens cannot be used with state absent' % where)
    return errors


def _item_errors(index, item, now_ms, list_name):
    where = '%s[%d] (%s)' % (list_name, index, label(item))
    if not item.get('name') and not item.get('environment_id'):
        return ['%s needs name or environment_id' % where]
    errors = ['%s: %s' % (where, error) for error in item_errors(item)]
    if errors:
        return errors
    errors = ['%s: %s' % (where, error) for error in validate_options(item)]
    errors.extend(_token_errors(where, item, now_ms))
    if item.get('permissions') is not None:
        if item.get('state') == 'absent':
            errors.append('%s: permissions cannot be used with state absent' % where)
        environment_grants = split_item_grants(item['permissions'])[0] if isinstance(item['permissions'], dict) \
            else item['permissions']
        errors.extend('%s: %s' % (where, error) for error in grant_errors(environment_grants) + item_zone_errors(
            item['permissions'] if isinstance(item['permissions'], dict) else {}))
    return errors


def _namesakes_allowed(item):
    """An item that may share its name: it has its own id and says so (allow_duplicate_name)."""
    return bool(item.get('environment_id') and item.get('allow_duplicate_name'))


def list_errors(items, now_ms, list_name='environments'):
    """Every input error of the list, each naming its item (as `list_name`[index]); duplicates by name or id included."""
    errors, seen = [], {}
    for index, item in enumerate(items):
        errors.extend(_item_errors(index, item, now_ms, list_name))
        for key in ('name', 'environment_id'):
            value = item.get(key)
            if value is None:
                continue
            if key == 'name' and (key, value) in seen and _namesakes_allowed(item) \
                    and _namesakes_allowed(items[seen[(key, value)]]):
                continue  # two items that both allow a shared name keep apart by their ids
            if (key, value) in seen:
                errors.append('%s[%d] and %s[%d] both declare %s %r'
                              % (list_name, seen[(key, value)], list_name, index, key, value))
            else:
                seen[(key, value)] = index
    return errors


def read_flags(items):
    """The include flags the one listing needs: quotas and storage only when a present item manages them."""
    sections = set()
    for item in items:
        if item.get('state') != 'absent':
            sections.update(section for section in ('quotas', 'storage') if section in desired_view(item))
    return dict(include_consumption='quotas' in sections, include_storage='storage' in sections)


def pending_tokens(item, environment_id, recorded_files, verify):
    """The declared API tokens this run must look at: those not recorded in the token folder (all when verify)."""
    tokens = item.get('api_tokens') or []
    if verify:
        return list(tokens)
    recorded = set(recorded_files or ())
    return [token for token in tokens if token_file(environment_id, token['name']) not in recorded]
