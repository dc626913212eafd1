# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filter grammar of GET /environments, and the criteria the collection checks itself.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The server's `filter` holds criteria separated by commas, all must match: name(x) a
case-insensitive substring, trial(), state(), tag(a,b) any of, tag(a),tag(b) all of. What the
grammar cannot say is checked on the answer ("client-side finishing"): an exact, case-sensitive
name, and values holding characters the grammar cannot carry (parentheses, commas, quotes,
backslash, tilde). Pure: no client, no request.
"""

import re

# The filter grammar separates criteria with commas and wraps values in parentheses; quoting is
# undocumented, so a value must not contain these characters (quotes and backslash out of caution). The other
# Dynatrace v2 filters quote values with "..." and escape with ~, and a Dynatrace-authored client sends quoted
# values here: a server that reads ~ as an escape would look for another name, so ~ stays out too.
FILTER_UNSAFE_CHARACTERS = '(),"\'\\~'

# sort option -> the API's sort parameter
SORTS = {
    'name': 'name',
    '-name': '-name',
    'creation_date': 'creationDate',
    '-creation_date': '-creationDate',
}


def safe_filter_value(name):
    """The longest part of `name` that the filter grammar can carry, or '' when there is none.

    The server matches name() as a case-insensitive substring, so any part of the name finds it;
    the exact, case-sensitive comparison happens client-side.
    """
    parts = re.split('[%s]' % re.escape(FILTER_UNSAFE_CHARACTERS), name)
    return max((part.strip() for part in parts), key=len, default='')


def name_filter(name):
    """The server filter that finds the environments named exactly `name` (and perhaps others), or None."""
    value = safe_filter_value(name)
    return 'name(%s)' % value if value else None


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
    - Every tag criterion is checked client-side again: how the server matches tags (case, substrings, key:value)
      is not published, so its answer only narrows the listing.
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
        criteria.append(('tag', tag))
    tags_any = _unique(params.get('tags_any') or [])
    if tags_any:
        if all(is_filter_safe(tag) for tag in tags_any):
            terms.append('tag(%s)' % ','.join(tags_any))
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
