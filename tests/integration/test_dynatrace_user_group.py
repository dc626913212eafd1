"""dynatrace_user_group through ansible-playbook against the emulator, asserting on the request log."""

from pathlib import Path

import pytest
import requests
import yaml

from tests.integration.runner import run_module, run_plays, run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'
READS = [('GET', ENVIRONMENTS), ('GET', GROUPS)]


def calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()]


def writes(emulator):
    return [entry for entry in emulator.requests() if entry['method'] != 'GET']


def stored(emulator, name):
    found = [group for group in emulator.groups() if group['name'] == name]
    assert len(found) <= 1, found
    return found[0] if found else None


def rights(emulator, name):
    """{environment id: set of permissions} of the stored group."""
    held = {}
    for permission, ids in stored(emulator, name)['accessRight'].items():
        for env_id in ids:
            held.setdefault(env_id, set()).add(permission)
    return held


def api_group(emulator, name, **fields):
    """Create a group straight through the API (setup the module must not do itself)."""
    answer = requests.post(emulator.url + GROUPS, json=dict(name=name, isClusterAdminGroup=False, **fields),
                           headers={'Authorization': 'Api-Token ' + emulator.token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def grant(environment, *permissions, **entry):
    return dict(entry, environment=environment, permissions=list(permissions))


@pytest.fixture
def envs(emulator):
    """Three environments; their ids by name."""
    ids = dict((name, emulator.create_environment(name)) for name in ('payments-prod', 'payments-dev', 'search'))
    emulator.clear_requests()
    return ids


def test_create_then_rerun_changes_nothing(emulator, envs):
    task = dict(name='team-payments', ldap_group_names=['cn=payments'],
                permissions=[grant('payments-prod', 'VIEWER', 'MANAGE_SETTINGS'), grant(envs['payments-dev'], 'LOG_VIEWER')])
    status, result = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'changed', result
    assert calls(emulator) == READS + [('POST', GROUPS)]
    group = stored(emulator, 'team-payments')
    assert result['group_id'] == group['id'] and group['ldapGroupNames'] == ['cn=payments']
    assert rights(emulator, 'team-payments') == {
        envs['payments-prod']: {'VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'},
        envs['payments-dev']: {'VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    assert result['group']['permissions'] == [
        {'environment': 'payments-dev', 'permissions': ['VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS']},
        {'environment': 'payments-prod', 'permissions': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS']}]

    emulator.clear_requests()
    status, again = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'ok' and again['changed'] is False and 'diff' not in again
    assert calls(emulator) == READS
    assert again['group'] == result['group']


@pytest.mark.parametrize('adds_view_security_problems', [True, False])
@pytest.mark.parametrize('mode', ['merge', 'replace'])
def test_implied_permissions_are_never_drift(emulator, envs, mode, adds_view_security_problems):
    emulator.configure(implied_view_security_problems=adds_view_security_problems)
    task = dict(name='settings', permissions_mode=mode, permissions=[grant('search', 'MANAGE_SETTINGS')])
    assert run_module('dynatrace_user_group', emulator, **task)[0] == 'changed'
    expected = {'VIEWER', 'MANAGE_SETTINGS'} | ({'VIEW_SECURITY_PROBLEMS'} if adds_view_security_problems else set())
    assert rights(emulator, 'settings') == {envs['search']: expected}
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'ok', result
    assert writes(emulator) == []


def test_two_plays_merge_into_one_shared_group_and_keep_what_the_other_set(emulator, envs):
    first = dict(name='all-viewers', ldap_group_names=['cn=everyone'], permissions=[grant('payments-prod', 'VIEWER')])
    second = dict(name='all-viewers', permissions=[grant('search', 'VIEWER', 'LOG_VIEWER')])
    assert run_tasks([{'name': 'payments', 'clusterops.dynatrace.dynatrace_user_group': first}], emulator=emulator).rc == 0
    emulator.clear_requests()
    run = run_tasks([{'name': 'search', 'clusterops.dynatrace.dynatrace_user_group': second}], emulator=emulator)
    assert run.last_status == 'changed', run
    assert calls(emulator) == READS + [('PUT', GROUPS)]
    (put,) = writes(emulator)
    assert put['body']['id'] == stored(emulator, 'all-viewers')['id'] and put['body']['ldapGroupNames'] == ['cn=everyone']
    assert rights(emulator, 'all-viewers') == {
        envs['payments-prod']: {'VIEWER', 'VIEW_SECURITY_PROBLEMS'},
        envs['search']: {'VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    assert stored(emulator, 'all-viewers')['ldapGroupNames'] == ['cn=everyone']
    emulator.clear_requests()
    for task in (first, second):
        assert run_module('dynatrace_user_group', emulator, **task)[0] == 'ok'
    assert writes(emulator) == []


def test_replace_holds_exactly_the_declared_permissions(emulator, envs):
    api_group(emulator, 'auditors', ldapGroupNames=['cn=audit'],
              accessRight={'MANAGE_SETTINGS': [envs['payments-prod']], 'LOG_VIEWER': [envs['search']]})
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, diff=True, name='auditors', permissions_mode='replace',
                                permissions=[grant('search', 'VIEWER')])
    assert status == 'changed', result
    assert calls(emulator) == READS + [('PUT', GROUPS)]
    assert rights(emulator, 'auditors') == {envs['search']: {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    assert stored(emulator, 'auditors')['ldapGroupNames'] == ['cn=audit']
    assert result['diff']['before']['permissions'] == {
        'payments-prod': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'],
        'search': ['VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    # The cluster's own VIEW_SECURITY_PROBLEMS next to VIEWER is sent back, not revoked.
    assert result['diff']['after']['permissions'] == {'payments-prod': [], 'search': ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    assert result['revoked'] == {'payments-prod': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'],
                                 'search': ['LOG_VIEWER']}


def test_replace_with_an_empty_list_removes_every_permission(emulator, envs):
    api_group(emulator, 'gone', accessRight={'VIEWER': [envs['search']]})
    assert run_module('dynatrace_user_group', emulator, name='gone', permissions_mode='replace', permissions=[])[0] == 'changed'
    assert stored(emulator, 'gone')['accessRight'] == {}


def test_remove_one_environments_permissions_and_keep_the_others(emulator, envs):
    api_group(emulator, 'shared', accessRight={'LOG_VIEWER': [envs['search'], envs['payments-dev']],
                                               'MANAGE_SETTINGS': [envs['payments-prod']]})
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, name='shared',
                                permissions=[{'environment': 'payments-dev', 'state': 'absent'},
                                             grant('search', 'LOG_VIEWER', state='absent')])
    assert status == 'changed', result
    assert calls(emulator) == READS + [('PUT', GROUPS)]
    assert rights(emulator, 'shared') == {envs['payments-prod']: {'VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'},
                                          envs['search']: {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    emulator.clear_requests()
    assert run_module('dynatrace_user_group', emulator, name='shared',
                      permissions=[{'environment': 'payments-dev', 'state': 'absent'}])[0] == 'ok'
    assert writes(emulator) == []


def test_absent_deletes_and_rerun_is_one_read(emulator, envs):
    api_group(emulator, 'old', accessRight={'VIEWER': [envs['search']]})
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, diff=True, name='old', state='absent')
    assert status == 'changed' and result['diff']['before']['permissions'] == {'search': ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    assert calls(emulator) == [('GET', GROUPS), ('GET', ENVIRONMENTS), ('DELETE', GROUPS + '/' + result['group_id'])]
    assert stored(emulator, 'old') is None
    emulator.clear_requests()
    status, again = run_module('dynatrace_user_group', emulator, name='old', state='absent')
    assert status == 'ok' and calls(emulator) == [('GET', GROUPS)]


def test_absent_without_diff_does_not_read_the_environments(emulator, envs):
    api_group(emulator, 'old', accessRight={'VIEWER': [envs['search']]})
    emulator.clear_requests()
    assert run_module('dynatrace_user_group', emulator, name='old', state='absent')[0] == 'changed'
    assert [method for method, dummy in calls(emulator)] == ['GET', 'DELETE']


def test_ldap_and_sso_names_are_set_changed_and_kept_when_left_out(emulator, envs):
    task = dict(name='mapped', ldap_group_names=['cn=b', 'cn=a'], sso_group_names=['okta-team'])
    assert run_module('dynatrace_user_group', emulator, **task)[0] == 'changed'
    group = stored(emulator, 'mapped')
    assert (group['ldapGroupNames'], group['ssoGroupNames']) == (['cn=a', 'cn=b'], ['okta-team'])
    emulator.clear_requests()
    assert run_module('dynatrace_user_group', emulator, name='mapped', ldap_group_names=['cn=a', 'cn=b'])[0] == 'ok'
    assert calls(emulator) == [('GET', GROUPS)]  # no permissions declared or held: no environments listing
    status, result = run_module('dynatrace_user_group', emulator, diff=True, name='mapped', sso_group_names=[])
    assert status == 'changed'
    assert result['diff']['before'] == {'permissions': {}, 'sso_group_names': ['okta-team']}
    assert result['diff']['after'] == {'permissions': {}, 'sso_group_names': []}
    group = stored(emulator, 'mapped')
    assert (group['ldapGroupNames'], group['ssoGroupNames']) == (['cn=a', 'cn=b'], [])


def test_check_mode_predicts_the_diff_of_the_real_run_by_environment_name(emulator, envs):
    api_group(emulator, 'team', accessRight={'VIEWER': [envs['payments-prod']]})
    task = dict(name='team', permissions=[grant('payments-prod', 'MANAGE_SETTINGS'), grant('search', 'AGENT_INSTALL')])
    emulator.clear_requests()
    status, predicted = run_module('dynatrace_user_group', emulator, check=True, diff=True, **task)
    assert status == 'changed' and writes(emulator) == []
    assert predicted['diff']['before'] == {'permissions': {'payments-prod': ['VIEWER', 'VIEW_SECURITY_PROBLEMS'],
                                                           'search': []}}
    assert predicted['diff']['after'] == {'permissions': {
        'payments-prod': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'], 'search': ['VIEWER', 'AGENT_INSTALL']}}
    status, real = run_module('dynatrace_user_group', emulator, diff=True, **task)
    assert status == 'changed' and real['diff'] == predicted['diff']


def test_check_mode_of_a_create_writes_nothing(emulator, envs):
    status, result = run_module('dynatrace_user_group', emulator, check=True, diff=True, name='new',
                                permissions=[grant('search', 'LOG_VIEWER')])
    assert status == 'changed' and result['group_id'] is None
    assert result['diff']['after']['permissions'] == {'search': ['VIEWER', 'LOG_VIEWER']}
    assert calls(emulator) == READS and emulator.groups() == []


def test_diff_is_printed_by_environment_name(emulator, envs):
    run = run_tasks([{'name': 'grant', 'clusterops.dynatrace.dynatrace_user_group': dict(
        name='printed', permissions=[grant('payments-dev', 'LOG_VIEWER')])}], emulator=emulator, diff=True,
        stdout_callback='default')
    assert run.rc == 0, run.stdout
    assert '+++ after' in run.stdout and 'payments-dev' in run.stdout and envs['payments-dev'] not in run.stdout


def test_an_unknown_environment_name_fails_before_any_write_naming_it(emulator, envs):
    api_group(emulator, 'team')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, name='team',
                                permissions=[grant('search', 'VIEWER'), grant('paymnets-prod', 'VIEWER')])
    assert status == 'failed' and "'paymnets-prod' does not exist" in result['msg'] and 'permissions[1]' in result['msg']
    assert calls(emulator) == [('GET', ENVIRONMENTS)]
    assert stored(emulator, 'team')['accessRight'] == {}


def test_an_ambiguous_environment_name_fails_with_its_ids_and_the_id_works(emulator, envs):
    twin = emulator.create_environment('search')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, name='team', permissions=[grant('search', 'VIEWER')])
    assert status == 'failed' and 'ambiguous' in result['msg']
    assert envs['search'] in result['msg'] and twin in result['msg']
    assert writes(emulator) == [] and emulator.groups() == []
    status, result = run_module('dynatrace_user_group', emulator, name='team', permissions=[grant(twin, 'VIEWER')])
    assert status == 'changed' and result['group']['permissions'][0]['environment'] == twin


def test_a_group_that_appears_between_read_and_create_is_adopted_not_duplicated(emulator, envs):
    other = '{"name": "race", "isClusterAdminGroup": false, "ldapGroupNames": ["cn=other"], ' \
            '"accessRight": {"VIEWER": ["%s"]}}' % envs['payments-prod']
    emulator.add_fault(method='POST', path=GROUPS, action='preempt', body=other)
    status, result = run_module('dynatrace_user_group', emulator, name='race', permissions=[grant('search', 'MANAGE_SETTINGS')])
    assert status == 'changed', result
    assert any('adopted' in warning for warning in result.get('warnings', [])), result
    assert calls(emulator) == READS + [('POST', GROUPS), ('GET', GROUPS), ('PUT', GROUPS)]
    assert [entry['status'] for entry in emulator.requests()] == [200, 200, 406, 200, 200]
    assert len([group for group in emulator.groups() if group['name'] == 'race']) == 1
    assert rights(emulator, 'race') == {envs['payments-prod']: {'VIEWER', 'VIEW_SECURITY_PROBLEMS'},
                                        envs['search']: {'VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'}}
    assert stored(emulator, 'race')['ldapGroupNames'] == ['cn=other'] and result['group_id'] == stored(emulator, 'race')['id']


def test_an_update_keeps_the_roles_and_mappings_it_does_not_manage(emulator, envs):
    api_group(emulator, 'managers', isManageAccount=True, ssoGroupNames=['sso-managers'])
    assert run_module('dynatrace_user_group', emulator, name='managers',
                      permissions=[grant('search', 'VIEWER')])[0] == 'changed'
    group = stored(emulator, 'managers')
    assert group['isManageAccount'] is True and group['ssoGroupNames'] == ['sso-managers']


@pytest.mark.parametrize('task, words', [
    (dict(name='g', permissions=[grant('search', 'viewer')]), ['permissions', "'viewer' is not a well-formed"]),
    (dict(name='g', permissions=[grant('search')]), ['permissions[0].permissions', 'at least one']),
    (dict(name='g', state='absent', permissions=[grant('search', 'VIEWER')]), ['permissions', 'state absent']),
    (dict(name='g', permissions=[grant('search', 'VIEW_SECURITY_PROBLEMS', state='absent')]), ['VIEW_SECURITY_PROBLEMS']),
    (dict(name=' g'), ['name', 'blanks']),
    (dict(name='g', ldap_group_names=['']), ['ldap_group_names[0]']),
])
def test_bad_input_fails_before_any_request(emulator, task, words):
    status, result = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'failed'
    for word in words:
        assert word in result['msg'], result['msg']
    assert emulator.requests() == []


def test_the_same_environment_twice_fails_after_resolution_before_any_write(emulator, envs):
    status, result = run_module('dynatrace_user_group', emulator, name='g',
                                permissions=[grant('search', 'VIEWER'), grant(envs['search'], 'LOG_VIEWER')])
    assert status == 'failed' and 'permissions[0] and permissions[1]' in result['msg']
    assert calls(emulator) == [('GET', ENVIRONMENTS)]


def guide_blocks():
    """The YAML blocks of the access section of docs/getting-started.md, parsed."""
    text = (Path(__file__).resolve().parents[2] / 'docs' / 'getting-started.md').read_text()
    section = text.split('## 7. Access for a team', 1)[1].split('\n## ', 1)[0]
    return [yaml.safe_load(block.split('```', 1)[0]) for block in section.split('```yaml\n')[1:]]


def test_the_getting_started_access_guide_runs_as_written(emulator):
    for name in ('team-payments', 'team-payments-staging'):
        emulator.create_environment(name)
    (play,), read_tasks = guide_blocks()[:2]
    first = run_tasks(play['tasks'], emulator=emulator)
    assert first.rc == 0 and [entry['status'] for entry in first.results] == ['changed', 'changed'], first
    second = run_tasks(play['tasks'] + read_tasks, emulator=emulator)
    assert second.rc == 0, second
    assert [entry['status'] for entry in second.results] == ['ok', 'ok', 'ok', 'ok']
    assert second.last['msg'] == ['team-payments', 'team-payments-staging']


def test_the_getting_started_merge_or_replace_example_revokes_as_written(emulator):
    prod, staging = (emulator.create_environment(name) for name in ('payments-prod', 'payments-staging'))
    api_group(emulator, 'team-payments', accessRight={'VIEWER': [prod, staging], 'MANAGE_SETTINGS': [prod]})
    (play,) = guide_blocks()[2]
    run = run_plays([play], emulator=emulator)
    assert run.rc == 0, run
    held = dict((env_id, permissions - {'VIEW_SECURITY_PROBLEMS'})
                for env_id, permissions in rights(emulator, 'team-payments').items())
    assert held == {prod: {'VIEWER'}}  # MANAGE_SETTINGS and the staging grant revoked, as the comments say
    assert list(rights(emulator, 'all-viewers')) == [prod] and 'VIEWER' in rights(emulator, 'all-viewers')[prod]
    again = run_plays([play], emulator=emulator)
    assert again.rc == 0 and not [entry for entry in again.results if entry['status'] == 'changed'], again


def test_merge_keeps_an_undeclared_grant_and_warns_replace_revokes_it_and_check_mode_shows_it(emulator, envs):
    api_group(emulator, 'auditors', accessRight={'VIEWER': [envs['search']], 'LOG_VIEWER': [envs['search']]})
    emulator.clear_requests()
    status, merged = run_module('dynatrace_user_group', emulator, name='auditors', permissions=[grant('search', 'VIEWER')])
    assert status == 'ok' and writes(emulator) == [] and merged['undeclared'] == {'search': ['LOG_VIEWER']}
    assert any('group auditors holds LOG_VIEWER on environment search' in w for w in merged['warnings']), merged
    status, checked = run_module('dynatrace_user_group', emulator, check=True, diff=True, name='auditors',
                                 permissions_mode='replace', permissions=[grant('search', 'VIEWER')])
    assert status == 'changed' and writes(emulator) == [] and checked['revoked'] == {'search': ['LOG_VIEWER']}
    assert 'LOG_VIEWER' in checked['diff']['before']['permissions']['search']
    assert 'LOG_VIEWER' not in checked['diff']['after']['permissions']['search']
    status, replaced = run_module('dynatrace_user_group', emulator, name='auditors', permissions_mode='replace',
                                  permissions=[grant('search', 'VIEWER')])
    assert status == 'changed' and 'LOG_VIEWER' not in rights(emulator, 'auditors')[envs['search']]
    status, again = run_module('dynatrace_user_group', emulator, name='auditors', permissions_mode='replace',
                               permissions=[grant('search', 'VIEWER')])
    assert status == 'ok' and again['revoked'] == {} and not again.get('warnings')
