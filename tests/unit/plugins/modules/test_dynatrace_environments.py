"""Unit tests of dynatrace_environments: main() in-process, the API stubbed, every call counted.

The calls of each path are those the module documentation's "Requests" promises. tests/integration/
test_dynatrace_environments.py runs the module through ansible-playbook against the emulator.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environments as module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import FakeEnvironmentsApi, environment, run_main
from tests.unit.plugins.modules.test_dynatrace_api_token import FakeTokensApi

PAAS = dict(name='paas', scopes=['InstallerDownload'])


class TokensPerEnvironment(FakeTokensApi):
    """FakeTokensApi with the tokens of each environment apart."""

    def __init__(self):
        super().__init__()
        self.by_environment = {}

    def list_api_tokens(self, client, environment_id, fields):
        self.tokens = self.by_environment.setdefault(environment_id, [])
        return super().list_api_tokens(client, environment_id, fields)


def fakes(monkeypatch, environments=(), groups=(), **options):
    return (FakeEnvironmentsApi(environments, **options).install(monkeypatch),
            TokensPerEnvironment().install(monkeypatch), FakeGroupsApi(groups).install(monkeypatch))


def kinds(api):
    return [(call[0],) if call[0] in ('list', 'post') else (call[0], call[1]) for call in api.calls]


def test_steady_state_is_the_one_listing_whatever_the_number_of_items(monkeypatch):
    existing = [environment('team-%d' % number, 'e%d' % number, tags=['t']) for number in range(20)]
    environments, tokens, groups = fakes(monkeypatch, existing)
    items = [dict(name=env['name'], tags=['t']) for env in existing]
    result, warnings = run_main(monkeypatch, module, dict(environments=items))
    assert kinds(environments) == [('list',)] and tokens.calls == [] and groups.calls == []
    assert result['changed'] is False and not result['failed'] and warnings == []
    assert result['created'] == {} and result['created_by_id'] == {} and result['failures'] == {}


def test_onboarding_creates_each_environment_its_tokens_and_grants_with_the_fewest_calls(monkeypatch):
    environments, tokens, groups = fakes(monkeypatch)
    items = [dict(name=name, api_tokens=[PAAS], permissions={'viewers': ['VIEWER']}) for name in ('a', 'b')]
    result, dummy = run_main(monkeypatch, module, dict(environments=items, parallel=1))
    ids = [creation_id('a'), creation_id('b')]
    # One listing, one PUT per environment; its creation answer's token lists and creates the API token (no mint).
    assert kinds(environments) == [('list',), ('put', ids[0]), ('put', ids[1])]
    assert tokens.names() == ['list', 'post', 'list', 'post']
    # One groups listing, one POST of the group with both environments.
    assert groups.kinds() == ['list', 'post'] and sorted(groups.calls[1][1]['accessRight']['VIEWER']) == sorted(ids)
    assert result['changed'] is True and sorted(result['created']) == ['a', 'b']
    assert result['created_by_id'][ids[0]]['name'] == 'a' and result['created_by_id'][ids[0]]['token_management_token']
    assert sorted(result['api_tokens_created_by_id']) == sorted(ids)
    handoff = result['oneagent_handoff_by_id'][ids[1]]
    assert handoff['name'] == 'b' and handoff['oneagent_paas_token'].startswith('dt0c01.')
    assert handoff['oneagent_environment_url'] == 'https://dt.example.com/e/%s' % ids[1]


def test_check_mode_with_diff_reads_only_and_shows_one_diff_per_item(monkeypatch):
    environments, tokens, groups = fakes(monkeypatch, [environment('kept', 'e1', tags=['old'])])
    items = [dict(name='new'), dict(name='kept', tags=['new'])]
    result, dummy = run_main(monkeypatch, module, dict(environments=items, update_existing=True), check_mode=True)
    assert kinds(environments) == [('list',)] and tokens.calls == [] and groups.calls == []
    assert [(diff['before_header'], diff['before']) for diff in result['diff']] == [('new', {}), ('kept', {'tags': ['old']})]
    assert result['changed'] is True and list(result['created']) == ['new']


def test_a_refused_item_is_named_with_its_reason_and_the_others_run(monkeypatch):
    environments, dummy, dummy2 = fakes(monkeypatch, [environment('team-b', 'e1')])
    items = [dict(name='ok'), dict(name='team-a', environment_id='e1')]
    result, dummy = run_main(monkeypatch, module, dict(environments=items))
    assert result['failed'] is True and '1 of 2 environments failed' in result['msg']
    assert list(result['failures']) == ['team-a'] and 'do not agree' in result['failures']['team-a']
    assert kinds(environments) == [('list',), ('put', creation_id('ok'))]
    assert result['outcomes'][0]['changed'] is True and result['outcomes'][1]['failed'] is True


def test_items_meeting_on_one_environment_stop_the_run_before_any_write(monkeypatch):
    environments, dummy, dummy2 = fakes(monkeypatch, [environment('team', 'e1')])
    items = [dict(environment_id='e1', tags=['x'], update_existing=True), dict(name='team', state='absent')]
    result, dummy = run_main(monkeypatch, module, dict(environments=items))
    assert result['failed'] is True and kinds(environments) == [('list',)]
    assert 'environments[0] (e1) and environments[1] (team) both target environment e1' in result['msg']


def test_rename_without_an_environment_id_fails_before_any_call(monkeypatch):
    environments, dummy, dummy2 = fakes(monkeypatch, [environment('a', 'e1')])
    result, dummy = run_main(monkeypatch, module, dict(environments=[dict(name='a', rename=True)], list_name='my_list'))
    assert result['failed'] is True and environments.calls == []
    assert 'my_list[0] (a): rename: true needs environment_id' in result['msg']


def test_an_update_racing_a_delete_fails_its_item_and_leaves_nothing(monkeypatch):
    environments, dummy, dummy2 = fakes(monkeypatch, [environment('team', 'e1')], vanish_before_put=['e1'])
    result, dummy = run_main(monkeypatch, module, dict(environments=[dict(name='team', tags=['x'])], update_existing=True))
    assert result['failed'] is True and 'was deleted while this task ran' in result['failures']['team']
    assert kinds(environments) == [('list',), ('put', 'e1'), ('put', 'e1'), ('delete', 'e1')]
    assert environments.environments == [] and result['created'] == {}


def test_namesakes_are_both_reported_by_id_and_told_apart_by_name(monkeypatch):
    fakes(monkeypatch)
    items = [dict(name='twin', environment_id='t1', allow_duplicate_name=True, api_tokens=[PAAS]),
             dict(name='twin', environment_id='t2', allow_duplicate_name=True, api_tokens=[PAAS])]
    result, dummy = run_main(monkeypatch, module, dict(environments=items, parallel=1))
    assert sorted(result['created_by_id']) == ['t1', 't2'] and sorted(result['oneagent_handoff_by_id']) == ['t1', 't2']
    assert sorted(result['created']) == ['twin (t1)', 'twin (t2)']
    assert sorted(result['api_tokens_created']) == ['twin (t1)', 'twin (t2)']


def test_an_unexpected_error_of_an_item_is_reported_without_a_token_it_quotes(monkeypatch):
    fakes(monkeypatch)
    secret = 'dt0c01.QUOTEDQUOTEDQUOTEDQUOTED0.' + 'Q' * 64

    def broken_put(client, environment_id, body, create_token=False):
        raise ValueError('unexpected answer %s' % secret)
    monkeypatch.setattr(_api_environments, 'put_environment', broken_put)
    result, dummy = run_main(monkeypatch, module, dict(environments=[dict(name='a')]))
    assert 'ValueError: unexpected answer dt0c01.QUOTEDQUOTEDQUOTEDQUOTED0' in result['failures']['a']
    assert 'Q' * 64 not in result['failures']['a'] and 'Q' * 64 not in result['msg']
