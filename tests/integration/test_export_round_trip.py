"""playbooks/export.yml and the environments role, round trip: export A, apply to an empty B, export B.

Both emulators run under the same reading of the unknowns (unlimited storage read back as null or as 0,
a nextPageKey that keeps or drops the include flags), once per reading.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from tests.emulator.pytest_plugin import READINGS
from tests.integration.runner import VERBOSITY_ENV, _append_output_log, ansible_env

PLAYBOOKS = Path(__file__).resolve().parents[2] / 'playbooks'
ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / 'ansible-playbook')

# Valid under the default license (Davis data units: no customMetrics or logMonitoring quota) and the
# current cluster version (rumNonAggregatedDataRetention, no Log Monitoring storage).
SIZED = {
    'quotas': {'hostUnits': {'maxLimit': 50}, 'demUnits': {'monthlyLimit': 2000, 'annualLimit': None},
               'userSessions': {'totalMonthlyLimit': 100000, 'totalAnnualLimit': 1000000},
               'syntheticMonitors': {'monthlyLimit': 500, 'annualLimit': 6000},
               'davisDataUnits': {'monthlyLimit': 100000, 'annualLimit': None}},
    'storage': {'transactionStorage': {'maxLimit': 107374182400}, 'symbolFilesFromMobileApps': {'maxLimit': 1024},
                'serviceRequestLevelRetention': {'maxLimitInDays': 35},
                'serviceCodeLevelRetention': {'maxLimitInDays': 10},
                'realUserMonitoringRetention': {'maxLimitInDays': 20},
                'syntheticMonitoringRetention': {'maxLimitInDays': 7},
                'sessionReplayRetention': {'maxLimitInDays': 3},
                'rumNonAggregatedDataRetention': {'maxLimitInDays': 100},
                'userActionsPerMinute': {'maxLimit': 5000}, 'transactionTrafficQuota': {'maxLimit': 2000}},
}
FIXTURE = [
    dict(name='team-payments', tags=['stage:prod', 'department:finance'], **SIZED),
    dict(name='Team (Search), EU', trial=True, tags=['department:search']),
    dict(name="O'Neil lab \\ Zürich", state='DISABLED', quotas={'hostUnits': {'maxLimit': 0}}),
    dict(name='archive', state='DISABLED', trial=True, storage={'userActionsPerMinute': {'maxLimit': None}}),
]


def api_create(emulator, body):
    answer = requests.post(emulator.url + ENVIRONMENTS, json=body, timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    return answer.json()['id']


def seed_cluster(emulator, namesake=True):
    for body in FIXTURE:
        api_create(emulator, body)
    if namesake:
        api_create(emulator, dict(name='team-payments', tags=['stage:dev']))  # a second one of that name
    emulator.seed(6, name_prefix='seeded')


def playbook(path, emulator, *extra):
    command = [ANSIBLE_PLAYBOOK, '-i', 'localhost,', '-c', 'local', str(path)] + list(extra)
    verbosity = int(os.environ.get(VERBOSITY_ENV) or 0)  # the -vvv pass of tests/tools/verbose-secrets.sh
    command += ['-' + 'v' * verbosity] if verbosity else []
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False,
                               env=ansible_env(emulator, stdout_callback='default'))
    _append_output_log(command, completed)
    return completed


def recap(completed):
    """{'ok': n, 'changed': n, 'failed': n} of localhost from the PLAY RECAP."""
    line = [line for line in completed.stdout.splitlines() if line.startswith('localhost') and 'ok=' in line][-1]
    return dict((key, int(value)) for key, value in (part.split('=') for part in line.split()[2:]) if value.isdigit())


def export(emulator, path, *extra):
    completed = playbook(PLAYBOOKS / 'export.yml', emulator, '-e', 'export_file=%s' % path, *extra)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed


def apply(emulator, vars_file, folder, update_existing=False):
    play = [{'name': 'Apply an exported vars file', 'hosts': 'localhost', 'gather_facts': False,
             'vars_files': [str(vars_file)],
             'roles': [{'role': 'clusterops.dynatrace.environments',
                        'vars': {'environments_update_existing': update_existing}}]}]
    path = Path(folder) / 'apply.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    completed = playbook(path, emulator)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed


@pytest.mark.parametrize('reading', sorted(READINGS))
def test_export_apply_export_gives_the_same_file_and_reapplying_changes_nothing(
        emulator, emulator_factory, tmp_path, reading):
    emulator.configure(**READINGS[reading])
    seed_cluster(emulator)
    target = emulator_factory(**READINGS[reading])
    emulator.clear_requests()
    first = export(emulator, tmp_path / 'a.yml')
    assert recap(first)['changed'] == 1
    # No group holds permissions: the groups read needs no environments listing to name them.
    assert [(entry['method'], entry['path']) for entry in emulator.requests()] == [('GET', ENVIRONMENTS), ('GET', GROUPS)]
    exported = yaml.safe_load((tmp_path / 'a.yml').read_text())['environments_list']
    assert len(exported) == len(FIXTURE) + 1 + 6
    assert [item['name'] for item in exported] == sorted(item['name'] for item in exported)

    apply(target, tmp_path / 'a.yml', tmp_path)
    export(target, tmp_path / 'b.yml')
    # The ids were exported, so B has the very same ids, and the files are identical byte for byte.
    assert (tmp_path / 'b.yml').read_text() == (tmp_path / 'a.yml').read_text()

    target.clear_requests()
    again = apply(target, tmp_path / 'a.yml', tmp_path, update_existing=True)
    assert recap(again)['changed'] == 0, again.stdout[-4000:]
    assert [entry['method'] for entry in target.requests()] == ['GET']
    # Exporting an unchanged cluster again leaves the file alone.
    assert recap(export(emulator, tmp_path / 'a.yml'))['changed'] == 0


def api_create_group(emulator, name, access_right, **flags):
    body = dict(dict(name=name, isClusterAdminGroup=False, accessRight=access_right), **flags)
    answer = requests.post(emulator.url + GROUPS, json=body, timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 200, answer.text
    return answer.json()


def environment_id_of(emulator, name):
    return [item['id'] for item in emulator.environments() if item['name'] == name][0]


# A: the server adds VIEW_SECURITY_PROBLEMS next to VIEWER or not; B: the other way round.
@pytest.mark.parametrize('implied_on_a', [True, False])
def test_group_permissions_round_trip_and_the_missing_group_is_created(emulator, emulator_factory, tmp_path, implied_on_a):
    emulator.configure(implied_view_security_problems=implied_on_a)
    seed_cluster(emulator)
    search = environment_id_of(emulator, 'Team (Search), EU')
    api_create_group(emulator, 'search-admins', {'VIEWER': [search], 'MANAGE_SETTINGS': [search]})
    api_create_group(emulator, 'no-permissions', {})
    api_create_group(emulator, 'operators', {}, isClusterAdminGroup=True, isAccessAccount=True)
    target = emulator_factory(implied_view_security_problems=not implied_on_a)
    emulator.clear_requests()
    export(emulator, tmp_path / 'a.yml')
    assert [(entry['method'], entry['path']) for entry in emulator.requests()] == [
        ('GET', ENVIRONMENTS), ('GET', GROUPS), ('GET', GROUPS + '/managementZones'),
        ('GET', ENVIRONMENTS)]  # the groups read names the environments; no zone permissions, so no zone listing
    items = yaml.safe_load((tmp_path / 'a.yml').read_text())['environments_list']
    with_permissions = [item for item in items if 'permissions' in item]
    # VIEWER (and VIEW_SECURITY_PROBLEMS) are the cluster's own additions: only what was granted is written.
    assert with_permissions == [dict(with_permissions[0], environment_id=search,
                                     permissions={'search-admins': ['MANAGE_SETTINGS']})]
    assert list(with_permissions[0])[-1] == 'permissions'
    groups = dict((entry['name'], entry) for entry in yaml.safe_load((tmp_path / 'a.yml').read_text())['environments_groups'])
    # The flags of every group, always (a byte-stable file); a true cluster_admin comes with its confirmation.
    assert groups['operators'] == dict(name='operators', ldap_group_names=[], sso_group_names=[], cluster_admin=True,
                                       access_account=True, manage_account=False, confirm_cluster_admin=True)
    assert groups['no-permissions'] == dict(name='no-permissions', ldap_group_names=[], sso_group_names=[],
                                            cluster_admin=False, access_account=False, manage_account=False)

    target.clear_requests()
    apply(target, tmp_path / 'a.yml', tmp_path)
    assert ('POST', GROUPS) in [(entry['method'], entry['path']) for entry in target.requests()]
    created = [group for group in target.groups() if group['name'] == 'search-admins'][0]
    assert created['accessRight']['MANAGE_SETTINGS'] == [search] and created['accessRight']['VIEWER'] == [search]
    assert 'no-permissions' in [group['name'] for group in target.groups()]  # environments_groups: it exists there too
    operators = [group for group in target.groups() if group['name'] == 'operators'][0]
    assert operators['isClusterAdminGroup'] is True and operators.get('isAccessAccount') is True
    assert [entry for entry in target.requests() if entry['method'] == 'PUT' and entry['path'].startswith(GROUPS)] == []  # flags in the POST
    export(target, tmp_path / 'b.yml')
    assert (tmp_path / 'b.yml').read_text() == (tmp_path / 'a.yml').read_text()

    target.clear_requests()
    again = apply(target, tmp_path / 'a.yml', tmp_path, update_existing=True)
    assert recap(again)['changed'] == 0, again.stdout[-4000:]
    assert [(entry['method'], entry['path']) for entry in target.requests()] == [('GET', ENVIRONMENTS), ('GET', GROUPS)]


def test_names_that_look_like_templates_stay_data_through_the_round_trip(emulator, emulator_factory, tmp_path):
    marker = Path('/tmp/clusterops-pwned-%s' % os.getpid())
    names = ["{{ lookup('pipe', 'touch %s') }}" % marker, '{% if true %}yes{% endif %} {# note #}']
    for name in names:
        api_create(emulator, dict(name=name, tags=['team:{{ owner }}']))
    lab = environment_id_of(emulator, names[1])
    api_create_group(emulator, '{{ admins }}', {'MANAGE_SETTINGS': [lab]})
    body = dict(name='directory-only', isClusterAdminGroup=False, accessRight={},
                ldapGroupNames=['cn={{ team }},ou=groups', 'cn=ops'], ssoGroupNames=['sso-ops'])
    answer = requests.post(emulator.url + GROUPS, json=body, timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 200, answer.text
    target = emulator_factory()
    export(emulator, tmp_path / 'a.yml')
    text = (tmp_path / 'a.yml').read_text()
    assert "!unsafe '{{ admins }}'" in text and "!unsafe 'team:{{ owner }}'" in text, text
    groups = dict((group['name'], group) for group in yaml.safe_load(text.replace('!unsafe ', ''))['environments_groups'])
    assert groups['directory-only'] == {'name': 'directory-only', 'sso_group_names': ['sso-ops'],
                                        'ldap_group_names': ['cn=ops', 'cn={{ team }},ou=groups'],
                                        'cluster_admin': False, 'access_account': False, 'manage_account': False}

    apply(target, tmp_path / 'a.yml', tmp_path)
    assert not marker.exists()  # the pipe lookup in a name never ran
    assert sorted(env['name'] for env in target.environments()) == sorted(names)
    stored = dict((group['name'], group) for group in target.groups())
    assert stored['directory-only']['ldapGroupNames'] == ['cn=ops', 'cn={{ team }},ou=groups']
    assert stored['directory-only']['ssoGroupNames'] == ['sso-ops'] and not any(stored['directory-only']['accessRight'].values())
    assert stored['{{ admins }}']['accessRight']['MANAGE_SETTINGS'] == [lab]
    export(target, tmp_path / 'b.yml')
    assert (tmp_path / 'b.yml').read_text() == text
    target.clear_requests()
    again = apply(target, tmp_path / 'a.yml', tmp_path, update_existing=True)
    assert recap(again)['changed'] == 0 and not marker.exists(), again.stdout[-4000:]


def test_support_tickets_and_capture_data_round_trip_and_reapplying_changes_nothing(emulator, emulator_factory, tmp_path):
    """MANAGE_SUPPORT_TICKETS is exported and applied again; the MANAGE_SETTINGS the cluster adds next to
    CONFIGURE_REQUEST_CAPTURE_DATA is left out of the file and never counts as a difference."""
    search = api_create(emulator, dict(name='search'))
    api_create_group(emulator, 'support', {'MANAGE_SUPPORT_TICKETS': [search], 'CONFIGURE_REQUEST_CAPTURE_DATA': [search]})
    export(emulator, tmp_path / 'a.yml')
    (item,) = yaml.safe_load((tmp_path / 'a.yml').read_text())['environments_list']
    assert item['permissions'] == {'support': ['CONFIGURE_REQUEST_CAPTURE_DATA', 'MANAGE_SUPPORT_TICKETS']}
    target = emulator_factory()
    apply(target, tmp_path / 'a.yml', tmp_path)
    (group,) = target.groups()
    assert group['accessRight']['MANAGE_SUPPORT_TICKETS'] == [search] and group['accessRight']['MANAGE_SETTINGS'] == [search]
    export(target, tmp_path / 'b.yml')
    assert (tmp_path / 'b.yml').read_text() == (tmp_path / 'a.yml').read_text()
    target.clear_requests()
    again = apply(target, tmp_path / 'a.yml', tmp_path, update_existing=True)
    assert recap(again)['changed'] == 0, again.stdout[-4000:]
    assert [entry['method'] for entry in target.requests()] == ['GET', 'GET']


def test_export_groups_false_reads_and_writes_no_group(emulator, tmp_path):
    seed_cluster(emulator, namesake=False)
    search = environment_id_of(emulator, 'Team (Search), EU')
    api_create_group(emulator, 'search-admins', {'MANAGE_SETTINGS': [search]})
    emulator.clear_requests()
    export(emulator, tmp_path / 'a.yml', '-e', 'export_groups=false')
    assert [(entry['method'], entry['path']) for entry in emulator.requests()] == [('GET', ENVIRONMENTS)]
    assert 'permissions' not in (tmp_path / 'a.yml').read_text()


def test_the_exported_file_is_the_shape_the_role_reads(emulator, tmp_path):
    seed_cluster(emulator)
    export(emulator, tmp_path / 'a.yml')
    text = (tmp_path / 'a.yml').read_text()
    assert text.startswith('---\n# Environments of a Dynatrace Managed cluster')
    items = yaml.safe_load(text)['environments_list']
    payments = [item for item in items if item['name'] == 'team-payments' and 'stage:prod' in item['tags']][0]
    # It shares its name with another environment: the explicit option lets the role create both elsewhere.
    assert list(payments) == ['name', 'environment_id', 'enabled', 'trial', 'tags', 'quotas', 'storage',
                              'allow_duplicate_name']
    assert payments['allow_duplicate_name'] is True
    assert payments['tags'] == ['department:finance', 'stage:prod']
    assert payments['quotas'] == {
        'host_units': {'max_limit': 50}, 'dem_units': {'monthly_limit': 2000, 'annual_limit': 'unlimited'},
        'user_sessions': {'total_monthly_limit': 100000, 'total_annual_limit': 1000000},
        'synthetic_monitors': {'monthly_limit': 500, 'annual_limit': 6000},
        'davis_data_units': {'monthly_limit': 100000, 'annual_limit': 'unlimited'}}
    assert payments['storage']['transaction_storage'] == {'max_limit': 107374182400}
    assert payments['storage']['rum_non_aggregated_data_retention'] == {'max_limit_in_days': 100}
    assert 'log_monitoring_retention' not in payments['storage']  # not in the current cluster version's schema
    for usage in ('current_usage', 'currentUsage', 'consumed', 'currently_used', 'creation', 'token'):
        assert usage not in text.lower()
    assert emulator.token.rsplit('.', 1)[-1] not in text


def test_round_trip_without_ids(emulator, emulator_factory, tmp_path):
    seed_cluster(emulator, namesake=False)
    target = emulator_factory()
    export(emulator, tmp_path / 'a.yml', '-e', 'export_ids=false')
    assert 'environment_id' not in (tmp_path / 'a.yml').read_text()
    apply(target, tmp_path / 'a.yml', tmp_path)
    export(target, tmp_path / 'b.yml', '-e', 'export_ids=false')
    assert (tmp_path / 'b.yml').read_text() == (tmp_path / 'a.yml').read_text()
    source_ids = set(item['id'] for item in emulator.environments())
    assert not source_ids & set(item['id'] for item in target.environments())  # B picked its own ids
    target.clear_requests()
    assert recap(apply(target, tmp_path / 'a.yml', tmp_path, update_existing=True))['changed'] == 0
    assert [entry['method'] for entry in target.requests()] == ['GET']


def test_without_ids_shared_names_are_refused_and_nothing_is_written(emulator, tmp_path):
    seed_cluster(emulator)
    completed = playbook(PLAYBOOKS / 'export.yml', emulator, '-e', 'export_file=%s' % (tmp_path / 'a.yml'),
                         '-e', 'export_ids=false')
    assert completed.returncode != 0
    assert 'these names are shared by several environments' in completed.stdout and 'team-payments (' in completed.stdout
    assert not (tmp_path / 'a.yml').exists()


def test_dps_cluster_export_says_to_leave_quotas_out(emulator, tmp_path):
    seed_cluster(emulator, namesake=False)
    emulator.configure(license='dps')
    failed = playbook(PLAYBOOKS / 'export.yml', emulator, '-e', 'export_file=%s' % (tmp_path / 'a.yml'))
    assert failed.returncode != 0 and 'Run the export with -e export_quotas=false' in failed.stdout, failed.stdout
    export(emulator, tmp_path / 'a.yml', '-e', 'export_quotas=false')
    assert 'quotas' not in (tmp_path / 'a.yml').read_text()


def test_export_file_is_required(emulator):
    completed = playbook(PLAYBOOKS / 'export.yml', emulator)
    assert completed.returncode != 0 and 'Set export_file to the path of the vars file' in completed.stdout
    assert emulator.requests() == []


def test_a_cluster_admin_change_without_confirmation_fails_before_any_write(emulator, tmp_path):
    vars_file = tmp_path / 'vars.yml'
    vars_file.write_text(yaml.safe_dump({
        'environments_list': [dict(name='new-env')],
        'environments_groups': [dict(name='operators', cluster_admin=True, access_account=True)]}))
    play = [{'name': 'Apply', 'hosts': 'localhost', 'gather_facts': False, 'vars_files': [str(vars_file)],
             'roles': [{'role': 'clusterops.dynatrace.environments'}]}]
    (tmp_path / 'apply.yml').write_text(yaml.safe_dump(play, sort_keys=False))
    emulator.clear_requests()
    completed = playbook(tmp_path / 'apply.yml', emulator)
    assert completed.returncode != 0
    assert "group 'operators'" in completed.stdout and 'confirm_cluster_admin' in completed.stdout, completed.stdout[-3000:]
    assert [entry['method'] for entry in emulator.requests()] == ['GET', 'GET']  # environments, groups; no write
