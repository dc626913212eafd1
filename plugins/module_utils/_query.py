# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Queries of dynatrace_environment_info and the facts of dynatrace_cluster_info.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice. Do not import it from
other collections or from your own plugins.

The listing options become two things: the `filter` the server understands (criteria separated
by commas, all must match: name(x) case-insensitive substring, trial(), state(), tag(a,b) any of,
tag(a),tag(b) all of) and the criteria the collection checks itself on the answer ("client-side
finishing"), for what the grammar cannot say: an exact, case-sensitive name, and values holding
characters the grammar cannot carry (parentheses, commas, quotes, backslash).
"""

import re
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._client import (
    MAX_PAGE_SIZE, DynatraceError,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment import (
    ENVIRONMENT_ID_PATTERN, FILTER_UNSAFE_CHARACTERS, NAME_MAX_LENGTH, api_to_options, keys_to_snake,
    safe_filter_value, tag_errors,
)

# sort option -> the API's sort parameter
SORTS = {
    'name': 'name',
    '-name': '-name',
    'creation_date': 'creationDate',
    '-creation_date': '-creationDate',
}

DPS_MESSAGE = ('The cluster refused consumption information (HTTP 422): it is licensed with the Dynatrace Platform '
               'Subscription (DPS), which has no per-environment quotas. Leave include_consumption and '
               'uncached_consumption off (false).')


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
    environment_id = params.get('environment_id')
    if environment_id is not None and not ENVIRONMENT_ID_PATTERN.match(environment_id):
        errors.append('environment_id must match [a-zA-Z0-9_-]{1,70}, got %r' % environment_id)
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
# Options -> server filter + client-side criteria

def is_filter_safe(value):
    """True when the filter grammar carries `value` unchanged (no special character, no edge blanks)."""
    return bool(value) and value == value.strip() and not any(char in FILTER_UNSAFE_CHARACTERS for char in value)


class Query:
    """What one listing sends (`filter_expression`, `sort`) and what it checks itself (`criteria`).

    `criteria` is a list of (kind, value) pairs, every one of which must hold for an environment:
    ('name', str) exact; ('name_contains', str) case-insensitive substring; ('tag', str) membership;
    ('tags_any', [str]) at least one; ('enabled', bool); ('trial', bool).
    """

    def __init__(self, filter_expression=None, sort=None, criteria=None):
        self.filter_expression = filter_expression
        self.sort = sort
        self.criteria = list(criteria or [])

    def __repr__(self):
        return 'Query(filter_expression=%r, sort=%r, criteria=%r)' % (self.filter_expression, self.sort, self.criteria)


def all_criteria(params):
    """Every criterion of the options, to check client-side (used when no server filter applies)."""
    criteria = []
    if params.get('name') is not None:
        criteria.append(('name', params['name']))
    if params.get('name_contains') is not None:
        criteria.append(('name_contains', params['name_contains']))
    for tag in _unique(params.get('tags') or []):
        criteria.append(('tag', tag))
    if params.get('tags_any'):
        criteria.append(('tags_any', _unique(params['tags_any'])))
    for key in ('enabled', 'trial'):
        if params.get(key) is not None:
            criteria.append((key, params[key]))
    return criteria


def build_query(params):
    """Translate the options into the server's filter grammar plus the client-side criteria.

    - name: server `name(<longest safe part>)` (a case-insensitive substring, so it finds the name), then an
      exact, case-sensitive comparison client-side. With no safe part at all, only the client-side check.
    - name_contains: server `name(x)` when x is safe. Otherwise the safe part goes to the server and a
      case-insensitive substring check finishes client-side. With `name` also given, the server filters on
      `name` only (the grammar documents no repeated name()) and name_contains is checked client-side.
    - tags: `tag(a),tag(b)` for safe tags; an unsafe tag is checked client-side (exact membership).
    - tags_any: `tag(a,b)` when every tag is safe; otherwise all of it client-side (a partial any-of on the
      server would drop environments that carry only the unsafe tag).
    - enabled: `state(ENABLED|DISABLED)`; trial: `trial(true|false)`.
    """
    terms, criteria = [], []
    name, contains = params.get('name'), params.get('name_contains')
    if name is not None:
        safe = safe_filter_value(name)
        if safe:
            terms.append('name(%s)' % safe)
        criteria.append(('name', name))
        if contains is not None:
            criteria.append(('name_contains', contains))
    elif contains is not None:
        if is_filter_safe(contains):
            terms.append('name(%s)' % contains)
        else:
            safe = safe_filter_value(contains)
            if safe:
                terms.append('name(%s)' % safe)
            criteria.append(('name_contains', contains))
    for tag in _unique(params.get('tags') or []):
        if is_filter_safe(tag):
            terms.append('tag(%s)' % tag)
        else:
            criteria.append(('tag', tag))
    tags_any = _unique(params.get('tags_any') or [])
    if tags_any:
        if all(is_filter_safe(tag) for tag in tags_any):
            terms.append('tag(%s)' % ','.join(tags_any))
        else:
            criteria.append(('tags_any', tags_any))
    if params.get('enabled') is not None:
        terms.append('state(%s)' % ('ENABLED' if params['enabled'] else 'DISABLED'))
    if params.get('trial') is not None:
        terms.append('trial(%s)' % ('true' if params['trial'] else 'false'))
    sort = SORTS[params['sort']] if params.get('sort') else None
    return Query(','.join(terms) or None, sort, criteria)


def _unique(values):
    seen, result = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


def matches(environment, criteria):
    """True when an API environment satisfies every client-side criterion."""
    name = environment.get('name') or ''
    tags = environment.get('tags') or []
    for kind, value in criteria:
        if kind == 'name' and name != value:
            return False
        if kind == 'name_contains' and value.casefold() not in name.casefold():
            return False
        if kind == 'tag' and value not in tags:
            return False
        if kind == 'tags_any' and not any(tag in tags for tag in value):
            return False
        if kind == 'enabled' and (environment.get('state', 'ENABLED') != 'DISABLED') != value:
            return False
        if kind == 'trial' and bool(environment.get('trial')) != value:
            return False
    return True


def finish(environments, criteria):
    """The environments that satisfy every client-side criterion, in the server's order."""
    if not criteria:
        return list(environments)
    return [environment for environment in environments if matches(environment, criteria)]


# ------------------------------------------------------------------------------------------------
# Running the listing

def list_environments(client, params):
    """Run the query the options describe; return the matching API environments (every page read)."""
    consumption = bool(params.get('include_consumption') or params.get('uncached_consumption'))
    storage = bool(params.get('include_storage'))
    try:
        if params.get('environment_id'):
            environment = client.get_environment(params['environment_id'], include_consumption=consumption,
                                                 include_storage=storage,
                                                 uncached_consumption=bool(params.get('uncached_consumption')))
            return finish([environment] if environment else [], all_criteria(params))
        query = build_query(params)
        environments = []
        for page in client.iter_environment_pages(page_size=params.get('page_size') or MAX_PAGE_SIZE, sort=query.sort,
                                                  filter_expression=query.filter_expression,
                                                  include_consumption=consumption, include_storage=storage,
                                                  uncached_consumption=bool(params.get('uncached_consumption'))):
            environments.extend(page['environments'])
        return finish(environments, query.criteria)
    except DynatraceError as exc:
        if exc.status == 422 and consumption:
            exc.message = '%s Server message: %s' % (DPS_MESSAGE, exc.message)
        raise


def environment_info(client, params):
    """The result of dynatrace_environment_info: environments (options shape), total_count, creation_dates."""
    consumption = bool(params.get('include_consumption') or params.get('uncached_consumption'))
    found = list_environments(client, params)
    environments = [api_to_options(environment, include_quotas=consumption, include_storage=bool(params.get('include_storage')))
                    for environment in found]
    creation_dates = dict((environment.get('id'), environment.get('creationDate')) for environment in found)
    return dict(changed=False, environments=environments, total_count=len(environments), creation_dates=creation_dates)


# ------------------------------------------------------------------------------------------------
# Cluster information

VERSION_PATTERN = re.compile(r'^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:[.-](.+?))?\s*$')


def parse_version(version):
    """Split a cluster version such as 1.236.0.20220203-192004 into its parts.

    Returns major, minor, patch (integers, patch 0 when absent), build (string, or None when the version has
    no build part), short (major.minor.patch, for the version test) and full (the string as sent). A version
    that does not look like major.minor[.patch[.build]] gives None for every part but full.
    """
    text = str(version)
    match = VERSION_PATTERN.match(text)
    if not match:
        return dict(major=None, minor=None, patch=None, build=None, short=None, full=text)
    major, minor, patch = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return dict(major=major, minor=minor, patch=patch, build=match.group(4),
                short='%d.%d.%d' % (major, minor, patch), full=text.strip())


def iso_utc(epoch_ms):
    """ISO 8601 UTC with milliseconds and Z, from epoch milliseconds: 2022-02-03T19:20:04.123Z."""
    seconds, millis = divmod(int(epoch_ms), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def cluster_info(client, environment_id=None, include_nodes=False):
    """The result of dynatrace_cluster_info (2 requests, 3 with nodes)."""
    environment_id = environment_id or client.url_environment_id
    version = client.get_cluster_version(environment_id)
    cluster_ms, local_midpoint_ms = client.get_cluster_time(environment_id)
    result = dict(changed=False, environment_id=environment_id, version=version, version_info=parse_version(version),
                  time_ms=cluster_ms, time=iso_utc(cluster_ms), time_skew_ms=cluster_ms - local_midpoint_ms)
    if include_nodes:
        result['nodes'] = keys_to_snake(client.get_cluster_nodes())
    return result
