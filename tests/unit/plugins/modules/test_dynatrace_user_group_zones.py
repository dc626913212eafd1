"""Unit tests of dynatrace_user_group's management zones: the calls of each path against the documented budget.

The API layer is stubbed (groups_fakes.FakeGroupsApi, harness.FakeEnvironmentsApi) and the zone listing of an
environment (its token chain) is one recorded call; tests/integration/test_zone_permissions.py runs it for real.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps import zone_lookup
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_user_group as module
from tests.unit.plugins.modules.groups_fakes import FakeGroupsApi
from tests.unit.plugins.modules.harness import FakeEnvironmentsApi, environment, run_main

ENVS = [environment('prod', env_id='p1'), environment('dev', env_id='d1')]
ZONES = {'p1': [{'id': '-7', 'name': 'payments'}, {'id': '8', 'name': 'checkout'}], 'd1': [{'id': '9', 'name': 'all'}]}
TEAM = {'id': 'g1', 'name': 'team', 'isClusterAdminGroup': False, 'accessRight': {}}


def install(monkeypatch, records=()):
    listed = []

    def list_environment_zones(cluster, environment_id, given_token=None, warn=None):
        listed.append((environment_id, given_token))
        return ZONES[environment_id]
    monkeypatch.setattr(zone_lookup, 'list_environment_zones', list_environment_zones)
    groups = FakeGroupsApi([TEAM]).install(monkeypatch)
    groups.zone_records = list(records)
    return FakeEnvironmentsApi(ENVS).install(monkeypatch), groups, listed


def grant(environment_name, zone, *permissions):
    return dict(environment=environment_name, management_zone=zone, permissions=list(permissions), state='present')


def test_steady_state_lists_each_named_environment_once_and_writes_nothing(monkeypatch):
    held = {'groupId': 'g1', 'mzPermissionsPerEnvironment': [
        {'environmentUuid': 'p1', 'mzPermissions': [{'mzId': '-7', 'permissions': ['VIEWER', 'VIEW_SECURITY_PROBLEMS']},
                                                    {'mzId': '8', 'permissions': ['LOG_VIEWER']}]}]}
    envs, groups, listed = install(monkeypatch, [held])
    result, dummy = run_main(monkeypatch, module, {'name': 'team', 'management_zone_permissions': [
        grant('prod', 'payments', 'VIEWER'), grant('prod', 'checkout', 'LOG_VIEWER')]})
    assert result['changed'] is False, result
    assert [call[0] for call in envs.calls] == ['list'] and listed == [('p1', None)]
    assert groups.kinds() == ['list', 'zones']  # E + 2 + one zone listing (its chain) per environment named


def test_a_change_is_one_put_carrying_every_zone_and_the_diff_names_environment_and_zone(monkeypatch):
    held = {'groupId': 'g1', 'mzPermissionsPerEnvironment': [
        {'environmentUuid': 'd1', 'mzPermissions': [{'mzId': '9', 'permissions': ['VIEWER']}]}]}
    dummy, groups, listed = install(monkeypatch, [held])
    result, dummy = run_main(monkeypatch, module, {'name': 'team', 'management_zone_permissions': [
        grant('prod', 'payments', 'VIEWER', 'LOG_VIEWER')]})
    assert result['changed'] is True and listed == [('p1', None)]
    assert groups.kinds() == ['list', 'zones', 'zones-put']
    assert groups.calls[-1][1]['mzPermissionsPerEnvironment'] == [
        {'environmentUuid': 'd1', 'mzPermissions': [{'mzId': '9', 'permissions': ['VIEWER']}]},
        {'environmentUuid': 'p1', 'mzPermissions': [{'mzId': '-7', 'permissions': ['VIEWER', 'LOG_VIEWER']}]}]
    assert result['diff']['after']['management_zones'] == {'prod': {'payments': ['VIEWER', 'LOG_VIEWER']}}


def test_unknown_zone_fails_before_the_groups_are_read(monkeypatch):
    dummy, groups, dummy2 = install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, {'name': 'team', 'management_zone_permissions': [
        grant('prod', 'nope', 'VIEWER')]})
    assert result['failed'] is True and "'nope'" in result['msg'] and "'prod'" in result['msg']
    assert groups.calls == []


def test_given_tokens_are_passed_by_environment_and_an_unknown_key_fails(monkeypatch):
    dummy, dummy2, listed = install(monkeypatch)
    run_main(monkeypatch, module, {'name': 'team', 'zone_read_tokens': {'prod': 'secret-value'},
                                   'management_zone_permissions': [grant('prod', 'payments', 'VIEWER')]})
    assert listed == [('p1', 'secret-value')]
    result, dummy = run_main(monkeypatch, module, {'name': 'team', 'zone_read_tokens': {'nowhere': 'x'},
                                                   'management_zone_permissions': [grant('prod', 'payments', 'VIEWER')]})
    assert result['failed'] is True and 'zone_read_tokens' in result['msg'] and "'nowhere'" in result['msg']
