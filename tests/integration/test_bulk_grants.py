"""grant_all of the bulk engine over real HTTP: one write per group for a whole list of environments."""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as _api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.grants import grant_all
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceClient


def test_a_shared_group_gets_one_write_for_every_environment_and_keeps_the_rest(emulator):
    client = DynatraceClient(emulator.url, emulator.token, retries=0)
    kept = emulator.create_environment('kept')
    envs = [emulator.create_environment('env-%d' % number) for number in range(5)]
    _api_groups.create_group(client, {'name': 'shared', 'isClusterAdminGroup': False,
                                      'accessRight': {'LOG_VIEWER': [kept]}})
    emulator.clear_requests()
    grants = [(env, {'shared': ['VIEWER'], 'own-%s' % env: ['MANAGE_SETTINGS']}) for env in envs]
    outcomes = grant_all(client, _api_groups.list_groups(client), grants, parallel=4)
    methods = sorted(entry['method'] for entry in emulator.requests())
    assert methods == ['GET'] + ['POST'] * 5 + ['PUT']
    groups = dict((group['name'], group['accessRight']) for group in emulator.groups())
    assert groups['shared']['VIEWER'] == sorted(envs + [kept]) and groups['shared']['LOG_VIEWER'] == [kept]
    assert all(len(outcomes[env]) == 2 and all(o['changed'] for o in outcomes[env]) for env in envs)

    emulator.clear_requests()
    again = grant_all(client, _api_groups.list_groups(client), grants, parallel=4)
    assert [entry['method'] for entry in emulator.requests()] == ['GET']
    assert not any(o['changed'] for env in envs for o in again[env])


def test_a_failing_group_fails_its_environments_only(emulator):
    client = DynatraceClient(emulator.url, emulator.token, retries=0)
    first, second = emulator.create_environment('first'), emulator.create_environment('second')
    emulator.add_fault(method='POST', path='/api/v1.0/onpremise/groups', action='status', status=400)
    outcomes = grant_all(client, [], [(first, {'a': ['VIEWER']}), (second, {'a': ['VIEWER']})])
    assert outcomes[first][0]['failed'] and 'group a' in outcomes[first][0]['msg']
    assert outcomes[second][0]['failed']


def test_replace_revokes_outside_the_list_only_when_asked(emulator):
    client = DynatraceClient(emulator.url, emulator.token, retries=0)
    listed, outside = emulator.create_environment('listed'), emulator.create_environment('outside')
    _api_groups.create_group(client, {'name': 'owned', 'isClusterAdminGroup': False,
                                      'accessRight': {'VIEWER': [listed, outside], 'LOG_VIEWER': [outside]}})
    grants = [(listed, {'owned': ['VIEWER']})]
    kept = grant_all(client, _api_groups.list_groups(client), grants, settings=[{'name': 'owned', 'permissions_mode': 'replace'}])
    assert outside not in kept and emulator.groups()[0]['accessRight']['LOG_VIEWER'] == [outside]
    emulator.clear_requests()
    everywhere = [{'name': 'owned', 'permissions_mode': 'replace', 'replace_scope': 'cluster'}]
    revoked = grant_all(client, _api_groups.list_groups(client), grants, settings=everywhere)
    assert revoked[outside][0]['revoked'] == ['VIEWER', 'LOG_VIEWER', 'VIEW_SECURITY_PROBLEMS']
    assert [entry['method'] for entry in emulator.requests()] == ['GET', 'PUT']
    rights = dict((permission, ids) for permission, ids in emulator.groups()[0]['accessRight'].items() if ids)
    assert outside not in sum(rights.values(), []) and listed in rights['VIEWER']


def test_a_declared_group_is_created_with_its_directory_names_without_permissions(emulator):
    client = DynatraceClient(emulator.url, emulator.token, retries=0)
    report = []
    settings = [{'name': 'directory', 'ldap_group_names': ['cn=b', 'cn=a'], 'sso_group_names': ['s']}]
    assert grant_all(client, _api_groups.list_groups(client), [], settings=settings, report=report) == {}
    assert report == [{'group': 'directory', 'changed': True, 'created': True, 'before': {},
                       'after': {'ldap_group_names': ['cn=a', 'cn=b'], 'sso_group_names': ['s']}}]
    (group,) = emulator.groups()
    assert group['ldapGroupNames'] == ['cn=a', 'cn=b'] and group['ssoGroupNames'] == ['s']
    again = []
    grant_all(client, _api_groups.list_groups(client), [], settings=settings, report=again)
    assert again == []
