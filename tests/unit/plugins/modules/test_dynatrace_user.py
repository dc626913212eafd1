"""Unit tests of dynatrace_user and dynatrace_user_info main(): call by call, refusals, races, the password.

The API layer is stubbed (FakeUsersApi here, groups_fakes.FakeGroupsApi); tests/integration runs the modules against
the emulator.
"""

import json

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import users as _api_users
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user as module
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user_info as info_module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import run_main

GROUPS = [{'id': 'g1', 'name': 'team', 'isClusterAdminGroup': False}, {'id': 'g2', 'name': 'viewers', 'isClusterAdminGroup': False}]
ANN = {'id': 'ann', 'email': 'ann@example.com', 'firstName': 'Ann', 'lastName': 'Lee', 'groups': ['g2']}
PASSWORD = 'Unit-Pa55word-q8z'


class FakeUsersApi:
    """Users in a list; `posts` scripts each POST: 'ok', 'race' (`race_user` appears: 406), 'lost-created',
    'lost-not-created', 'external' (403); `external` is what the repository mode read answers."""

    def __init__(self, users=(), posts=(), race_user=None, external=False):
        self.users = [dict(user) for user in users]
        self.posts = list(posts)
        self.race_user = race_user
        self.external = external
        self.calls = []

    def install(self, monkeypatch):
        for name in ('list_users', 'get_user', 'create_user', 'update_user', 'delete_user', 'users_are_external'):
            monkeypatch.setattr(_api_users, name, getattr(self, name))
        return self

    def kinds(self):
        return [call[0] for call in self.calls]

    def list_users(self, client):
        self.calls.append(('list',))
        return [dict(user) for user in self.users]

    def get_user(self, client, user_id):
        self.calls.append(('get', user_id))
        return next((dict(user) for user in self.users if user['id'] == user_id), None)

    def create_user(self, client, body):
        self.calls.append(('post', dict(body)))
        outcome = self.posts.pop(0) if self.posts else 'ok'
        if outcome == 'external':
            raise _api_users.ExternalUsersError(_api_users.EXTERNAL_USERS, status=403)
        if outcome == 'race':
            self.users.append(dict(self.race_user))
            raise _api_users.UserIdTakenError('taken', status=406)
        if outcome == 'lost-not-created':
            raise ResponseLostError('no answer', method='POST')
        user = dict((key, value) for key, value in body.items() if key != 'passwordClearText')
        self.users.append(user)
        if outcome == 'lost-created':
            raise ResponseLostError('no answer', method='POST')
        return dict(user)

    def update_user(self, client, body):
        self.calls.append(('put', dict(body)))
        self.users = [dict(body) if user['id'] == body['id'] else user for user in self.users]
        return dict(body)

    def delete_user(self, client, user_id):
        self.calls.append(('delete', user_id))
        self.users = [user for user in self.users if user['id'] != user_id]
        return True

    def users_are_external(self, client):
        self.calls.append(('mode',))
        return self.external


def install(monkeypatch, users=(), **fakes):
    return FakeUsersApi(users, **fakes).install(monkeypatch), FakeGroupsApi(GROUPS).install(monkeypatch)


def run(monkeypatch, check_mode=False, **args):
    return run_main(monkeypatch, module, args, check_mode=check_mode)


def ann(**options):
    return dict(dict(id='ann', email='ann@example.com', first_name='Ann', last_name='Lee'), **options)


def test_create_sends_the_password_once_and_returns_it_nowhere(monkeypatch):
    users, groups = install(monkeypatch)
    result, warnings = run(monkeypatch, **ann(groups=['team'], password=PASSWORD))
    assert result['changed'] is True and result['action'] == 'create' and warnings == []
    assert users.kinds() == ['list', 'mode', 'post'] and groups.kinds() == ['list']
    assert users.calls[2][1] == dict(id='ann', email='ann@example.com', firstName='Ann', lastName='Lee', groups=['g1'],
                                     passwordClearText=PASSWORD)
    assert result['user'] == dict(id='ann', email='ann@example.com', first_name='Ann', last_name='Lee', groups=['team'])
    assert PASSWORD not in json.dumps(result)


def test_steady_state_reads_users_and_groups_only_and_never_compares_the_password(monkeypatch):
    users, groups = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, **ann(groups=['viewers'], password='a-different-one'))
    assert result['changed'] is False and users.kinds() == ['list'] and groups.kinds() == ['list']
    assert result['user']['groups'] == ['viewers'] and 'diff' not in result


def test_merge_keeps_other_groups_and_replace_drops_them_without_a_password(monkeypatch):
    users, dummy = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, **ann(groups=['team'], password=PASSWORD))
    assert users.calls[-1] == ('put', dict(ANN, groups=['g1', 'g2']))
    assert result['diff']['before']['groups'] == ['viewers'] and result['diff']['after']['groups'] == ['team', 'viewers']
    result, dummy = run(monkeypatch, **ann(groups=['team'], groups_mode='replace'))
    assert users.calls[-1] == ('put', dict(ANN, groups=['g1'])) and result['user']['groups'] == ['team']
    assert all('passwordClearText' not in call[1] for call in users.calls if call[0] == 'put')


def test_names_left_out_are_kept_and_given_ones_applied(monkeypatch):
    users, dummy = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, id='ann', email='ann@example.com', last_name='Smith')
    assert users.calls[-1] == ('put', dict(ANN, lastName='Smith')) and result['user']['first_name'] == 'Ann'


@pytest.mark.parametrize('args, words', [
    (dict(email='other@example.com'), "exists with the email 'ann@example.com', not 'other@example.com'"),
    (dict(groups=['Team']), "group 'Team' does not exist, but 'team' does"),
    (dict(groups=['nobody']), "group 'nobody' does not exist"),
])
def test_refusals_come_before_any_write(monkeypatch, args, words):
    users, dummy = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, **ann(**args))
    assert result['failed'] is True and words in result['msg'] and users.kinds() == ['list']


def test_a_user_to_create_needs_its_names_and_an_email_nobody_else_holds(monkeypatch):
    users, dummy = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, id='bob', email='bob@example.com')
    assert result['failed'] is True and 'first_name and last_name are needed' in result['msg']
    result, dummy = run(monkeypatch, id='bob', email='ANN@example.com', first_name='B', last_name='C')
    assert result['failed'] is True and 'belongs to user ann' in result['msg']
    assert 'post' not in users.kinds()


@pytest.mark.parametrize('args, words', [
    (dict(id='ann'), 'email is required'),
    (dict(id='ann', email='no-at-sign', state='present'), 'email must be an email address'),
    (dict(id='ann', state='absent', groups=['team']), 'cannot be used with state absent'),
    (dict(id='ann', email='a@b.c', users=[dict(id='x')]), 'parameters are mutually exclusive'),
    (dict(users=[dict(id='x', email='x@b.c'), dict(id='X', email='y@b.c')]), 'same id'),
    (dict(users=[dict(id='x', email='x@b.c')], parallel=0), 'parallel must be a whole number'),
])
def test_bad_input_is_refused_before_any_request(monkeypatch, args, words):
    users, groups = install(monkeypatch)
    result, dummy = run(monkeypatch, **args)
    assert result['failed'] is True and words in result['msg'] and users.calls == [] and groups.calls == []


def test_absent_deletes_after_checking_the_email_and_reads_no_groups(monkeypatch):
    users, groups = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, id='ann', email='ann@example.com', state='absent')
    assert result['changed'] is True and users.kinds() == ['list', 'mode', 'delete'] and groups.calls == []
    result, dummy = run(monkeypatch, id='ann', state='absent')
    assert result['changed'] is False and users.kinds()[-1] == 'list'


def test_check_mode_reads_only_and_predicts_the_user(monkeypatch):
    users, dummy = install(monkeypatch)
    result, dummy = run(monkeypatch, check_mode=True, **ann(groups=['team'], password=PASSWORD))
    assert result['changed'] is True and users.kinds() == ['list', 'mode']
    assert result['user']['groups'] == ['team'] and PASSWORD not in json.dumps(result)


@pytest.mark.parametrize('check_mode', [False, True])
def test_ldap_fails_with_one_message_before_any_write(monkeypatch, check_mode):
    users, dummy = install(monkeypatch, external=True)
    result, dummy = run(monkeypatch, check_mode=check_mode, users=[ann(), dict(ann(), id='bob', email='bob@x.io')])
    assert result['failed'] is True and result['msg'] == _api_users.EXTERNAL_USERS
    assert users.kinds() == ['list', 'mode']


def test_an_sso_403_on_the_first_write_stops_the_list(monkeypatch):
    users, dummy = install(monkeypatch, posts=['external'])
    items = [dict(ann(), id='u%d' % n, email='u%d@x.io' % n) for n in range(4)]
    result, dummy = run(monkeypatch, users=items)
    assert result['failed'] is True and result['msg'] == _api_users.EXTERNAL_USERS
    assert users.kinds() == ['list', 'mode', 'post']


def test_a_list_writes_each_changed_user_and_reports_each(monkeypatch):
    users, groups = install(monkeypatch, [ANN])
    items = [ann(groups=['viewers']), dict(ann(), id='bob', email='bob@x.io', groups=['team']),
             dict(id='carl', state='absent')]
    result, dummy = run(monkeypatch, users=items, parallel=3)
    assert result['changed'] is True and sorted(users.kinds()) == ['list', 'mode', 'post']
    assert [(item['id'], item['action'], item['changed']) for item in result['users']] == [
        ('ann', 'none', False), ('bob', 'create', True), ('carl', 'none', False)]
    assert groups.kinds() == ['list'] and len(result['diff']) == 1 and result['failures'] == {}


def test_one_failed_write_of_a_list_fails_the_task_and_keeps_the_others(monkeypatch):
    users, dummy = install(monkeypatch)
    original = users.create_user

    def create_user(client, body):
        if body['id'] == 'u2':
            users.calls.append(('post', dict(body)))
            raise DynatraceError('refused', status=400, method='POST', path=_api_users.USERS_PATH)
        return original(client, body)
    monkeypatch.setattr(_api_users, 'create_user', create_user)
    items = [dict(ann(), id='u%d' % n, email='u%d@x.io' % n) for n in range(4)]
    result, dummy = run(monkeypatch, users=items)
    # The module exits with failed set in its result (the harness' exit_json reports that as failed=False).
    assert list(result['failures']) == ['u2'] and result['msg'].startswith('1 of 4 users failed: u2: ')
    assert [item.get('failed', False) for item in result['users']] == [False, False, True, False]
    assert sorted(user['id'] for user in users.users) == ['u0', 'u1', 'u3']


def test_a_race_on_create_adopts_the_user_and_merges_its_groups(monkeypatch):
    users, dummy = install(monkeypatch, posts=['race'], race_user=dict(ANN, groups=['g2']))
    result, warnings = run(monkeypatch, **ann(groups=['team']))
    assert users.kinds() == ['list', 'mode', 'post', 'get', 'put'] and 'adopted' in warnings[0]
    assert users.users == [dict(ANN, groups=['g1', 'g2'])]


def test_a_race_by_another_email_fails_and_leaves_the_user(monkeypatch):
    users, dummy = install(monkeypatch, posts=['race'], race_user=dict(ANN, email='someone@else.io'))
    result, dummy = run(monkeypatch, **ann())
    assert result['failed'] is True and "appeared with the email 'someone@else.io'" in result['msg']
    assert users.kinds() == ['list', 'mode', 'post', 'get']


@pytest.mark.parametrize('outcome, kinds', [
    ('lost-created', ['list', 'mode', 'post', 'get']),
    ('lost-not-created', ['list', 'mode', 'post', 'get', 'post']),
])
def test_a_lost_answer_never_makes_a_second_user(monkeypatch, outcome, kinds):
    users, dummy = install(monkeypatch, posts=[outcome])
    result, dummy = run(monkeypatch, **ann(password=PASSWORD))
    assert result['changed'] is True and users.kinds() == kinds and len(users.users) == 1


def test_info_names_the_groups_and_filters(monkeypatch):
    users, groups = install(monkeypatch, [ANN, dict(ANN, id='bob', email='bob@x.io', groups=[])])
    result, dummy = run_main(monkeypatch, info_module, dict(group='viewers'))
    assert [user['id'] for user in result['users']] == ['ann'] and result['users'][0]['groups'] == ['viewers']
    result, dummy = run_main(monkeypatch, info_module, dict(id='bob'))
    assert result['users'][0]['groups'] == [] and groups.kinds() == ['list']  # bob is in no group: no groups read


def test_an_empty_list_sends_no_request(monkeypatch):
    users, groups = install(monkeypatch, [ANN])
    result, dummy = run(monkeypatch, users=[])
    assert result['changed'] is False and result['users'] == [] and users.calls == [] and groups.calls == []
