"""The environments role keeps group permissions as the repository says: merge reports, replace revokes.

Through ansible-playbook against the emulator; the request log shows what is written.
"""

import requests as http

from tests.integration.test_role_environments import BULK_TASK, api_requests, changed_tasks, run_role

GROUPS = '/api/v1.0/onpremise/groups'
REPLACE = [{'name': 'team', 'permissions_mode': 'replace'}]


def bulk_result(run):
    (result,) = [entry['result'] for entry in run.results if entry['task'].endswith(BULK_TASK)]
    return result


def team_rights(emulator):
    (group,) = [group for group in emulator.groups() if group['name'] == 'team']
    return dict((permission, ids) for permission, ids in group['accessRight'].items() if ids)


def ids(emulator):
    return dict((environment['name'], environment['id']) for environment in emulator.environments())


def onboard(emulator):
    declared = [{'name': 'alpha', 'permissions': {'team': ['MANAGE_SETTINGS']}},
                {'name': 'beta', 'permissions': {'team': ['VIEWER']}}]
    run = run_role(emulator, declared, environments_groups=REPLACE)
    assert run.rc == 0, run
    return ids(emulator)


def test_replace_revokes_what_the_vars_no_longer_declare_and_a_second_run_changes_nothing(emulator):
    envs = onboard(emulator)
    outside = emulator.create_environment('outside')
    # alpha is cut to VIEWER, beta's grant is removed from the vars; `outside` is not in the list.
    group_id = [group['id'] for group in emulator.groups() if group['name'] == 'team'][0]
    group = [group for group in emulator.groups() if group['name'] == 'team'][0]
    group['accessRight'].setdefault('LOG_VIEWER', []).append(outside)
    group['accessRight']['VIEWER'].append(outside)
    answer = http.put(emulator.url + GROUPS, json=group, timeout=10, headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code in (200, 204), answer.text
    cut = [{'name': 'alpha', 'permissions': {'team': ['VIEWER']}}, {'name': 'beta'}]

    checked = run_role(emulator, cut, check=True, diff=True, environments_groups=REPLACE)
    assert checked.rc == 0 and team_rights(emulator)['MANAGE_SETTINGS'] == [envs['alpha']], checked
    outcomes = dict((o['name'], o.get('permissions')) for o in bulk_result(checked)['outcomes'])
    assert outcomes['alpha'][0]['revoked'] == ['MANAGE_SETTINGS'] and 'VIEWER' in outcomes['beta'][0]['revoked']
    (group_diff,) = [d for d in bulk_result(checked)['diff'] if d['before_header'] == 'group team']
    assert group_diff['after']['permissions'] == {'alpha': ['VIEWER', 'VIEW_SECURITY_PROBLEMS'], 'beta': []}
    assert 'MANAGE_SETTINGS' in group_diff['before']['permissions']['alpha']

    emulator.clear_requests()
    run = run_role(emulator, cut, environments_groups=REPLACE)
    assert run.rc == 0 and changed_tasks(run), run
    rights = team_rights(emulator)
    assert envs['alpha'] in rights['VIEWER'] and envs['beta'] not in rights['VIEWER'] and outside in rights['VIEWER']
    assert rights.get('MANAGE_SETTINGS', []) == [] and rights['LOG_VIEWER'] == [outside]  # never elsewhere
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET', 'PUT']
    assert group_id == [group['id'] for group in emulator.groups() if group['name'] == 'team'][0]

    emulator.clear_requests()
    again = run_role(emulator, cut, environments_groups=REPLACE)
    assert again.rc == 0 and changed_tasks(again) == [], again
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET']


def test_merge_keeps_undeclared_grants_and_warns_per_environment(emulator):
    envs = onboard(emulator)
    emulator.clear_requests()
    cut = [{'name': 'alpha', 'permissions': {'team': ['VIEWER']}}, {'name': 'beta'}]
    run = run_role(emulator, cut, environments_groups=[{'name': 'team'}])
    assert run.rc == 0 and changed_tasks(run) == [], run
    warnings = bulk_result(run).get('warnings', [])
    assert any('environment alpha: group team holds MANAGE_SETTINGS' in warning for warning in warnings), warnings
    assert any('environment beta: group team holds VIEWER' in warning for warning in warnings), warnings
    assert team_rights(emulator)['MANAGE_SETTINGS'] == [envs['alpha']]
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET']


def test_groups_alone_are_created_with_their_directory_names_and_kept(emulator):
    groups = [{'name': 'readers', 'ldap_group_names': ['cn=readers'], 'sso_group_names': []}]
    run = run_role(emulator, [], environments_groups=groups)
    assert run.rc == 0 and changed_tasks(run), run
    (group,) = emulator.groups()
    assert group['name'] == 'readers' and group['ldapGroupNames'] == ['cn=readers']
    emulator.clear_requests()
    again = run_role(emulator, [], environments_groups=groups)
    assert again.rc == 0 and changed_tasks(again) == [], again
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET']
