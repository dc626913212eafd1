"""grant_all (the bulk path: one groups read for a whole list of environments) over real HTTP.

Called the way a bulk caller calls it, with a real DynatraceClient against the emulator, no ansible-playbook:
the request log shows what a list of environments with permissions costs.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as _api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceClient
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.grants import grant_all

GROUPS = '/api/v1.0/onpremise/groups'
GRANTS = {'all-viewers': ['VIEWER'], 'team-settings': ['MANAGE_SETTINGS', 'LOG_VIEWER']}


@pytest.fixture
def client(emulator):
    return DynatraceClient(emulator.url, emulator.token, retries=0)


def apply_all(client, env_ids, grants=None, check_mode=False, settings=None):
    groups = _api_groups.list_groups(client)
    outcomes = grant_all(client, groups, [(env_id, GRANTS if grants is None else grants) for env_id in env_ids],
                         check_mode=check_mode, settings=settings)
    return [outcomes[env_id] for env_id in env_ids]


def test_a_list_of_environments_costs_one_groups_read_in_steady_state(emulator, client):
    env_ids = [emulator.create_environment('env-%d' % number) for number in range(3)]
    emulator.clear_requests()
    first = apply_all(client, env_ids)
    assert [(entry['method'], entry['status']) for entry in emulator.requests()] == \
        [('GET', 200)] + [('POST', 200)] * 2  # one write per group for the whole list
    assert [outcome['created'] for outcome in first[0]] == [True, True]
    assert first[1][1] == {'group': 'team-settings', 'changed': True, 'created': True, 'before': [],
                           'after': ['VIEWER', 'MANAGE_SETTINGS', 'LOG_VIEWER']}
    stored = dict((group['name'], group['accessRight']) for group in emulator.groups())
    assert stored['all-viewers']['VIEWER'] == sorted(env_ids) and stored['team-settings']['MANAGE_SETTINGS'] == sorted(env_ids)

    emulator.clear_requests()
    again = apply_all(client, env_ids)
    assert [entry['method'] for entry in emulator.requests()] == ['GET']
    assert not any(outcome['changed'] for outcomes in again for outcome in outcomes)


def test_merge_keeps_everything_else_on_the_group(emulator, client):
    kept, added = emulator.create_environment('kept'), emulator.create_environment('added')
    created = _api_groups.create_group(client, {'name': 'all-viewers', 'isClusterAdminGroup': False, 'isManageAccount': True,
                                                'ldapGroupNames': ['cn=all'], 'accessRight': {'AGENT_INSTALL': [kept]}})
    apply_all(client, [added], {'all-viewers': ['VIEWER']})
    (group,) = [group for group in emulator.groups() if group['id'] == created['id']]
    assert group['accessRight']['AGENT_INSTALL'] == [kept] and group['accessRight']['VIEWER'] == sorted([kept, added])
    assert group['ldapGroupNames'] == ['cn=all'] and group['isManageAccount'] is True


def test_check_mode_sends_nothing_and_says_what_would_change(emulator, client):
    env_id = emulator.create_environment('env')
    emulator.clear_requests()
    (outcomes,) = apply_all(client, [env_id], check_mode=True)
    assert [entry['method'] for entry in emulator.requests()] == ['GET'] and emulator.groups() == []
    assert [(outcome['group'], outcome['changed'], outcome['created']) for outcome in outcomes] == [
        ('all-viewers', True, True), ('team-settings', True, True)]


def test_a_group_created_by_another_run_meanwhile_is_adopted(emulator, client):
    env_id, other = emulator.create_environment('env'), emulator.create_environment('other')
    emulator.add_fault(method='POST', path=GROUPS, action='preempt',
                       body='{"name": "all-viewers", "isClusterAdminGroup": false, "accessRight": {"VIEWER": ["%s"]}}' % other)
    apply_all(client, [env_id], {'all-viewers': ['VIEWER']})
    (group,) = emulator.groups()
    assert group['accessRight']['VIEWER'] == sorted([env_id, other])


def test_replace_revokes_on_the_managed_environments_and_keeps_the_others(emulator, client):
    cut, dropped, outside = (emulator.create_environment(name) for name in ('cut', 'dropped', 'outside'))
    _api_groups.create_group(client, {'name': 'team', 'isClusterAdminGroup': False, 'accessRight': {
        'VIEWER': [cut, dropped, outside], 'MANAGE_SETTINGS': [cut, outside]}})
    settings = [{'name': 'team', 'permissions_mode': 'replace'}]
    emulator.clear_requests()
    (checked_cut, checked_dropped) = apply_all(client, [cut, dropped], {}, check_mode=True, settings=settings)
    assert [entry['method'] for entry in emulator.requests()] == ['GET']
    assert checked_cut[0]['revoked'] == ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS']
    assert checked_dropped[0]['revoked'] == ['VIEWER', 'VIEW_SECURITY_PROBLEMS']  # the cluster's addition goes with VIEWER
    apply_all(client, [cut], {'team': ['VIEWER']}, settings=settings)  # manages `cut` only: `dropped` is not touched
    (group,) = emulator.groups()
    assert (group['accessRight']['MANAGE_SETTINGS'], group['accessRight']['VIEWER']) == ([outside], sorted([cut, dropped, outside]))
    outcomes = grant_all(client, _api_groups.list_groups(client), [(cut, {'team': ['VIEWER']}), (dropped, {})],
                         settings=settings)
    assert outcomes[dropped][0]['revoked'] == ['VIEWER', 'VIEW_SECURITY_PROBLEMS']
    (group,) = emulator.groups()
    assert (group['accessRight']['MANAGE_SETTINGS'], group['accessRight']['VIEWER']) == ([outside], sorted([cut, outside]))
    emulator.clear_requests()
    again = grant_all(client, _api_groups.list_groups(client), [(cut, {'team': ['VIEWER']}), (dropped, {})],
                      settings=settings)
    assert [entry['method'] for entry in emulator.requests()] == ['GET'] and not again[dropped]
    assert not any(outcome['changed'] for outcome in again[cut])
