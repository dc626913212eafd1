"""Unit tests of dynatrace_user_group_info: the calls it makes and the shape of its result.

The API layer is stubbed (groups_fakes.FakeGroupsApi, harness.FakeEnvironmentsApi); tests/integration runs the
module against the emulator.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.info import validate_info_options
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user_group_info as module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import FakeEnvironmentsApi, environment, run_main

ENVS = [environment('prod', env_id='p1'), environment('twin', env_id='t1'), environment('twin', env_id='t2')]
GROUPS = [
    {'id': 'g2', 'name': 'zeta', 'isClusterAdminGroup': True, 'accessRight': {}},
    {'id': 'g1', 'name': 'alpha', 'isClusterAdminGroup': False, 'ssoGroupNames': ['s'], 'hasAccessAccountRole': True,
     'accessRight': {'VIEWER': ['p1', 't2', 'gone'], 'LOG_VIEWER': ['p1']}},
]


def install(monkeypatch):
    return FakeEnvironmentsApi(ENVS).install(monkeypatch), FakeGroupsApi(GROUPS).install(monkeypatch)


def test_groups_sorted_in_the_option_shape_with_names_where_they_are_unique(monkeypatch):
    envs, groups = install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, {})
    assert result['changed'] is False and [call[0] for call in envs.calls] == ['list']
    assert groups.kinds() == ['list', 'zones']  # no group holds zone permissions: no zone listing
    assert [group['name'] for group in result['groups']] == ['alpha', 'zeta']
    assert result['groups'][0] == {'name': 'alpha', 'ldap_group_names': [], 'sso_group_names': ['s'],
                                   'management_zone_permissions': [], 'permissions': [
        {'environment': 'gone', 'permissions': ['VIEWER']},
        {'environment': 'prod', 'permissions': ['VIEWER', 'LOG_VIEWER']},
        {'environment': 't2', 'permissions': ['VIEWER']}],
        'cluster_admin': False, 'access_account': True, 'manage_account': False}
    assert result['group_details'] == {
        'alpha': {'id': 'g1', 'is_cluster_admin_group': False, 'access_account': True, 'manage_account': False},
        'zeta': {'id': 'g2', 'is_cluster_admin_group': True, 'access_account': False, 'manage_account': False}}


def test_one_group_without_permissions_needs_no_environments_listing(monkeypatch):
    envs, groups = install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, {'name': 'zeta', 'management_zones': False})
    assert [group['name'] for group in result['groups']] == ['zeta'] and envs.calls == []
    assert groups.kinds() == ['list'] and 'management_zone_permissions' not in result['groups'][0]


def test_an_empty_name_is_refused_before_any_call(monkeypatch):
    envs, groups = install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, {'name': ' '})
    assert result['failed'] is True and 'name must be a non-empty group name' in result['msg'] and groups.calls == []
    assert validate_info_options({'name': None}) == []
