# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environment_info's logic: validate the listing options, run the query, shape the result.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice. Do not import it from
other collections or from your own plugins.

The options become a server filter plus client-side criteria (see _filters.py).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api.environments import MAX_PAGE_SIZE
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    NAME_MAX_LENGTH, api_to_options, environment_id_errors, tag_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.filters import (
    SORTS, all_criteria, build_query, finish,
)

__all__ = ('MAX_PAGE_SIZE', 'SORTS', 'environment_info', 'query_environments', 'validate_info_options')


# ------------------------------------------------------------------------------------------------
# Validation, before any request

def _text_errors(option, value, maximum):
    if value is None:
        return []
    if not isinstance(value, str) or not value:
        return ['%s must be a non-empty string, got %r' % (option, value)]
    if len(value) > maximum:
        return ['%s must be at most %d characters long, got %d' % (option, maximum, len(value))]
    return []


def _tag_list_errors(option, tags, allow_empty):
    if tags is None:
        return []
    if not tags and not allow_empty:
        return ['%s must hold at least one tag (leave it out to not filter on tags)' % option]
    return tag_errors(tags, option, unique=False)


def validate_info_options(params):
    """Return the list of input errors of dynatrace_environment_info's options."""
    errors = []
    errors.extend(_text_errors('name', params.get('name'), NAME_MAX_LENGTH))
    errors.extend(_text_errors('name_contains', params.get('name_contains'), NAME_MAX_LENGTH))
    errors.extend(environment_id_errors(params.get('environment_id')))
    errors.extend(_tag_list_errors('tags', params.get('tags'), allow_empty=True))
    errors.extend(_tag_list_errors('tags_any', params.get('tags_any'), allow_empty=False))
    sort = params.get('sort')
    if sort is not None and sort not in SORTS:
        errors.append('sort must be one of %s, got %r' % (', '.join(SORTS), sort))
    page_size = params.get('page_size')
    if page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE:
        errors.append('page_size must be between 1 and %d, got %d' % (MAX_PAGE_SIZE, page_size))
    return errors


# ------------------------------------------------------------------------------------------------
# Running the listing

def query_environments(client, params):
    """Run the query the options describe; return the matching API environments (every page read)."""
    flags = dict(include_consumption=bool(params.get('include_consumption') or params.get('uncached_consumption')),
                 include_storage=bool(params.get('include_storage')),
                 uncached_consumption=bool(params.get('uncached_consumption')))
    if params.get('environment_id'):
        environment = api.get_environment(client, params['environment_id'], **flags)
        return finish([environment] if environment else [], all_criteria(params))
    query = build_query(params)
    environments = []
    for page in api.iter_environment_pages(client, page_size=params.get('page_size') or MAX_PAGE_SIZE, sort=query.sort,
                                           filter_expression=query.filter_expression, **flags):
        environments.extend(page['environments'])
    return finish(environments, query.criteria)


def environment_info(client, params):
    """The result of dynatrace_environment_info: environments (options shape), total_count, creation_dates."""
    consumption = bool(params.get('include_consumption') or params.get('uncached_consumption'))
    found = query_environments(client, params)
    environments = [api_to_options(environment, include_quotas=consumption, include_storage=bool(params.get('include_storage')))
                    for environment in found]
    creation_dates = dict((environment.get('id'), environment.get('creationDate')) for environment in found)
    return dict(changed=False, environments=environments, total_count=len(environments), creation_dates=creation_dates)
