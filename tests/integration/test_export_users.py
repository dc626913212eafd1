"""Users through playbooks/export.yml (export_users, off by default) and the environments role (environments_manage_users,
off by default): export A, apply to an empty B, export B gives the same file; no password anywhere in the file."""

from pathlib import Path

import requests
import yaml

from tests.integration.secret_scan import PASSWORD_PREFIX, make_password
from tests.integration.test_export_round_trip import export, playbook, recap

GROUPS = '/api/v1.0/onpremise/groups'
USERS = '/api/v1.0/onpremise/users'


def api(emulator, path, body):
    answer = requests.post(emulator.url + path, json=body, headers={'Authorization': 'Api-Token ' + emulator.token},
                           timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def seed(emulator):
    prod = emulator.create_environment('payments-prod')
    team = api(emulator, GROUPS, {'name': 'team-payments', 'isClusterAdminGroup': False,
                                  'accessRight': {'MANAGE_SETTINGS': [prod]}})['id']
    auditors = api(emulator, GROUPS, {'name': 'auditors', 'isClusterAdminGroup': False,
                                      'accessRight': {'LOG_VIEWER': [prod]}})['id']
    api(emulator, USERS, {'id': 'ann.lee', 'email': 'ann.lee@example.com', 'firstName': 'Ann', 'lastName': 'Lee',
                          'groups': [team, auditors], 'passwordClearText': make_password()})
    api(emulator, USERS, {'id': 'bob', 'email': 'bob@example.com', 'firstName': 'Bob', 'lastName': "O'Neil",
                          'groups': []})


def apply(emulator, vars_file, folder, manage_users):
    play = [{'name': 'Apply an exported vars file', 'hosts': 'localhost', 'gather_facts': False,
             'vars_files': [str(vars_file)],
             'roles': [{'role': 'clusterops.dynatrace.environments', 'vars': {'environments_manage_users': manage_users}}]}]
    path = Path(folder) / 'apply.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    completed = playbook(path, emulator)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed


def user_view(emulator):
    names = dict((group['id'], group['name']) for group in emulator.groups())
    return [(user['id'], user['email'], user['firstName'], user['lastName'], sorted(names[g] for g in user['groups']))
            for user in emulator.users()]


def test_users_round_trip_through_export_and_apply_without_a_password(emulator, emulator_factory, tmp_path):
    seed(emulator)
    export(emulator, tmp_path / 'plain.yml')
    assert 'environments_users' not in yaml.safe_load((tmp_path / 'plain.yml').read_text())  # off by default

    export(emulator, tmp_path / 'a.yml', '-e', 'export_users=true')
    text = (tmp_path / 'a.yml').read_text()
    assert PASSWORD_PREFIX not in text and 'password' not in text
    assert yaml.safe_load(text)['environments_users'] == [
        {'id': 'ann.lee', 'email': 'ann.lee@example.com', 'first_name': 'Ann', 'last_name': 'Lee',
         'groups': ['auditors', 'team-payments'], 'groups_mode': 'replace'},
        {'id': 'bob', 'email': 'bob@example.com', 'first_name': 'Bob', 'last_name': "O'Neil", 'groups': [],
         'groups_mode': 'replace'}]

    target = emulator_factory()
    skipped = apply(target, tmp_path / 'a.yml', tmp_path, manage_users=False)
    assert target.users() == [] and 'environments_manage_users is false' in skipped.stdout
    apply(target, tmp_path / 'a.yml', tmp_path, manage_users=True)
    assert user_view(target) == user_view(emulator)
    assert all(user['passwordSha256'] is None for user in target.users())

    export(target, tmp_path / 'b.yml', '-e', 'export_users=true')
    assert (tmp_path / 'b.yml').read_text() == text
    target.clear_requests()
    assert recap(apply(target, tmp_path / 'a.yml', tmp_path, manage_users=True))['changed'] == 0
    assert [entry for entry in target.requests() if entry['method'] != 'GET'] == []
