"""Management-zone permissions by environment and zone name: dynatrace_user_group and _info against the emulator.

Every test that writes runs under both readings of PUT /groups/managementZones (the server changes only the
zones a PUT names, or replaces every zone of the group), and asserts on the emulator's request log.
"""

import pytest
import requests
import yaml

from tests.integration.runner import run_module, run_tasks
from tests.integration.test_export_round_trip import apply, export

ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'
ZONE_PERMISSIONS = GROUPS + '/managementZones'


def calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()]


def writes_to_groups(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()
            if entry['method'] != 'GET' and entry['path'].startswith(GROUPS)]


def chain(env_id):
    """The requests of the token chain that lists one environment's zones."""
    return [('POST', '%s/%s/tokenManagementToken' % (ENVIRONMENTS, env_id)), ('POST', '/e/%s/api/v2/apiTokens' % env_id),
            ('GET', '/e/%s/api/config/v1/managementZones' % env_id)]


def held(emulator, group_name):
    """{(environment id, zone id): permissions} the emulator stores for the group."""
    group_id = next(group['id'] for group in emulator.groups() if group['name'] == group_name)
    return {(entry['environmentUuid'], zone['mzId']): zone['permissions']
            for record in emulator.zone_permissions() if record['groupId'] == group_id
            for entry in record['mzPermissionsPerEnvironment'] for zone in entry['mzPermissions']}


def zone(environment, management_zone, *permissions, **extra):
    return dict(extra, environment=environment, management_zone=management_zone, permissions=list(permissions))


@pytest.fixture(params=['per_zone', 'whole_group'])
def reading(request, emulator):
    """The reset emulator under one reading of the zone-permission PUT."""
    emulator.configure(zone_permissions_replace=request.param == 'whole_group',
                       cluster_tokens_see_environment_tokens=True)  # so the minted tokens can be deleted
    return emulator


@pytest.fixture
def world(reading):
    """Two environments with zones; ids by name."""
    emulator = reading
    envs = dict((name, emulator.create_environment(name)) for name in ('team-payments', 'team-search'))
    zones = {('team-payments', 'payments-prod'): emulator.create_zone(envs['team-payments'], 'payments-prod'),
             ('team-payments', 'payments-dev'): emulator.create_zone(envs['team-payments'], 'payments-dev'),
             ('team-search', 'search-prod'): emulator.create_zone(envs['team-search'], 'search-prod')}
    emulator.clear_requests()
    return emulator, envs, zones


def no_tokens_left(emulator, envs):
    """Every token the chain made is deleted: none of the environments holds a token any more."""
    return [token for token in emulator.tokens() if token['environment'] in envs.values()] == []


def test_grant_by_names_then_rerun_changes_nothing(world):
    emulator, envs, zones = world
    task = dict(name='team-payments', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER', 'LOG_VIEWER'), zone('team-search', 'search-prod', 'VIEWER')])
    status, result = run_module('dynatrace_user_group', emulator, diff=True, **task)
    assert status == 'changed', result
    pay, search = envs['team-payments'], envs['team-search']
    assert held(emulator, 'team-payments') == {
        (pay, zones[('team-payments', 'payments-prod')]): ['LOG_VIEWER', 'VIEWER', 'VIEW_SECURITY_PROBLEMS'],
        (search, zones[('team-search', 'search-prod')]): ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    after = {'team-payments': {'payments-prod': ['VIEWER', 'LOG_VIEWER']}, 'team-search': {'search-prod': ['VIEWER']}}
    assert result['diff']['after']['management_zones'] == after
    before = {'team-payments': {'payments-prod': []}, 'team-search': {'search-prod': []}}
    assert result['diff']['before']['management_zones'] == before
    assert writes_to_groups(emulator) == [('POST', GROUPS), ('PUT', ZONE_PERMISSIONS)]
    assert no_tokens_left(emulator, envs)

    emulator.clear_requests()
    status, again = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'ok' and again['changed'] is False, again  # VIEW_SECURITY_PROBLEMS added by the cluster: no drift
    assert again['group']['management_zone_permissions'] == [
        zone('team-payments', 'payments-prod', 'VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS'),
        zone('team-search', 'search-prod', 'VIEWER', 'VIEW_SECURITY_PROBLEMS')]
    group_id = again['group_id']
    expected = [('GET', ENVIRONMENTS), ('GET', GROUPS), ('GET', '%s/%s' % (ZONE_PERMISSIONS, group_id))]
    for env_id in (pay, search):
        expected += chain(env_id)
    steady = calls(emulator)
    assert sorted(call for call in steady if call[0] != 'DELETE') == sorted(expected)
    deletes = [path for method, path in steady if method == 'DELETE']
    assert len(deletes) == 4 and len([path for path in deletes if '/api/v2/apiTokens/' in path]) == 2
    assert len(steady) == 3 + 5 * 2  # the reads, and per environment the zone listing with its token chain
    assert writes_to_groups(emulator) == []


def test_merge_keeps_other_zones_and_replace_removes_them(world):
    emulator, envs, zones = world
    pay = envs['team-payments']
    run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER'), zone('team-search', 'search-prod', 'VIEWER')])
    status, dummy = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-dev', 'MANAGE_SETTINGS')])
    assert status == 'changed'
    assert set(held(emulator, 'g')) == {(pay, zones[('team-payments', 'payments-prod')]),
                                        (pay, zones[('team-payments', 'payments-dev')]),
                                        (envs['team-search'], zones[('team-search', 'search-prod')])}
    status, result = run_module('dynatrace_user_group', emulator, diff=True, name='g', permissions_mode='replace',
                                management_zone_permissions=[zone('team-payments', 'payments-dev', 'MANAGE_SETTINGS')])
    assert status == 'changed'
    assert held(emulator, 'g') == {(pay, zones[('team-payments', 'payments-dev')]): ['MANAGE_SETTINGS']}
    assert result['diff']['after']['management_zones']['team-payments'] == {'payments-prod': []}
    status, dummy = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-dev', state='absent')])
    assert status == 'changed' and held(emulator, 'g') == {}


def test_check_mode_names_environment_zone_and_permission_and_writes_nothing(world):
    emulator, envs, dummy = world
    status, result = run_module('dynatrace_user_group', emulator, check=True, diff=True, name='g',
                                management_zone_permissions=[zone('team-payments', 'payments-prod', 'LOG_VIEWER')])
    assert status == 'changed'
    assert result['diff']['after']['management_zones'] == {'team-payments': {'payments-prod': ['LOG_VIEWER']}}
    assert writes_to_groups(emulator) == [] and emulator.groups() == []
    assert no_tokens_left(emulator, envs)


@pytest.mark.parametrize('entry, words', [
    (zone('team-nowhere', 'payments-prod', 'VIEWER'), ["'team-nowhere'", "'payments-prod'", 'does not exist']),
    (zone('team-payments', 'no-such-zone', 'VIEWER'), ["'no-such-zone'", "'team-payments'", 'does not exist']),
])
def test_unknown_environment_or_zone_writes_nothing(world, entry, words):
    emulator, dummy, dummy2 = world
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-search', 'search-prod', 'VIEWER'), entry])
    assert status == 'failed'
    assert all(word in result['msg'] for word in words), result['msg']
    assert writes_to_groups(emulator) == [] and emulator.groups() == []


def test_two_zones_of_one_name_fail_listing_their_ids(world):
    emulator, envs, zones = world
    twin = emulator.create_zone(envs['team-payments'], 'payments-prod', duplicate_name=True)
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER')])
    assert status == 'failed'
    assert zones[('team-payments', 'payments-prod')] in result['msg'] and twin in result['msg']
    assert writes_to_groups(emulator) == []


def test_a_zone_created_a_moment_ago_converges_in_one_run(world):
    emulator, envs, dummy = world
    emulator.configure(zone_visibility_delay_ms=8000)  # longer than ansible-playbook takes to start
    fresh = emulator.create_zone(envs['team-payments'], 'just-made')
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'just-made', 'VIEWER')])
    assert status == 'changed', result
    puts = [entry['status'] for entry in emulator.requests() if entry['method'] == 'PUT']
    assert puts[0] == 404 and puts[-1] == 200 and len(puts) >= 2
    assert held(emulator, 'g') == {(envs['team-payments'], fresh): ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}


def test_only_zones_this_run_resolved_are_waited_for(world):
    """The same refusal naming a zone the task did not resolve (held before, say) fails at once: one PUT."""
    emulator, envs, zones = world
    stranger = '-1234567890123'
    message = "Management zone with ID %s doesn't exist within environment %s" % (stranger, envs['team-payments'])
    emulator.add_fault(method='PUT', path=ZONE_PERMISSIONS, action='status', status=404, times=3,
                       body='{"error": {"code": 404, "message": "%s"}}' % message, content_type='application/json')
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER')])
    assert status == 'failed' and stranger in result['msg'], result
    assert len([entry for entry in emulator.requests() if entry['method'] == 'PUT']) == 1


def test_a_permission_name_the_cluster_refuses_is_a_clear_error(world):
    emulator, dummy, dummy2 = world
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER', 'FUTURE_PERMISSION')])
    assert status == 'failed', result
    assert 'management_zone_permissions: the cluster refused management-zone permission FUTURE_PERMISSION (' \
        in result['msg'], result['msg']  # only the refused name, with the server's own words after it
    status, result = run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'viewer')])
    assert status == 'failed' and "management_zone_permissions[0].permissions: 'viewer'" in result['msg']


def test_given_read_token_replaces_the_chain(world):
    emulator, envs, dummy = world
    token = emulator.environment_token(envs['team-payments'], scopes=('ReadConfig',))
    status, dummy = run_module('dynatrace_user_group', emulator, name='g',
                               zone_read_tokens={'team-payments': token},
                               management_zone_permissions=[zone('team-payments', 'payments-prod', 'VIEWER')])
    assert status == 'changed'
    assert not [c for c in calls(emulator) if 'tokenManagementToken' in c[1] or 'apiTokens' in c[1]]


def test_info_reports_zone_permissions_in_the_shape_the_module_takes(world):
    emulator, envs, dummy = world
    grants = [zone('team-payments', 'payments-prod', 'VIEWER', 'LOG_VIEWER'), zone('team-search', 'search-prod', 'DEMO_USER')]
    run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=grants)
    run_module('dynatrace_user_group', emulator, name='other', permissions=[{'environment': 'team-search',
                                                                             'permissions': ['VIEWER']}])
    emulator.clear_requests()
    status, info = run_module('dynatrace_user_group_info', emulator)
    assert status == 'ok'
    by_name = dict((group['name'], group) for group in info['groups'])
    assert by_name['g']['management_zone_permissions'] == [
        zone('team-payments', 'payments-prod', 'VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS'),
        zone('team-search', 'search-prod', 'DEMO_USER')]
    assert by_name['other']['management_zone_permissions'] == []
    assert [c for c in calls(emulator) if c[0] == 'GET' and c[1].startswith(GROUPS)] == [('GET', GROUPS), ('GET', ZONE_PERMISSIONS)]
    assert len([c for c in calls(emulator) if c[1].endswith('/api/config/v1/managementZones')]) == 2
    assert no_tokens_left(emulator, envs)
    emulator.clear_requests()
    status, again = run_module('dynatrace_user_group', emulator, permissions_mode='replace', **by_name['g'])
    assert status == 'ok' and again['changed'] is False, again  # its output feeds its input
    status, light = run_module('dynatrace_user_group_info', emulator, name='g', management_zones=False)
    assert 'management_zone_permissions' not in light['groups'][0]


def role_run(emulator, items, check=False):
    task = {'name': 'run the role', 'ansible.builtin.include_role': {'name': 'clusterops.dynatrace.environments'},
            'vars': {'environments_list': items, 'environments_parallel': 4}}
    return run_tasks([task], emulator=emulator, check=check)


def test_role_items_grant_zones_by_name_with_one_read_and_one_write_per_group(world):
    emulator, envs, zones = world
    emulator.create_environment('team-empty')  # named by no zone: its zones are never listed
    items = [
        {'name': 'team-payments', 'permissions': {
            'payments-team': {'permissions': ['MANAGE_SETTINGS'],
                              'management_zones': {'payments-prod': ['VIEWER', 'LOG_VIEWER'], 'payments-dev': ['VIEWER']}},
            'auditors': {'management_zones': {'payments-prod': ['VIEWER']}}}},
        {'name': 'team-search', 'permissions': {'auditors': {'management_zones': {'search-prod': ['VIEWER']}},
                                                'search-team': ['VIEWER']}},
        {'name': 'team-empty', 'permissions': {'auditors': ['VIEWER']}},
    ]
    emulator.clear_requests()
    run = role_run(emulator, items)
    assert run.rc == 0, run
    pay, search = envs['team-payments'], envs['team-search']
    assert held(emulator, 'auditors') == {(pay, zones[('team-payments', 'payments-prod')]): ['VIEWER', 'VIEW_SECURITY_PROBLEMS'],
                                          (search, zones[('team-search', 'search-prod')]): ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}
    assert set(held(emulator, 'payments-team')) == {(pay, zones[('team-payments', 'payments-prod')]),
                                                    (pay, zones[('team-payments', 'payments-dev')])}
    listed = [path for method, path in calls(emulator) if path.endswith('/api/config/v1/managementZones')]
    assert sorted(listed) == sorted('/e/%s/api/config/v1/managementZones' % env for env in (pay, search))
    assert [c for c in calls(emulator) if c == ('GET', ZONE_PERMISSIONS)] == [('GET', ZONE_PERMISSIONS)]
    assert len([c for c in calls(emulator) if c == ('PUT', ZONE_PERMISSIONS)]) == 2  # one per group

    emulator.clear_requests()
    run = role_run(emulator, items)
    assert run.rc == 0 and not [c for c in calls(emulator) if c[0] == 'PUT' and c[1].startswith(GROUPS)], run
    assert not any(entry['status'] == 'changed' for entry in run.results), run

    items[1]['permissions']['auditors']['management_zones']['search-prod'].append('LOG_VIEWER')
    emulator.clear_requests()
    run = role_run(emulator, items, check=True)
    assert run.rc == 0 and any(entry['status'] == 'changed' for entry in run.results), run
    assert writes_to_groups(emulator) == [] and 'LOG_VIEWER' not in str(held(emulator, 'auditors'))


def test_role_item_naming_an_unknown_zone_fails_and_writes_nothing_for_it(world):
    emulator, envs, dummy = world
    items = [{'name': 'team-payments', 'permissions': {'g': {'management_zones': {'no-such-zone': ['VIEWER']}}}},
             {'name': 'team-search', 'permissions': {'h': {'management_zones': {'search-prod': ['VIEWER']}}}}]
    run = role_run(emulator, items)
    assert run.rc != 0 and 'no-such-zone' in run.stdout
    assert [group['name'] for group in emulator.groups()] == ['h']
    assert set(env for env, dummy in held(emulator, 'h')) == {envs['team-search']}


def test_export_apply_to_an_empty_cluster_export_gives_the_same_file(world, emulator_factory, tmp_path):
    """Zones are not this collection's to create: the test makes the target's environments and zones by name."""
    emulator, envs, dummy = world
    run_module('dynatrace_user_group', emulator, name='payments-team',
               permissions=[{'environment': 'team-payments', 'permissions': ['MANAGE_SETTINGS']}],
               management_zone_permissions=[zone('team-payments', 'payments-prod', 'VIEWER', 'LOG_VIEWER'),
                                            zone('team-payments', 'payments-dev', 'VIEWER')])
    run_module('dynatrace_user_group', emulator, name='auditors',
               management_zone_permissions=[zone('team-search', 'search-prod', 'VIEWER')])
    export(emulator, tmp_path / 'a.yml')
    items = dict((item['name'], item) for item in yaml.safe_load((tmp_path / 'a.yml').read_text())['environments_list'])
    assert items['team-payments']['permissions'] == {'payments-team': {
        'permissions': ['MANAGE_SETTINGS'],
        'management_zones': {'payments-dev': ['VIEWER'], 'payments-prod': ['VIEWER', 'LOG_VIEWER']}}}
    assert items['team-search']['permissions'] == {'auditors': {'management_zones': {'search-prod': ['VIEWER']}}}

    target = emulator_factory()
    target.configure(zone_permissions_replace=emulator.config()['zone_permissions_replace'],
                     cluster_tokens_see_environment_tokens=True)
    for name, env_id in envs.items():
        answer = requests.put('%s%s/%s' % (target.url, ENVIRONMENTS, env_id), json={'name': name}, timeout=10,
                              headers={'Authorization': 'Api-Token ' + target.token})
        assert answer.status_code == 201, answer.text
    for zone_env, zone_name in (('team-payments', 'payments-prod'), ('team-payments', 'payments-dev'),
                                ('team-search', 'search-prod')):
        target.create_zone(envs[zone_env], zone_name)  # new legacy ids: only the names carry over
    apply(target, tmp_path / 'a.yml', tmp_path)
    export(target, tmp_path / 'b.yml')
    assert (tmp_path / 'b.yml').read_text() == (tmp_path / 'a.yml').read_text()


def test_replace_with_no_zones_takes_every_zone_away_without_listing_any(world):
    emulator, dummy, dummy2 = world
    run_module('dynatrace_user_group', emulator, name='g', management_zone_permissions=[
        zone('team-payments', 'payments-prod', 'VIEWER'), zone('team-search', 'search-prod', 'VIEWER')])
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, name='g', permissions_mode='replace',
                                management_zone_permissions=[])
    assert status == 'changed' and held(emulator, 'g') == {}, result
    assert not [c for c in calls(emulator) if c[1].startswith('/e/') or 'tokenManagementToken' in c[1]]
