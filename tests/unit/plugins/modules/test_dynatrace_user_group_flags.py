"""Unit tests of dynatrace_user_group's cluster-wide flags: cluster_admin (confirmed), access_account, manage_account,
read under both read models and written into the is* fields.

The API layer is stubbed (groups_fakes.FakeGroupsApi, harness.FakeEnvironmentsApi); tests/integration runs the
module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user_group as module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import FakeEnvironmentsApi, run_main

CURRENT = {'id': 'g1', 'name': 'ops', 'isClusterAdminGroup': False, 'isAccessAccount': True, 'isManageAccount': False,
           'ldapGroupNames': [], 'ssoGroupNames': [], 'accessRight': {}}
SPEC2021 = {'id': 'g1', 'name': 'ops', 'isClusterAdminGroup': False, 'hasAccessAccountRole': True,
            'hasManageAccountAndViewProductUsageRole': False, 'ldapGroupNames': [], 'ssoGroupNames': [], 'accessRight': {}}


def install(monkeypatch, groups=()):
    FakeEnvironmentsApi([]).install(monkeypatch)
    return FakeGroupsApi(groups).install(monkeypatch)


def run(monkeypatch, check_mode=False, **args):
    return run_main(monkeypatch, module, dict(args, name=args.get('name', 'ops')), check_mode=check_mode)


@pytest.mark.parametrize('group', [CURRENT, SPEC2021], ids=['current', 'spec2021'])
def test_flags_as_read_are_steady_under_either_read_model(monkeypatch, group):
    groups = install(monkeypatch, [group])
    result, dummy = run(monkeypatch, access_account=True, manage_account=False, cluster_admin=False)
    assert result['changed'] is False and groups.kinds() == ['list']
    assert (result['group']['access_account'], result['group']['manage_account'], result['group']['cluster_admin']) == \
        (True, False, False)


@pytest.mark.parametrize('group', [CURRENT, SPEC2021], ids=['current', 'spec2021'])
def test_a_changed_flag_is_written_into_the_is_field_and_the_others_kept(monkeypatch, group):
    groups = install(monkeypatch, [group])
    result, dummy = run(monkeypatch, manage_account=True)
    assert result['changed'] is True and groups.kinds() == ['list', 'put']
    body = groups.calls[1][1]
    assert body['isManageAccount'] is True and body['isAccessAccount'] is True and body['isClusterAdminGroup'] is False
    assert result['diff']['before']['manage_account'] is False and result['diff']['after']['manage_account'] is True


@pytest.mark.parametrize('check_mode', [False, True])
def test_cluster_admin_needs_the_confirmation_before_any_write(monkeypatch, check_mode):
    groups = install(monkeypatch, [CURRENT])
    result, dummy = run(monkeypatch, check_mode=check_mode, cluster_admin=True)
    assert result['failed'] is True and 'confirm_cluster_admin: true' in result['msg'] and groups.kinds() == ['list']
    result, dummy = run(monkeypatch, check_mode=check_mode, cluster_admin=True, confirm_cluster_admin=True)
    assert result['changed'] is True
    assert groups.kinds()[-1] == ('list' if check_mode else 'put')


def test_taking_cluster_admin_away_and_deleting_an_admin_group_need_it_too(monkeypatch):
    admins = dict(CURRENT, isClusterAdminGroup=True)
    groups = install(monkeypatch, [admins])
    result, dummy = run(monkeypatch, cluster_admin=False)
    assert result['failed'] is True and 'stop making its members' in result['msg']
    result, dummy = run(monkeypatch, state='absent')
    assert result['failed'] is True and 'deleting it takes that away' in result['msg']
    assert 'put' not in groups.kinds() and 'delete' not in groups.kinds()
    result, dummy = run(monkeypatch, state='absent', confirm_cluster_admin=True)
    assert result['changed'] is True and groups.kinds()[-1] == 'delete'


def test_a_new_group_gets_its_flags_in_the_post_and_admin_needs_the_confirmation(monkeypatch):
    groups = install(monkeypatch)
    result, dummy = run(monkeypatch, name='new', access_account=True)
    assert groups.calls[-1][0] == 'post' and groups.calls[-1][1]['isAccessAccount'] is True
    assert groups.calls[-1][1]['isClusterAdminGroup'] is False and result['diff']['after']['access_account'] is True
    result, dummy = run(monkeypatch, name='admins', cluster_admin=True)
    assert result['failed'] is True and [call[0] for call in groups.calls].count('post') == 1
    result, dummy = run(monkeypatch, name='admins', cluster_admin=False)
    assert result['changed'] is True  # a new group that is not an admin group needs no confirmation


def test_flags_with_state_absent_are_refused_before_any_request(monkeypatch):
    groups = install(monkeypatch, [CURRENT])
    result, dummy = run(monkeypatch, state='absent', manage_account=True)
    assert result['failed'] is True and 'manage_account cannot be used with state absent' in result['msg']
    assert groups.calls == []
