"""dynatrace_user and dynatrace_user_info through ansible-playbook against the emulator, asserting on the request log."""

import hashlib
import json

import pytest
import requests

from tests.integration.runner import run_module, run_tasks
from tests.integration.secret_scan import make_password

USERS = '/api/v1.0/onpremise/users'
GROUPS = '/api/v1.0/onpremise/groups'
MODE = '/api/v1.0/onpremise/userRepository/authenticationMode'
READS = [('GET', USERS), ('GET', GROUPS)]
PASSWORD = make_password()


def calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()]


def writes(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['method'] != 'GET']


def stored(emulator, user_id):
    found = [user for user in emulator.users() if user['id'] == user_id]
    return found[0] if found else None


def api_group(emulator, name):
    answer = requests.post(emulator.url + GROUPS, json=dict(name=name, isClusterAdminGroup=False),
                           headers={'Authorization': 'Api-Token ' + emulator.token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()['id']


def api_user(emulator, user_id, groups=(), email=None):
    body = dict(id=user_id, email=email or user_id + '@example.com', firstName='First', lastName='Last', groups=list(groups))
    answer = requests.post(emulator.url + USERS, json=body, headers={'Authorization': 'Api-Token ' + emulator.token},
                           timeout=10)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def groups(emulator):
    ids = dict((name, api_group(emulator, name)) for name in ('team-payments', 'all-viewers', 'auditors'))
    emulator.clear_requests()
    return ids


def ann(**options):
    return dict(dict(id='ann.lee', email='ann.lee@example.com', first_name='Ann', last_name='Lee'), **options)


def test_create_with_groups_by_name_and_a_first_password_then_rerun_changes_nothing(emulator, groups):
    task = ann(groups=['team-payments', 'all-viewers'], password=PASSWORD)
    status, result = run_module('dynatrace_user', emulator, diff=True, **task)
    assert status == 'changed', result
    assert calls(emulator) == READS + [('GET', MODE), ('POST', USERS)]
    (post,) = [entry for entry in emulator.requests() if entry['method'] == 'POST']
    assert post['body']['passwordClearText'] == '********'  # sent (the log masks it)
    user = stored(emulator, 'ann.lee')
    assert user['passwordSha256'] == hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert sorted(user['groups']) == sorted([groups['team-payments'], groups['all-viewers']])
    assert result['user'] == dict(id='ann.lee', email='ann.lee@example.com', first_name='Ann', last_name='Lee',
                                  groups=['all-viewers', 'team-payments'])
    assert result['action'] == 'create' and result['diff']['before'] == {}
    assert PASSWORD not in json.dumps(result)

    emulator.clear_requests()
    other = dict(task)
    other['password'] = make_password()  # another first password: never compared, so nothing changes
    status, again = run_module('dynatrace_user', emulator, **other)
    assert status == 'ok' and again['changed'] is False and again['action'] == 'none'
    assert calls(emulator) == READS
    assert stored(emulator, 'ann.lee')['passwordSha256'] == user['passwordSha256']


def test_merge_adds_groups_and_replace_makes_them_exact_with_a_diff_by_name(emulator, groups):
    api_user(emulator, 'ann.lee', [groups['auditors']], email='ann.lee@example.com')
    emulator.clear_requests()
    status, merged = run_module('dynatrace_user', emulator, diff=True, **ann(groups=['team-payments']))
    assert status == 'changed' and merged['action'] == 'update'
    assert merged['user']['groups'] == ['auditors', 'team-payments']
    assert merged['user']['first_name'] == 'Ann'
    assert merged['diff']['before']['groups'] == ['auditors'] and merged['diff']['after']['groups'] == ['auditors', 'team-payments']
    assert writes(emulator) == [('PUT', USERS)]
    (put,) = [entry for entry in emulator.requests() if entry['method'] == 'PUT']
    assert 'passwordClearText' not in put['body']

    emulator.clear_requests()
    status, replaced = run_module('dynatrace_user', emulator, groups=['all-viewers'], groups_mode='replace',
                                  id='ann.lee', email='ANN.LEE@example.com')
    assert status == 'changed' and replaced['user']['groups'] == ['all-viewers']
    assert stored(emulator, 'ann.lee')['groups'] == [groups['all-viewers']]
    assert stored(emulator, 'ann.lee')['email'] == 'ann.lee@example.com'  # compared without case, never changed


def test_an_id_whose_email_differs_fails_before_any_write(emulator, groups):
    api_user(emulator, 'ann.lee', email='someone.else@example.com')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user', emulator, **ann(groups=['auditors']))
    assert status == 'failed'
    assert "exists with the email 'someone.else@example.com', not 'ann.lee@example.com'" in result['msg']
    assert writes(emulator) == []
    status, result = run_module('dynatrace_user', emulator, id='ann.lee', email='ann.lee@example.com', state='absent')
    assert status == 'failed' and writes(emulator) == [] and stored(emulator, 'ann.lee') is not None


def test_absent_deletes_and_a_second_run_changes_nothing(emulator, groups):
    api_user(emulator, 'bob', [groups['auditors']])
    emulator.clear_requests()
    status, result = run_module('dynatrace_user', emulator, check=True, id='bob', state='absent')
    assert status == 'changed' and result['action'] == 'delete' and writes(emulator) == []
    status, result = run_module('dynatrace_user', emulator, diff=True, id='bob', email='bob@example.com', state='absent')
    assert status == 'changed' and result['user'] == {} and result['diff']['before']['groups'] == ['auditors']
    assert writes(emulator) == [('DELETE', USERS + '/bob')] and stored(emulator, 'bob') is None
    emulator.clear_requests()
    status, result = run_module('dynatrace_user', emulator, id='bob', state='absent')
    assert status == 'ok' and calls(emulator) == [('GET', USERS)]


def team(count, **extra):
    return [dict(dict(id='user%02d' % n, email='user%02d@example.com' % n, first_name='User', last_name='N%02d' % n,
                      groups=['team-payments'], password=PASSWORD + str(n)), **extra) for n in range(count)]


def test_a_list_onboards_in_one_task_with_one_read_each_and_per_item_results(emulator, groups):
    api_user(emulator, 'user00', email='user00@example.com')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user', emulator, users=team(12), parallel=6)
    assert status == 'changed', result
    assert calls(emulator)[:3] == READS + [('GET', MODE)]
    assert sorted(writes(emulator)) == [('POST', USERS)] * 11 + [('PUT', USERS)]
    assert [item['action'] for item in result['users']] == ['update'] + ['create'] * 11
    assert all(stored(emulator, 'user%02d' % n)['groups'] == [groups['team-payments']] for n in range(12))
    assert stored(emulator, 'user00')['passwordSha256'] is None  # existed: the password is for creation only
    assert PASSWORD not in json.dumps(result)

    emulator.clear_requests()
    status, again = run_module('dynatrace_user', emulator, users=team(12))
    assert status == 'ok' and again['changed'] is False and calls(emulator) == READS


def test_one_bad_item_stops_the_list_before_its_first_write(emulator, groups):
    users = team(3)
    users[2]['groups'] = ['team-paymnets']
    status, result = run_module('dynatrace_user', emulator, users=users)
    assert status == 'failed' and "group 'team-paymnets' does not exist" in result['msg']
    assert writes(emulator) == [] and emulator.users() == []
    emulator.clear_requests()
    status, result = run_module('dynatrace_user', emulator, users=team(2) + [dict(team(1)[0], email='x@example.com')])
    assert status == 'failed' and 'same id' in result['msg'] and emulator.requests() == []


def test_check_mode_reports_the_run_without_writing(emulator, groups):
    status, result = run_module('dynatrace_user', emulator, check=True, diff=True, users=team(3))
    assert status == 'changed' and [item['action'] for item in result['users']] == ['create'] * 3
    assert calls(emulator) == READS + [('GET', MODE)]
    assert result['diff'][0]['after']['groups'] == ['team-payments']


@pytest.mark.parametrize('check', [False, True])
def test_an_ldap_cluster_gives_one_clear_message_and_writes_nothing(emulator, groups, check):
    emulator.configure(user_repository='ldap')
    status, result = run_module('dynatrace_user', emulator, check=check, users=team(3))
    assert status == 'failed'
    assert result['msg'].startswith('the users of this cluster are managed by LDAP or SSO'), result['msg']
    assert writes(emulator) == []


def test_an_sso_cluster_stops_at_the_first_refused_write(emulator, groups):
    emulator.configure(user_repository='sso')
    status, result = run_module('dynatrace_user', emulator, users=team(5))
    assert status == 'failed' and 'managed by LDAP or SSO' in result['msg']
    assert writes(emulator) == [('POST', USERS)] and emulator.users() == []


def test_a_user_created_by_another_run_at_the_same_moment_is_adopted(emulator, groups):
    body = json.dumps(dict(id='ann.lee', email='ann.lee@example.com', firstName='Ann', lastName='Lee',
                           groups=[groups['auditors']]))
    emulator.add_fault(method='POST', path=USERS, action='preempt', body=body)
    status, result = run_module('dynatrace_user', emulator, **ann(groups=['team-payments']))
    assert status == 'changed', result
    assert result['user']['groups'] == ['auditors', 'team-payments']
    assert writes(emulator) == [('POST', USERS), ('PUT', USERS)]
    assert len(emulator.users()) == 1


def test_info_names_groups_and_filters_by_id_and_group(emulator, groups):
    api_user(emulator, 'ann', [groups['auditors'], groups['team-payments']])
    api_user(emulator, 'bob')
    emulator.clear_requests()
    run = run_tasks([{'clusterops.dynatrace.dynatrace_user_info': {}},
                     {'clusterops.dynatrace.dynatrace_user_info': {'group': 'auditors'}},
                     {'clusterops.dynatrace.dynatrace_user_info': {'id': 'bob'}}], emulator=emulator)
    every, auditors, bob = [entry['result'] for entry in run.results]
    assert [user['id'] for user in every['users']] == ['ann', 'bob']
    assert every['users'][0] == dict(id='ann', email='ann@example.com', first_name='First', last_name='Last',
                                     groups=['auditors', 'team-payments'])
    assert [user['id'] for user in auditors['users']] == ['ann']
    assert bob['users'][0]['groups'] == [] and calls(emulator)[-1] == ('GET', USERS)
