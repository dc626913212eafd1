"""The environments, with the list call's sorting, filtering and cursor paging."""

import base64
import binascii
import json

from .errors import constraints_violated, violation
from .filters import parse_filter

SORTS = {
    'name': (lambda env: (env['name'], env['creationDate'], env['id']), False),
    '-name': (lambda env: (env['name'], env['creationDate'], env['id']), True),
    'creationDate': (lambda env: (env['creationDate'], env['id']), False),
    '-creationDate': (lambda env: (env['creationDate'], env['id']), True),
}
DEFAULT_SORT = 'creationDate'


def encode_cursor(query):
    """nextPageKey: opaque standard base64 (with + / =, so clients must URL-encode it)."""
    return base64.b64encode(json.dumps(query, separators=(',', ':')).encode()).decode()


def decode_cursor(key):
    """The query a nextPageKey carries; a 400 when it was not made by us."""
    try:
        query = json.loads(base64.b64decode(key, validate=True))
        if not isinstance(query, dict) or not isinstance(query.get('offset'), int):
            raise ValueError(key)
        return query
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise constraints_violated([violation('nextPageKey', 'Invalid nextPageKey.', 'QUERY')]) from error


class Store:
    """Environments by id, in creation order."""

    def __init__(self, environments=()):
        self.environments = {env['id']: env for env in environments}

    def get(self, env_id):
        return self.environments.get(env_id)

    def put(self, env):
        self.environments[env['id']] = env

    def delete(self, env_id):
        del self.environments[env_id]

    def all(self):
        return list(self.environments.values())

    def page(self, query):
        """(totalCount, environments, next query or None) for a query dict with filter, sort, pageSize, offset."""
        predicates = parse_filter(query['filter']) if query.get('filter') is not None else []
        matching = [env for env in self.environments.values() if all(check(env) for check in predicates)]
        key, reverse = SORTS[query.get('sort') or DEFAULT_SORT]
        matching.sort(key=key, reverse=reverse)
        start, size = query['offset'], query['pageSize']
        following = dict(query, offset=start + size) if start + size < len(matching) else None
        return len(matching), matching[start:start + size], following
