"""The cluster-wide group flags (cluster_admin, access_account, manage_account) through ansible-playbook: set by
dynatrace_user_group (cluster_admin only when confirmed), read back by dynatrace_user_group_info, steady on a rerun."""

import pytest

from tests.integration.runner import run_module, run_tasks

GROUPS = '/api/v1.0/onpremise/groups'


def writes(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['method'] != 'GET']


def stored(emulator, name):
    return next(group for group in emulator.groups() if group['name'] == name)


def flags(group):
    """(cluster admin, manage account, access account) of a stored group under either read model."""
    return (group['isClusterAdminGroup'], group.get('isManageAccount', group.get('hasManageAccountAndViewProductUsageRole')),
            group.get('isAccessAccount', group.get('hasAccessAccountRole')))


@pytest.mark.parametrize('read_model', ['current', 'spec2021'])
def test_flags_are_set_read_back_and_steady(emulator, read_model):
    emulator.configure(group_read_model=read_model)
    task = dict(name='platform-admins', cluster_admin=True, confirm_cluster_admin=True, manage_account=True,
                access_account=False)
    status, result = run_module('dynatrace_user_group', emulator, diff=True, **task)
    assert status == 'changed', result
    group = stored(emulator, 'platform-admins')
    assert flags(group) == (True, True, False)
    assert ('hasAccessAccountRole' in group) == (read_model == 'spec2021')
    assert result['group']['cluster_admin'] is True and result['diff']['after']['cluster_admin'] is True

    emulator.clear_requests()
    run = run_tasks([{'clusterops.dynatrace.dynatrace_user_group': dict(task, confirm_cluster_admin=False)},
                     {'clusterops.dynatrace.dynatrace_user_group_info': {'name': 'platform-admins'}}], emulator=emulator)
    again, info = [entry['result'] for entry in run.results]
    assert again['changed'] is False and writes(emulator) == []
    (shown,) = info['groups']
    assert (shown['cluster_admin'], shown['manage_account'], shown['access_account']) == (True, True, False)
    assert info['group_details']['platform-admins']['is_cluster_admin_group'] is True


def test_cluster_admin_without_the_confirmation_fails_before_any_write(emulator):
    assert run_module('dynatrace_user_group', emulator, name='ops', access_account=True)[0] == 'changed'
    emulator.clear_requests()
    for check in (True, False):
        status, result = run_module('dynatrace_user_group', emulator, check=check, name='ops', cluster_admin=True)
        assert status == 'failed' and 'confirm_cluster_admin: true' in result['msg']
    assert writes(emulator) == [] and stored(emulator, 'ops')['isClusterAdminGroup'] is False


def test_a_flag_left_out_is_kept_on_an_update(emulator):
    assert run_module('dynatrace_user_group', emulator, name='ops', manage_account=True)[0] == 'changed'
    status, dummy = run_module('dynatrace_user_group', emulator, name='ops', access_account=True)
    assert status == 'changed'
    group = stored(emulator, 'ops')
    assert group['isManageAccount'] is True and group['isAccessAccount'] is True
