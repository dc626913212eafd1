"""The `filter` grammar of the environment list: criteria separated by commas, all must match.

    name(x)               name contains x, case-insensitive
    trial(true|false)
    state(ENABLED|DISABLED)
    tag(a,b)              any of the tags; tag(a),tag(b) needs both

Quoting is undocumented, so values cannot contain parentheses; a comma inside name() is part of
the name. Anything else is a 400. How tags match is not published: exact by default; with the
switch `tag_filter_matching: loose` a tag criterion matches case-insensitive substrings (a client
must check tags again).
"""

import re

from .errors import constraints_violated, violation

CRITERION = re.compile(r'(name|trial|state|tag)\(([^()]*)\)')


def _invalid(reason):
    return constraints_violated([violation('filter', f'Invalid filter: {reason}', 'QUERY')])


def _predicate(kind, value, loose_tags=False):
    if kind == 'name':
        if not value:
            raise _invalid('name() needs a value')
        wanted = value.casefold()
        return lambda env: wanted in env['name'].casefold()
    if kind == 'trial':
        if value not in ('true', 'false'):
            raise _invalid('trial() takes true or false')
        return lambda env: env['trial'] == (value == 'true')
    if kind == 'state':
        if value not in ('ENABLED', 'DISABLED'):
            raise _invalid('state() takes ENABLED or DISABLED')
        return lambda env: env['state'] == value
    tags = value.split(',')
    if not all(tags):
        raise _invalid('tag() needs one or more non-empty tags')
    if loose_tags:
        return lambda env: any(tag.casefold() in have.casefold() for tag in tags for have in env['tags'])
    return lambda env: any(tag in env['tags'] for tag in tags)


def parse_filter(text, loose_tags=False):
    """The list of predicates a filter string stands for; raises the 400 ApiError when malformed."""
    predicates, position = [], 0
    while True:
        match = CRITERION.match(text, position)
        if not match:
            raise _invalid(f'expected name(), trial(), state() or tag() at position {position}')
        predicates.append(_predicate(match.group(1), match.group(2), loose_tags))
        position = match.end()
        if position == len(text):
            return predicates
        if text[position] != ',':
            raise _invalid(f'expected a comma at position {position}')
        position += 1
