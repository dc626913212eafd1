"""Unit tests of dynatrace_user_group and the bulk grant_all (one shared decision): call by call, races and lost answers.

The API layer is stubbed (groups_fakes.FakeGroupsApi, harness.FakeEnvironmentsApi); tests/integration runs the
module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.grants import grant_all
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user_group as module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import FakeEnvironmentsApi, StubClient, environment, run_main

ENVS = [environment('prod', env_id='p1'), environment('dev', env_id='d1')]
TEAM = {'id': 'g1', 'name': 'team', 'isClusterAdminGroup': False, 'ldapGroupNames': ['cn=team'], 'ssoGroupNames': [],
        'hasManageAccountAndViewProductUsageRole': True,
        'accessRight': {'VIEWER': ['p1'], 'MANAGE_SETTINGS': ['p1'], 'VIEW_SECURITY_PROBLEMS': ['p1']}}
GRANT_DEV = [dict(environment='dev', permissions=['LOG_VIEWER'])]


def install(monkeypatch, groups=(), **fakes):
    return FakeEnvironmentsApi(ENVS).install(monkeypatch), FakeGroupsApi(groups, **fakes).install(monkeypatch)


def run(monkeypatch, check_mode=False, **args):
    return run_main(monkeypatch, module, args, check_mode=check_mode)


def test_create_reads_the_environments_once_then_the_groups_then_posts(monkeypatch):
    envs, groups = install(monkeypatch)
    result, warnings = run(monkeypatch, name='new', permissions=GRANT_DEV + [dict(environment='p1', permissions=['VIEWER'])])
    assert result['changed'] is True and warnings == []
    assert [call[0] for call in envs.calls] == ['list'] and groups.kinds() == ['list', 'post']
    assert groups.calls[1][1]['accessRight'] == {'LOG_VIEWER': ['d1'], 'VIEWER': ['d1', 'p1']}
    assert result['group_id'] == 'new0' and result['diff']['after']['permissions'] == {
        'dev': ['VIEWER', 'LOG_VIEWER'], 'prod': ['VIEWER']}


def test_steady_state_writes_nothing(monkeypatch):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, name='team', permissions=[dict(environment='prod', permissions=['MANAGE_SETTINGS'])])
    assert result['changed'] is False and groups.kinds() == ['list'] and 'diff' not in result
    assert result['group']['permissions'] == [
        {'environment': 'prod', 'permissions': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS']}]


def test_update_sends_the_whole_group_with_its_roles(monkeypatch):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, name='team', permissions=GRANT_DEV)
    assert result['changed'] is True and groups.kinds() == ['list', 'put']
    body = groups.calls[1][1]
    assert body['id'] == 'g1' and body['isManageAccount'] is True and body['ldapGroupNames'] == ['cn=team']
    assert body['accessRight']['MANAGE_SETTINGS'] == ['p1'] and body['accessRight']['LOG_VIEWER'] == ['d1']


def test_check_mode_reads_only(monkeypatch):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, check_mode=True, name='team', permissions=GRANT_DEV)
    assert result['changed'] is True and groups.kinds() == ['list']
    result, dummy = run(monkeypatch, check_mode=True, name='team', state='absent')
    assert result['changed'] is True and groups.kinds() == ['list', 'list']


def test_without_permissions_and_a_group_that_holds_none_the_environments_are_not_read(monkeypatch):
    envs, groups = install(monkeypatch, [dict(TEAM, accessRight={})])
    result, dummy = run(monkeypatch, name='team', ldap_group_names=['cn=team'])
    assert result['changed'] is False and envs.calls == []


def test_a_race_on_create_adopts_the_group_and_updates_it(monkeypatch):
    other = dict(TEAM, id='g9', name='new')
    envs, groups = install(monkeypatch, posts=['race'], race_group=other)
    result, warnings = run(monkeypatch, name='new', permissions=GRANT_DEV)
    assert groups.kinds() == ['list', 'post', 'list', 'put'] and len(groups.groups) == 1
    assert result['group_id'] == 'g9' and 'adopted' in warnings[0]
    assert groups.calls[3][1]['accessRight']['MANAGE_SETTINGS'] == ['p1']


def test_a_race_on_create_of_a_group_without_permissions_names_its_environments(monkeypatch):
    envs, groups = install(monkeypatch, posts=['race'], race_group=dict(TEAM, name='new'))
    result, dummy = run(monkeypatch, name='new', sso_group_names=['s'])
    assert [call[0] for call in envs.calls] == ['list'] and result['group']['permissions'][0]['environment'] == 'prod'


def test_a_406_without_a_group_of_that_name_fails(monkeypatch):
    envs, groups = install(monkeypatch, posts=['taken'])
    result, dummy = run(monkeypatch, name='new', permissions=GRANT_DEV)
    assert result['failed'] is True and 'no group of that name exists' in result['msg']
    assert groups.kinds() == ['list', 'post', 'list']


@pytest.mark.parametrize('posts, kinds', [
    (['lost-created'], ['list', 'post', 'list']),  # it worked: adopted, and it already holds the permissions
    (['lost-not-created', 'ok'], ['list', 'post', 'list', 'post']),
    (['empty'], ['list', 'post', 'list']),
])
def test_lost_or_empty_create_answers_never_duplicate(monkeypatch, posts, kinds):
    envs, groups = install(monkeypatch, posts=posts)
    result, dummy = run(monkeypatch, name='new', permissions=GRANT_DEV)
    assert result['changed'] is True and groups.kinds() == kinds and len(groups.groups) == 1
    assert result['group_id'] == groups.groups[0]['id']


def test_every_create_answer_lost_and_nothing_created_fails_after_two(monkeypatch):
    envs, groups = install(monkeypatch, posts=['lost-not-created', 'lost-not-created'])
    result, dummy = run(monkeypatch, name='new', permissions=GRANT_DEV)
    assert result['failed'] is True and groups.kinds() == ['list', 'post', 'list', 'post', 'list']


def test_absent_deletes_by_id(monkeypatch):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, name='team', state='absent')
    assert result['changed'] is True and groups.kinds() == ['list', 'delete'] and envs.calls == []


@pytest.mark.parametrize('args', [
    dict(name='team', permissions=[dict(environment='prod', permissions=['root'])]),
    dict(name='team', state='absent', ldap_group_names=['x']),
    dict(name=''),
])
def test_bad_input_fails_before_any_call(monkeypatch, args):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, **args)
    assert result['failed'] is True and envs.calls == [] and groups.calls == []


def test_unknown_environment_fails_after_the_listing_only(monkeypatch):
    envs, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, name='team', permissions=[dict(environment='qa', permissions=['VIEWER'])])
    assert result['failed'] is True and "'qa' does not exist" in result['msg'] and groups.calls == []


def test_argument_spec_leaves_permission_names_to_the_model_and_the_cluster():
    entry = module.argument_spec()['permissions']['options']
    assert 'choices' not in entry['permissions']


# ------------------------------------------------------------------------------------------------
# grant_all: the bulk path, the same decision

def test_grant_all_adopts_a_group_created_meanwhile(monkeypatch):
    dummy, groups = install(monkeypatch, posts=['race'], race_group=dict(TEAM, name='new'))
    (outcome,) = grant_all(StubClient(), [], [('d1', {'new': ['VIEWER']})])['d1']
    assert outcome['changed'] is True and outcome['created'] is False
    assert groups.kinds() == ['post', 'list', 'put']


def test_grant_all_in_check_mode_sends_nothing(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    outcomes = grant_all(StubClient(), groups.list_groups(None), [('d1', {'team': ['VIEWER']})], check_mode=True)
    assert outcomes == {'d1': [{'group': 'team', 'changed': True, 'created': False, 'before': [], 'after': ['VIEWER']}]}
    assert groups.kinds() == ['list']


def test_grant_all_after_a_lost_create_answer_reports_the_create(monkeypatch):
    dummy, groups = install(monkeypatch, posts=['lost-created'])
    (outcome,) = grant_all(StubClient(), [], [('d1', {'new': ['VIEWER']})])['d1']
    assert (outcome['changed'], outcome['created']) == (True, True)
    assert groups.kinds() == ['post', 'list']


def test_grant_all_replace_revokes_on_managed_environments_only(monkeypatch):
    held = dict(TEAM, accessRight={'VIEWER': ['p1', 'd1', 'x1'], 'MANAGE_SETTINGS': ['p1', 'x1']})
    dummy, groups = install(monkeypatch, [held])
    settings = [{'name': 'team', 'permissions_mode': 'replace'}]
    outcomes = grant_all(StubClient(), groups.list_groups(None), [('p1', {'team': ['VIEWER']}), ('d1', {})],
                         settings=settings)
    assert outcomes['p1'][0]['revoked'] == ['MANAGE_SETTINGS'] and outcomes['d1'][0]['revoked'] == ['VIEWER']
    assert 'x1' not in outcomes
    assert groups.calls[-1][1]['accessRight'] == {'MANAGE_SETTINGS': ['x1'], 'VIEWER': ['p1', 'x1']}


def test_grant_all_merge_keeps_and_reports_undeclared_grants(monkeypatch):
    held = dict(TEAM, accessRight={'VIEWER': ['p1', 'd1'], 'MANAGE_SETTINGS': ['p1']})
    dummy, groups = install(monkeypatch, [held])
    outcomes = grant_all(StubClient(), groups.list_groups(None), [('p1', {'team': ['VIEWER']}), ('d1', {})])
    assert outcomes['p1'][0]['undeclared'] == ['MANAGE_SETTINGS'] and outcomes['d1'][0]['undeclared'] == ['VIEWER']
    assert not any(outcome['changed'] for env in outcomes.values() for outcome in env) and groups.kinds() == ['list']


def test_grant_all_writes_the_flags_in_the_same_put_and_keeps_flags_left_out(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    report = []
    settings = [{'name': 'team', 'access_account': True}]
    grant_all(StubClient(), groups.list_groups(None), [('p1', {'team': ['VIEWER', 'LOG_VIEWER']})], settings=settings,
              report=report)
    assert groups.kinds() == ['list', 'put']
    body = groups.calls[-1][1]
    assert body['isAccessAccount'] is True and body['isClusterAdminGroup'] is False
    assert body['isManageAccount'] is True  # left out: kept as it is read (hasManageAccountAndViewProductUsageRole)
    assert report == [{'group': 'team', 'changed': True, 'created': False, 'before': {'access_account': False},
                       'after': {'access_account': True}}]


def test_grant_all_with_flags_as_they_are_sends_nothing(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    settings = [{'name': 'team', 'cluster_admin': False, 'access_account': False, 'manage_account': True}]
    report = []
    grant_all(StubClient(), groups.list_groups(None), [('p1', {'team': ['VIEWER']})], settings=settings, report=report)
    assert groups.kinds() == ['list'] and report == []


def test_grant_all_refuses_an_unconfirmed_cluster_admin_change_before_any_write(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    settings = [{'name': 'other', 'access_account': True}, {'name': 'team', 'cluster_admin': True}]
    with pytest.raises(ValueError, match="cluster_admin: group 'team' .*confirm_cluster_admin"):
        grant_all(StubClient(), groups.list_groups(None), [('p1', {'other': ['VIEWER']})], settings=settings)
    assert groups.kinds() == ['list']
    settings[1]['confirm_cluster_admin'] = True
    grant_all(StubClient(), groups.list_groups(None), [('p1', {'other': ['VIEWER']})], settings=settings)
    assert [call[1]['isClusterAdminGroup'] for call in groups.calls if call[0] == 'put' and call[1]['name'] == 'team'] == [True]


def test_a_new_group_is_created_with_its_flags_in_the_one_post(monkeypatch):
    dummy, groups = install(monkeypatch)
    grant_all(StubClient(), [], [], settings=[{'name': 'admins', 'cluster_admin': True, 'confirm_cluster_admin': True}])
    assert groups.kinds() == ['post'] and groups.calls[0][1]['isClusterAdminGroup'] is True


def test_merge_warns_about_what_a_listed_environment_holds_beyond_the_declaration(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    result, warnings = run(monkeypatch, name='team', permissions=[dict(environment='prod', permissions=['VIEWER'])])
    assert result['changed'] is False and result['undeclared'] == {'prod': ['MANAGE_SETTINGS']}
    assert warnings == ['group team holds MANAGE_SETTINGS on environment prod, which the task does not declare; '
                        'permissions_mode merge keeps it, replace revokes it']


def test_replace_returns_what_it_revokes_in_check_mode(monkeypatch):
    dummy, groups = install(monkeypatch, [TEAM])
    result, dummy = run(monkeypatch, check_mode=True, name='team', permissions_mode='replace', permissions=GRANT_DEV)
    assert result['revoked'] == {'prod': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS']}
    assert result['diff']['before']['permissions']['prod'] and result['diff']['after']['permissions']['prod'] == []
    assert groups.kinds() == ['list']
