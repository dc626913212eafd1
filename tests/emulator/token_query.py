"""How the Environment API v2 shows tokens: the ApiToken fields, `fields` and `apiTokenSelector`.

apiTokenSelector takes owner(...) (any of the values), scope(...) (any of them, as documented) and
personalAccessToken(true|false), separated by commas (all must match). Values are quoted ("x", with ~
escaping " and ~) or bare. There is no name criterion: names are matched by clients, on every page.
"""

import re

from .dates import format_date
from .errors import constraints_violated, violation

FIELDS = ('id', 'name', 'enabled', 'personalAccessToken', 'owner', 'creationDate', 'expirationDate', 'lastUsedDate',
          'lastUsedIpAddress', 'modifiedDate', 'scopes')
DEFAULT_FIELDS = ('id', 'name', 'enabled', 'owner', 'creationDate')
CRITERION = re.compile(r'([A-Za-z]+)\(')
BARE_VALUE = re.compile(r'[^,()"]*')


def _date(epoch_ms):
    return None if epoch_ms is None else format_date(epoch_ms)


def token_view(token, fields=FIELDS):
    """An ApiToken object with these fields; absent values are left out, as the API does."""
    full = {
        'id': token.id, 'name': token.name, 'enabled': token.enabled, 'personalAccessToken': token.personal,
        'owner': token.owner, 'creationDate': _date(token.created_ms), 'expirationDate': _date(token.expires_ms),
        'lastUsedDate': _date(token.last_used_ms), 'lastUsedIpAddress': '127.0.0.1' if token.last_used_ms else None,
        'modifiedDate': _date(token.modified_ms), 'scopes': sorted(token.scopes),
    }
    return {name: full[name] for name in FIELDS if name in fields and full[name] is not None}


def parse_fields(text):
    """The fields a `fields` value asks for: +x adds to the defaults, -x removes, a bare list replaces them."""
    if text is None:
        return list(DEFAULT_FIELDS)
    items = [item.strip() for item in text.split(',') if item.strip()]
    chosen = set() if any(item[0] not in '+-' for item in items) else set(DEFAULT_FIELDS)
    for item in items:
        name = item.lstrip('+-')
        if name not in FIELDS:
            raise _invalid('fields', f'Unknown field {name}; fields are {", ".join(FIELDS)}.')
        (chosen.discard if item.startswith('-') else chosen.add)(name)
    return [name for name in FIELDS if name in chosen]


def _invalid(parameter, message):
    return constraints_violated([violation(parameter, message, 'QUERY')])


def _quoted(text, position):
    """The value of a quoted string starting after its opening quote, and the position after the closing one."""
    value = []
    while position < len(text):
        char = text[position]
        if char == '~':
            if text[position + 1:position + 2] not in ('~', '"'):
                raise _invalid('apiTokenSelector', f'Invalid escape at position {position}: use ~" or ~~.')
            value.append(text[position + 1])
            position += 2
        elif char == '"':
            return ''.join(value), position + 1
        else:
            value.append(char)
            position += 1
    raise _invalid('apiTokenSelector', 'Unclosed quote.')


def _values(text, position):
    """The values of one criterion up to its closing parenthesis, and the position after it."""
    values = []
    while True:
        if text[position:position + 1] == '"':
            value, position = _quoted(text, position + 1)
        else:
            value = BARE_VALUE.match(text, position).group(0)
            position += len(value)
        values.append(value)
        following = text[position:position + 1]
        if following == ')':
            return values, position + 1
        if following != ',':
            raise _invalid('apiTokenSelector', f'Expected , or ) at position {position}.')
        position += 1


def _predicate(kind, values):
    if kind == 'owner':
        return lambda token: token.owner in values
    if kind == 'scope':
        return lambda token: any(value in token.scopes for value in values)
    if kind == 'personalAccessToken' and len(values) == 1 and values[0] in ('true', 'false'):
        return lambda token: token.personal == (values[0] == 'true')
    raise _invalid('apiTokenSelector', f'Unsupported criterion {kind}(); use owner(), scope() or personalAccessToken().')


def parse_selector(text):
    """The predicates of an apiTokenSelector (all must match); a 400 when malformed."""
    predicates, position = [], 0
    while True:
        match = CRITERION.match(text, position)
        if not match:
            raise _invalid('apiTokenSelector', f'Expected owner(), scope() or personalAccessToken() at position {position}.')
        values, position = _values(text, match.end())
        predicates.append(_predicate(match.group(1), values))
        if position == len(text):
            return predicates
        if text[position] != ',':
            raise _invalid('apiTokenSelector', f'Expected a comma at position {position}.')
        position += 1
