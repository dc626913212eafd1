"""dynatrace_user_group_info through ansible-playbook against the emulator: output feeds dynatrace_user_group."""

import requests

from tests.integration.runner import run_module, run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'


def calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()]


def api_group(emulator, name, **fields):
    answer = requests.post(emulator.url + GROUPS, json=dict(name=name, isClusterAdminGroup=False, **fields),
                           headers={'Authorization': 'Api-Token ' + emulator.token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_groups_come_in_the_option_shape_with_environment_names(emulator):
    prod, dev = emulator.create_environment('prod'), emulator.create_environment('dev')
    created = api_group(emulator, 'team', ldapGroupNames=['cn=team'], isManageAccount=True,
                        accessRight={'MANAGE_SETTINGS': [prod], 'LOG_VIEWER': [dev]})
    api_group(emulator, 'empty')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group_info', emulator)
    assert status == 'ok', result
    assert calls(emulator) == [('GET', GROUPS), ('GET', GROUPS + '/managementZones'), ('GET', ENVIRONMENTS)]
    no_flags = {'cluster_admin': False, 'access_account': False, 'manage_account': False}
    assert result['groups'] == [
        dict(no_flags, name='empty', permissions=[], ldap_group_names=[], sso_group_names=[], management_zone_permissions=[]),
        dict(no_flags, manage_account=True, name='team', ldap_group_names=['cn=team'], sso_group_names=[],
             management_zone_permissions=[], permissions=[
            {'environment': 'dev', 'permissions': ['VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS']},
            {'environment': 'prod', 'permissions': ['VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS']}])]
    assert result['group_details']['team'] == {'id': created['id'], 'is_cluster_admin_group': False,
                                               'access_account': False, 'manage_account': True}


def test_one_group_by_name_and_no_environments_read_when_it_holds_no_permissions(emulator):
    emulator.create_environment('prod')
    api_group(emulator, 'plain', ssoGroupNames=['sso-plain'])
    api_group(emulator, 'Plain-other')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group_info', emulator, name='plain')
    assert [group['name'] for group in result['groups']] == ['plain'] and result['groups'][0]['sso_group_names'] == ['sso-plain']
    assert calls(emulator) == [('GET', GROUPS), ('GET', GROUPS + '/managementZones')]  # no zones held: no zone listing
    status, result = run_module('dynatrace_user_group_info', emulator, name='nobody')
    assert status == 'ok' and result['groups'] == [] and result['group_details'] == {}


def test_an_environment_whose_name_is_not_unique_is_given_by_id(emulator):
    first, second = emulator.create_environment('twin'), emulator.create_environment('twin')
    api_group(emulator, 'g', accessRight={'VIEWER': [first]})
    status, result = run_module('dynatrace_user_group_info', emulator, name='g')
    assert result['groups'][0]['permissions'] == [{'environment': first, 'permissions': ['VIEWER', 'VIEW_SECURITY_PROBLEMS']}]
    assert second not in str(result['groups'])


def test_the_output_fed_back_as_input_in_replace_mode_changes_nothing(emulator):
    prod, dev = emulator.create_environment('prod'), emulator.create_environment('dev')
    api_group(emulator, 'team', ldapGroupNames=['cn=team'], accessRight={'AGENT_INSTALL': [prod], 'VIEWER': [dev]})
    api_group(emulator, 'ops', ssoGroupNames=['sso-ops'], accessRight={'MANAGE_SETTINGS': [dev]})
    before = emulator.groups()
    tasks = [
        {'name': 'read', 'clusterops.dynatrace.dynatrace_user_group_info': {}, 'register': 'found'},
        {'name': 'apply', 'loop': '{{ found.groups }}', 'clusterops.dynatrace.dynatrace_user_group': {
            'name': '{{ item.name }}', 'permissions': '{{ item.permissions }}', 'permissions_mode': 'replace',
            'ldap_group_names': '{{ item.ldap_group_names }}', 'sso_group_names': '{{ item.sso_group_names }}'}},
    ]
    emulator.clear_requests()
    run = run_tasks(tasks, emulator=emulator)
    assert run.rc == 0, run
    (applied,) = run.by_task('apply')
    assert [item['changed'] for item in applied['results']] == [False, False]
    assert [entry['method'] for entry in emulator.requests()] == ['GET'] * 7  # the info's zone-permission read too
    assert emulator.groups() == before
