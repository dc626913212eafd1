"""Unit tests of dynatrace_api_token and dynatrace_api_token_info, request by request.

main() runs in-process (harness.run_main); the API layer is stubbed: FakeEnvironmentsApi for the environment
lookup, FakeTokensApi below for the mint, the token calls and the cluster token deletion. tests/integration runs
the modules against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as _api_tokens
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_api_token as module
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_api_token_info as info_module
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, ResponseLostError, run_main

MINTED = 'dt0c01.MINTEDPUBLICPART0000000.' + 'M' * 64
MINTED_ID = 'dt0c01.MINTEDPUBLICPART0000000'
TASK = dict(environment_name='team', name='paas', scopes=['InstallerDownload'])


def api_token(token_id, name, scopes=('InstallerDownload',), **fields):
    return dict(dict(id=token_id, name=name, enabled=True, owner='admin', creationDate='2026-01-01T00:00:00.000Z',
                     scopes=list(scopes)), **fields)


class FakeTokensApi:
    """Tokens of one environment in a list; every call recorded in `calls`.

    `posts` lists what each POST does: 'ok', 'lost-created', 'lost-not-created', or an exception to raise.
    `cluster_delete` is what deleting the minted token answers: True, False (404) or an exception.
    """

    def __init__(self, tokens=(), posts=(), cluster_delete=True, fail_delete=None):
        self.tokens = [dict(token) for token in tokens]
        self.posts = list(posts)
        self.cluster_delete = cluster_delete
        self.fail_delete = fail_delete
        self.calls = []

    def install(self, monkeypatch):
        monkeypatch.setattr(_api_environments, 'mint_token_management_token', self.mint)
        for name in ('list_api_tokens', 'create_api_token', 'update_api_token', 'delete_api_token',
                     'delete_cluster_token'):
            monkeypatch.setattr(_api_tokens, name, getattr(self, name))
        return self

    def names(self):
        return [call[0] for call in self.calls]

    def mint(self, client, environment_id, name, seconds):
        self.calls.append(('mint', environment_id, name, seconds))
        self.tokens.append(api_token(MINTED_ID, name, scopes=('apiTokens.read', 'apiTokens.write')))
        return MINTED, MINTED_ID

    def list_api_tokens(self, client, environment_id, fields):
        self.calls.append(('list', environment_id))
        return [dict(token) for token in self.tokens]

    def create_api_token(self, client, environment_id, body):
        self.calls.append(('post', body))
        outcome = self.posts.pop(0) if self.posts else 'ok'
        if isinstance(outcome, Exception):
            raise outcome  # pylint: disable=raising-bad-type
        token_id = 'dt0c01.NEW%021d' % len(self.calls)
        if outcome != 'lost-not-created':
            self.tokens.append(api_token(token_id, body['name'], body['scopes']))
        if outcome.startswith('lost'):
            raise ResponseLostError('no answer', method='POST', path='/e/x/api/v2/apiTokens')
        return dict(id=token_id, token=token_id + '.' + 'N' * 64)

    def update_api_token(self, client, environment_id, token_id, scopes=None, enabled=None):
        self.calls.append(('put', token_id, scopes, enabled))

    def delete_api_token(self, client, environment_id, token_id):
        self.calls.append(('delete', token_id))
        if self.fail_delete == token_id:
            raise DynatraceError('refused', status=500, method='DELETE', path='/e/x')
        self.tokens = [token for token in self.tokens if token['id'] != token_id]
        return True

    def delete_cluster_token(self, client, token_id):
        self.calls.append(('cluster-delete', token_id))
        if isinstance(self.cluster_delete, Exception):
            raise self.cluster_delete
        return self.cluster_delete


@pytest.fixture
def envs(monkeypatch):
    return FakeEnvironmentsApi([{'id': 'env1', 'name': 'team'}]).install(monkeypatch)


def run(monkeypatch, tokens_api, check_mode=False, **args):
    tokens_api.install(monkeypatch)
    return run_main(monkeypatch, module, dict(TASK, **args), check_mode)


def test_creation_mints_then_deletes_the_minted_token(monkeypatch, envs):
    tokens = FakeTokensApi()
    result, warnings = run(monkeypatch, tokens)
    assert result['changed'] is True and result['token'].endswith('N' * 64), result
    assert tokens.names() == ['mint', 'list', 'post', 'cluster-delete'] and warnings == []
    assert tokens.calls[0][2].startswith('clusterops.dynatrace dynatrace_api_token ') and tokens.calls[0][3] == 600
    assert result['minted_token_management_token']['deleted'] is True
    assert result['environment_url'] == 'https://dt.example.com/e/env1'


def test_given_token_management_token_mints_nothing(monkeypatch, envs):
    tokens = FakeTokensApi()
    result, dummy = run(monkeypatch, tokens, token_management_token=MINTED)
    assert tokens.names() == ['list', 'post'] and 'minted_token_management_token' not in result


def test_the_minted_token_is_deleted_when_the_task_fails(monkeypatch, envs):
    tokens = FakeTokensApi(posts=[DynatraceError('boom', status=500, method='POST', path='/e/env1/api/v2/apiTokens')])
    result, dummy = run(monkeypatch, tokens)
    assert result['failed'] is True and 'boom' in result['msg']
    assert tokens.names()[-1] == 'cluster-delete'


def test_the_minted_token_is_deleted_when_the_logic_breaks(monkeypatch, envs):
    """Not only Dynatrace errors: any exception in the block still deletes the minted token."""
    tokens = FakeTokensApi(posts=[RuntimeError('a bug')])
    tokens.install(monkeypatch)
    with pytest.raises(RuntimeError):
        run_main(monkeypatch, module, dict(TASK))
    assert tokens.names()[-1] == 'cluster-delete'


@pytest.mark.parametrize('answer, reason', [
    (False, 'HTTP 404'),
    (DynatraceError('Token is missing required scope', status=403, method='DELETE', path='/api/cluster/v2/tokens/x'),
     'HTTP 403'),
])
def test_a_minted_token_the_cluster_cannot_delete_is_reported(monkeypatch, envs, answer, reason):
    tokens = FakeTokensApi(cluster_delete=answer)
    result, warnings = run(monkeypatch, tokens)
    assert result['changed'] is True and result['minted_token_management_token']['deleted'] is False
    (warning,) = warnings
    assert MINTED_ID in warning and reason in warning and 'M' * 64 not in warning


def test_existing_token_with_the_same_scopes_changes_nothing_and_says_why(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.OLD', 'paas')])
    result, dummy = run(monkeypatch, tokens)
    assert result['changed'] is False and 'token' not in result and 'cannot be read again' in result['msg']
    assert tokens.names() == ['mint', 'list', 'cluster-delete']


def test_scope_drift_is_reported_then_updated_in_place(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.OLD', 'paas', enabled=False)])
    result, dummy = run(monkeypatch, tokens, scopes=['DataExport'])
    assert result['changed'] is False and sorted(result['drift']) == ['enabled', 'scopes']
    assert 'put' not in tokens.names()
    result, dummy = run(monkeypatch, tokens, scopes=['DataExport'], update_existing=True)
    assert result['changed'] is True and ('put', 'dt0c01.OLD', ['DataExport'], True) in tokens.calls
    assert 'token' not in result


def test_rotation_creates_before_it_deletes(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.OLD', 'paas')])
    result, dummy = run(monkeypatch, tokens, rotate=True)
    inside = [call for call in tokens.calls if call[0] in ('post', 'delete')]
    assert [call[0] for call in inside] == ['post', 'delete'] and inside[1] == ('delete', 'dt0c01.OLD')
    assert result['replaced_token_id'] == 'dt0c01.OLD' and result['token']


def test_rotation_whose_old_token_cannot_be_deleted_still_returns_the_new_secret(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.OLD', 'paas')], fail_delete='dt0c01.OLD')
    result, warnings = run(monkeypatch, tokens, rotate=True)
    assert result['failed'] is False and result['token'] and 'dt0c01.OLD' in warnings[0]


def test_lost_answer_of_a_create_that_happened_deletes_it_and_sends_again(monkeypatch, envs):
    tokens = FakeTokensApi(posts=['lost-created', 'ok'])
    result, warnings = run(monkeypatch, tokens)
    assert tokens.names() == ['mint', 'list', 'post', 'list', 'delete', 'post', 'cluster-delete']
    assert [t['name'] for t in tokens.tokens if t['name'] == 'paas'] == ['paas']
    assert result['token'] and 'secret was lost' in warnings[0]


def test_lost_answer_of_a_create_that_did_not_happen_sends_again(monkeypatch, envs):
    tokens = FakeTokensApi(posts=['lost-not-created', 'ok'])
    result, warnings = run(monkeypatch, tokens)
    assert tokens.names() == ['mint', 'list', 'post', 'list', 'post', 'cluster-delete'] and warnings == []


def test_every_answer_lost_leaves_no_token_behind(monkeypatch, envs):
    tokens = FakeTokensApi(posts=['lost-created', 'lost-created'])
    result, dummy = run(monkeypatch, tokens)
    assert result['failed'] is True and 'sent 2 times' in result['msg']
    assert not [t for t in tokens.tokens if t['name'] == 'paas'] and tokens.names()[-1] == 'cluster-delete'


def test_two_new_tokens_after_a_lost_answer_fail_listing_them(monkeypatch, envs):
    tokens = FakeTokensApi(posts=['lost-created'])
    original = tokens.create_api_token

    def racing_create(client, environment_id, body):
        tokens.tokens.append(api_token('dt0c01.RACE', 'paas'))  # another run, at the same moment
        return original(client, environment_id, body)
    tokens.install(monkeypatch)
    monkeypatch.setattr(_api_tokens, 'create_api_token', racing_create)
    result, dummy = run_main(monkeypatch, module, dict(TASK))
    assert result['failed'] is True and 'dt0c01.RACE' in result['msg'] and 'delete' not in tokens.names()


def test_two_tokens_of_one_name_fail_before_any_write(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.A', 'paas'), api_token('dt0c01.B', 'paas')])
    result, dummy = run(monkeypatch, tokens, state='absent')
    assert result['failed'] is True and 'dt0c01.A, dt0c01.B' in result['msg']
    assert tokens.names() == ['mint', 'list', 'cluster-delete']


def test_check_mode_writes_nothing_inside_the_environment(monkeypatch, envs):
    """Not even a mint: without token_management_token the outcome is unknown, and said so."""
    for args in (dict(), dict(rotate=True), dict(state='absent'), dict(update_existing=True, scopes=['DataExport'])):
        tokens = FakeTokensApi([api_token('dt0c01.OLD', 'paas')] if args else [])
        result, dummy = run(monkeypatch, tokens, check_mode=True, **args)
        assert result['changed'] is False and result['unknown'] is True and 'token' not in result, (args, result)
        assert 'cannot tell' in result['msg'] and 'token_management_token' in result['msg']
        assert tokens.names() == [], args


def test_expired_leftovers_of_earlier_mints_are_deleted_but_not_in_check_mode(monkeypatch, envs):
    leftover = api_token('dt0c01.LEFT', 'clusterops.dynatrace dynatrace_api_token 2025-12-31T23:00:00Z',
                         expirationDate='2025-12-31T23:10:00.000Z')
    alive = api_token('dt0c01.ALIVE', 'clusterops.dynatrace dynatrace_api_token 2026-01-01T00:00:00Z',
                      expirationDate='2026-01-01T00:10:00.000Z')
    tokens = FakeTokensApi([leftover, alive])
    result, dummy = run(monkeypatch, tokens, check_mode=True)
    assert tokens.names() == []
    result, dummy = run(monkeypatch, tokens)
    assert result['expired_minted_tokens_deleted'] == ['dt0c01.LEFT'] and ('delete', 'dt0c01.ALIVE') not in tokens.calls


def test_unknown_environment_fails_before_the_mint(monkeypatch, envs):
    tokens = FakeTokensApi()
    result, dummy = run(monkeypatch, tokens, environment_name='nobody')
    assert result['failed'] is True and "environment_name 'nobody'" in result['msg'] and tokens.calls == []


def test_bad_input_fails_before_any_call(monkeypatch, envs):
    tokens = FakeTokensApi()
    result, dummy = run(monkeypatch, tokens, scopes=['PaaSIntegration'], expiration='yesterday', name=' ')
    assert result['failed'] is True and len(result['errors']) == 3
    assert tokens.calls == [] and envs.calls == []


def test_info_lists_metadata_without_the_minted_token(monkeypatch, envs):
    tokens = FakeTokensApi([api_token('dt0c01.A', 'paas', expirationDate='2020-01-01T00:00:00.000Z'),
                            api_token('dt0c01.B', 'ingest')])
    result, dummy = run_info(monkeypatch, tokens)
    assert [t['id'] for t in result['api_tokens']] == ['dt0c01.A', 'dt0c01.B']
    assert result['api_tokens'][0]['expired'] is True and result['api_tokens'][0]['creation_date']
    assert tokens.names() == ['mint', 'list', 'cluster-delete']
    result, dummy = run_info(monkeypatch, tokens, name='ingest')
    assert [t['id'] for t in result['api_tokens']] == ['dt0c01.B']


def run_info(monkeypatch, tokens_api, **args):
    tokens_api.install(monkeypatch)
    return run_main(monkeypatch, info_module, dict(dict(environment_name='team'), **args))


def test_a_minted_token_without_an_id_is_never_shown_and_is_reported(monkeypatch, envs):
    tokens = FakeTokensApi()
    tokens.install(monkeypatch)

    def mint_old_format(client, environment_id, name, seconds):
        tokens.calls.append(('mint', environment_id, name, seconds))
        tokens.tokens.append(api_token('6a8b4c2e-uuid', name, scopes=('apiTokens.read', 'apiTokens.write')))
        return 'OLDFORMATSECRET12345678', None
    monkeypatch.setattr(_api_environments, 'mint_token_management_token', mint_old_format)
    result, warnings = run_main(monkeypatch, module, dict(TASK))
    assert result['changed'] is True and 'cluster-delete' not in tokens.names()
    assert result['minted_token_management_token']['id'] is None and 'no id' in warnings[0]
    assert 'OLDFORMATSECRET' not in repr(result) + repr(warnings)
    left_behind = tokens.calls[0][2]
    result, dummy = run_main(monkeypatch, info_module, dict(environment_name='team'))
    # The info task's own minted token is left out by its name; the one the first task left behind is listed.
    assert [t['name'] for t in result['api_tokens']] == [left_behind, 'paas']
    assert tokens.calls[-2][2].startswith('clusterops.dynatrace dynatrace_api_token_info ')
