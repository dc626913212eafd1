"""The environments, with the list call's sorting, filtering and keyset paging."""

from .cursor import keyset_page
from .filters import parse_filter

SORTS = {
    'name': (lambda env: (env['name'], env['creationDate'], env['id']), False),
    '-name': (lambda env: (env['name'], env['creationDate'], env['id']), True),
    'creationDate': (lambda env: (env['creationDate'], env['id']), False),
    '-creationDate': (lambda env: (env['creationDate'], env['id']), True),
}
DEFAULT_SORT = 'creationDate'


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

    def page(self, query, loose_tags=False):
        """(totalCount, environments, key of the last one or None) for a query with filter, sort, pageSize, after."""
        predicates = parse_filter(query['filter'], loose_tags) if query.get('filter') is not None else []
        matching = [env for env in self.environments.values() if all(check(env) for check in predicates)]
        key, reverse = SORTS[query.get('sort') or DEFAULT_SORT]
        page, last = keyset_page(matching, key, reverse, query.get('after'), query['pageSize'])
        return len(matching), page, last
