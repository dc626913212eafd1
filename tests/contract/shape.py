"""The shape of an answer, without its values: what a recording holds and how two recordings are compared.

A shape is the status, the content type, the header names that matter, every JSON key path with the types
of its values, and the error texts with ids, names and secrets replaced. No value of the cluster is kept:
strings of any answer seen in the run are replaced wherever they appear in an error text.
"""

import re

TOKEN = re.compile(r'dt0[a-z][0-9]{2}\.[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?')
UUID = re.compile(r'\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b')
NUMBER = re.compile(r'(?<![A-Za-z])-?\d{4,}')
POSITION = re.compile(r'line \d+ column \d+')  # where a parser stopped depends on the values sent
MAP_KEY = re.compile(r'^[A-Z][A-Z0-9_]*$')  # permission maps (accessRight): their keys are data, not schema
HEADERS = ('location', 'retry-after', 'x-ratelimit-reset', 'x-ratelimit-limit', 'x-ratelimit-remaining')
TYPES = ((bool, 'bool'), (int, 'int'), (float, 'float'), (str, 'str'), (list, 'list'), (dict, 'object'))


def type_name(value):
    if value is None:
        return 'null'
    return next(name for kind, name in TYPES if isinstance(value, kind))


def key_paths(value, path='$', found=None):
    """{key path: sorted types} of a JSON value; list items merge under `[]`, permission-map keys under `*`."""
    found = {} if found is None else found
    found.setdefault(path, set()).add(type_name(value))
    if isinstance(value, dict):
        as_map = bool(value) and all(MAP_KEY.match(key) for key in value)
        for key, item in value.items():
            key_paths(item, '%s.%s' % (path, '*' if as_map else key), found)
    elif isinstance(value, list):
        for item in value:
            key_paths(item, path + '[]', found)
    return found


def strings_in(value, found=None):
    """Every string (and number) value of a JSON value: what must never reach a recording. The error envelope's
    texts are left out: they are what is recorded (scrubbed of these values)."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key != 'error':
                strings_in(item, found)
    elif isinstance(value, list):
        for item in value:
            strings_in(item, found)
    elif isinstance(value, str) and len(value) >= 3:
        found.add(value)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        found.add(str(value))
    return found


def scrub(text, known):
    """`text` with tokens, known values (ids, names, tags, secrets of the run), UUIDs and long numbers replaced."""
    text = TOKEN.sub('<token>', str(text))
    for value in sorted((value for value in known if value), key=len, reverse=True):
        text = text.replace(value, '<value>')
    text = POSITION.sub('line <n> column <n>', text)
    return NUMBER.sub('<number>', UUID.sub('<uuid>', text))


def answer_shape(status, content_type, headers, body, text, known):
    """The recorded shape of one answer. `body` is the parsed JSON or None; `text` the raw body."""
    shape = {'status': status, 'content_type': (content_type or '').lower(),
             'headers': sorted(name for name in (key.lower() for key in headers) if name in HEADERS)}
    if body is None:
        shape['body'] = {'$': ['empty' if not text else 'text']}
        return shape
    shape['body'] = dict((path, sorted(types)) for path, types in sorted(key_paths(body).items()))
    error = body.get('error') if isinstance(body, dict) else None
    if isinstance(error, dict):
        shape['error'] = scrub(error.get('message', ''), known)
        shape['violations'] = sorted('%s: %s' % (scrub(item.get('path'), known), scrub(item.get('message'), known))
                                     for item in error.get('constraintViolations') or [] if isinstance(item, dict))
    return shape


def differences(recorded, answered):
    """What differs between a recording's probes and another run's: [] when the shapes agree.

    Key paths must be the same; a type seen as null on one side only is no difference (data, not schema).
    """
    found = []
    for name, want in sorted(recorded.items()):
        got = answered.get(name)
        if got is None:
            found.append('%s: not answered (%s)' % (name, 'skipped' if name in answered else 'missing'))
            continue
        for key in ('status', 'content_type', 'headers', 'error', 'violations'):
            if want.get(key) != got.get(key):
                found.append('%s: %s %r, recorded %r' % (name, key, got.get(key), want.get(key)))
        found.extend('%s: %s' % (name, line) for line in _body_differences(want['body'], got['body']))
    return found


def _body_differences(want, got):
    lines = ['key %s missing' % path for path in sorted(set(want) - set(got))]
    lines += ['key %s not recorded' % path for path in sorted(set(got) - set(want))]
    for path in sorted(set(want) & set(got)):
        left, right = set(want[path]) - {'null'}, set(got[path]) - {'null'}
        if left and right and left != right:
            lines.append('key %s has types %s, recorded %s' % (path, sorted(right), sorted(left)))
    return lines
