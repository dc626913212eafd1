"""Run a module's main() in-process with stubbed API calls, the way community.hashi_vault's module tests do.

The module, its argument spec, _module.run() and the module's logic run unchanged; only the functions of
the _api_*.py layer are replaced (FakeEnvironmentsApi, FakeClusterApi), so no request leaves the process.
The integration tests run the same modules through ansible-playbook against the emulator.
"""

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import cluster as _api_cluster
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError

TOKEN = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'S' * 64
CONNECTION = dict(url='https://dt.example.com', api_token=TOKEN)


class ModuleExit(Exception):
    """exit_json or fail_json was called; `result` holds what the module returned."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def run_main(monkeypatch, module, args, check_mode=False):
    """Run `module.main()` with `args` (plus the connection options); return (result, warnings)."""
    warnings = []

    def exit_json(self, **result):
        raise ModuleExit(dict(dict(failed=False), **result))  # a result may fail through exit_json (failed=True)

    def fail_json(self, msg, **result):
        raise ModuleExit(dict(result, msg=msg, failed=True))

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    module_args = dict(CONNECTION, **args)
    if check_mode:
        module_args['_ansible_check_mode'] = True
    with patch_module_args(module_args):
        with pytest.raises(ModuleExit) as caught:
            module.main()
    return caught.value.result, warnings


def environment(name, env_id=None, state='ENABLED', trial=False, tags=(), **fields):
    """An environment in the API shape, as GET /environments/{id} answers it."""
    return dict(dict(id=env_id or name.lower(), name=name, state=state, trial=trial, tags=list(tags),
                     creationDate='2021-02-09T11:03:17.732Z'), **fields)


class FakeEnvironmentsApi:
    """Stands in for _api_environments: environments in a list, every call recorded in `calls`.

    `error` is raised by every read; `lost_posts` lists what each POST does: 'ok', 'lost-created'
    or 'lost-not-created' (the answer is lost with ResponseLostError). A PUT of one of `refused_ids`
    is refused as a cluster refuses the id of a deleted environment; `appear_before_put` are stored
    just before the next PUT acts (a concurrent run's create); the ids of `vanish_before_put` are deleted just before
    the next PUT acts (another job's delete); `put_error` is raised by every PUT.
    """

    def __init__(self, environments=(), error=None, lost_posts=(), refused_ids=(), appear_before_put=(),
                 put_error=None, vanish_before_put=()):
        self.environments = [dict(item) for item in environments]
        self.error = error
        self.lost_posts = list(lost_posts)
        self.refused_ids = set(refused_ids)
        self.appear_before_put = [dict(item) for item in appear_before_put]
        self.put_error = put_error
        self.vanish_before_put = set(vanish_before_put)
        self.calls = []

    def install(self, monkeypatch):
        for name in ('iter_environment_pages', 'list_environments', 'get_environment', 'create_environment',
                     'put_environment', 'delete_environment'):
            monkeypatch.setattr(_api_environments, name, getattr(self, name))
        return self

    def _read(self, call):
        self.calls.append(call)
        if self.error:
            raise self.error

    def iter_environment_pages(self, client, page_size=1000, **query):
        self._read(('list', dict(query, page_size=page_size)))
        for start in range(0, max(len(self.environments), 1), page_size):
            yield {'environments': [dict(item) for item in self.environments[start:start + page_size]]}

    def list_environments(self, client, **query):
        self._read(('list', query))
        return [dict(item) for item in self.environments], len(self.environments)

    def get_environment(self, client, environment_id, include_consumption=False, include_storage=False,
                        uncached_consumption=False):
        flags = dict(include_consumption=include_consumption, include_storage=include_storage,
                     uncached_consumption=uncached_consumption)
        self._read(('get', environment_id, flags))
        found = [item for item in self.environments if item['id'] == environment_id]
        return dict(found[0]) if found else None

    def create_environment(self, client, body, create_token):
        self.calls.append(('post', body, create_token))
        environment_id = 'id%d' % len([call for call in self.calls if call[0] == 'post'])
        outcome = self.lost_posts.pop(0) if self.lost_posts else 'ok'
        if outcome != 'lost-not-created':
            self.environments.append(dict(body, id=environment_id))
        if outcome.startswith('lost'):
            raise ResponseLostError('no answer', method='POST', path=_api_environments.ENVIRONMENTS_PATH)
        return environment_id, 'dt0c01.NEWTOKENPUBLICPART00000.' + 'N' * 64 if create_token else None

    def put_environment(self, client, environment_id, body, create_token=False):
        self.calls.append(('put', environment_id, body, create_token))
        self.environments.extend(self.appear_before_put)
        self.appear_before_put = []
        self.environments = [item for item in self.environments if item['id'] not in self.vanish_before_put]
        self.vanish_before_put = set()
        if self.put_error:
            raise self.put_error
        if environment_id in self.refused_ids:
            raise DynatraceError('Constraints violated.', status=400, method='PUT',
                                 path=_api_environments.environment_path(environment_id),
                                 violations=[('id', 'must not be the ID of a deleted environment')])
        existing = [item for item in self.environments if item['id'] == environment_id]
        if existing:
            existing[0].update(body)
            return False, None
        self.environments.append(dict(body, id=environment_id))
        return True, 'dt0c01.NEWTOKENPUBLICPART00000.' + 'N' * 64 if create_token else None

    def delete_environment(self, client, environment_id):
        self.calls.append(('delete', environment_id))
        before = len(self.environments)
        self.environments = [item for item in self.environments if item['id'] != environment_id]
        return len(self.environments) < before


class FakeClusterApi:
    """Stands in for _api_cluster: fixed answers, every call recorded in `calls` as (call, token, *arguments).

    `token` is the token of the client the call used (StubClient.token, or the Authorization header of a
    DynatraceClient), so tests see which kind of token each call was sent with. `errors` maps a call name
    ('product_version', 'version', 'time', 'nodes') to the DynatraceError it raises.
    """

    def __init__(self, version='1.236.0.20220203-192004', cluster_ms=1643916004123, local_ms=1643916000000, nodes=None,
                 date_ms=1643916004000, errors=None):
        self.version, self.cluster_ms, self.local_ms, self.date_ms = version, cluster_ms, local_ms, date_ms
        self.nodes = nodes or [{'id': 1, 'clusterMemberAddress': '10.0.0.1', 'operationState': 'RUNNING',
                                'buildVersion': '1.236'}]
        self.errors = dict(errors or {})
        self.calls = []

    def install(self, monkeypatch):
        for name in ('get_product_version', 'get_cluster_version', 'get_cluster_time', 'get_cluster_nodes'):
            monkeypatch.setattr(_api_cluster, name, getattr(self, name))
        return self

    def _call(self, name, client, *args):
        token = getattr(client, 'token', None) or client.session.headers['Authorization'].split(' ', 1)[1]
        self.calls.append((name, token) + args)
        if name in self.errors:
            raise self.errors[name]

    def get_product_version(self, client):
        self._call('product_version', client)
        return self.version, self.date_ms, self.local_ms

    def get_cluster_version(self, client, environment_id=None):
        self._call('version', client, environment_id)
        return self.version

    def get_cluster_time(self, client, environment_id=None):
        self._call('time', client, environment_id)
        return self.cluster_ms, self.local_ms

    def get_cluster_nodes(self, client):
        self._call('nodes', client)
        return self.nodes


class StubClient:
    """A client for logic called directly: the fake APIs use only url_environment_id, token and with_token."""

    def __init__(self, url_environment_id=None, token='cluster-token'):
        self.url_environment_id = url_environment_id
        self.token = token

    def with_token(self, token):
        # Like DynatraceClient.with_token: the new client knows the cluster address, not a pasted /e/<id>.
        return StubClient(None, token)


__all__ = ('DynatraceError', 'FakeClusterApi', 'FakeEnvironmentsApi', 'StubClient', 'environment', 'run_main')
