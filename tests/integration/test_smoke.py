"""Smoke test of every module and the role: what `make matrix` runs on the other ansible-core versions.

With tests/integration/test_playbooks.py (the shipped lifecycle playbook: create, re-run, update, delete) it is the
selection tests/tools/matrix.sh runs with each ansible-core of tests/tools/matrix.txt; it runs in the main suite too.
"""

from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.'
QUOTAS = {'host_units': {'max_limit': 5}, 'davis_data_units': {'monthly_limit': 1000, 'annual_limit': 'unlimited'}}
STORAGE = {'session_replay_retention': {'max_limit_in_days': 14}}


def api_calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['path'].startswith('/api/')]


def test_create_rerun_unchanged_and_read_back(emulator):
    create = {'name': 'smoke-team', 'tags': ['department:smoke'], 'quotas': QUOTAS, 'storage': STORAGE}
    tasks = [
        {'name': 'create', MODULE + 'dynatrace_environment': create, 'register': 'created', 'no_log': True},
        {'name': 'again', MODULE + 'dynatrace_environment': create},
        {'name': 'check mode', MODULE + 'dynatrace_environment': dict(create, name='smoke-other'), 'check_mode': True},
        {'name': 'read', MODULE + 'dynatrace_environment_info': {
            'name': 'smoke-team', 'include_consumption': True, 'include_storage': True}},
        {'name': 'cluster', MODULE + 'dynatrace_cluster_info': {}},  # the cluster token alone: productVersion
    ]
    run = run_tasks(tasks, emulator=emulator)
    statuses = {entry['task']: entry['status'] for entry in run.results}
    assert statuses == {'create': 'changed', 'again': 'ok', 'check mode': 'changed', 'read': 'ok', 'cluster': 'ok'}, run
    (environment,) = run.by_task('read')[0]['environments']
    assert environment['name'] == 'smoke-team' and environment['tags'] == ['department:smoke']
    assert environment['quotas']['host_units']['max_limit'] == 5
    assert environment['storage']['session_replay_retention']['max_limit_in_days'] == 14
    assert run.by_task('cluster')[0]['version'], run
    assert [e['name'] for e in emulator.environments()] == ['smoke-team']
    # One write: the creation, a PUT under the id derived from the name.
    assert [call for call in api_calls(emulator) if call[0] != 'GET'] == [('PUT', ENVIRONMENTS + '/' + environment['environment_id'])]


def test_role_creates_then_costs_one_request_and_changes_nothing(emulator, tmp_path):
    role = {'name': 'role', 'ansible.builtin.include_role': {'name': 'clusterops.dynatrace.environments'},
            'vars': {'environments_token_dir': str(tmp_path),
                     'environments_list': [{'name': 'smoke-a', 'quotas': QUOTAS}, {'name': 'smoke-b', 'create_token': False}]}}
    first = run_tasks([role], emulator=emulator)
    assert first.rc == 0, first
    assert sorted(e['name'] for e in emulator.environments()) == ['smoke-a', 'smoke-b']
    (token_file,) = tmp_path.glob('*.token')
    assert token_file.read_text().startswith('dt0c01.')
    emulator.clear_requests()
    second = run_tasks([role], emulator=emulator)
    assert second.rc == 0, second
    assert not [entry['task'] for entry in second.results if entry['status'] == 'changed'], second
    assert api_calls(emulator) == [('GET', ENVIRONMENTS)]


def test_inventory_host_variables_are_data_never_templates(emulator, tmp_path):
    """An environment name is host-variable data on every ansible-core of the matrix: a template in it never runs."""
    import requests  # pylint: disable=import-outside-toplevel
    from tests.integration.inventory_runner import write_config  # pylint: disable=import-outside-toplevel
    name = "{{ 6 * 7 }}{{ lookup('ansible.builtin.pipe', 'echo ran') }}"
    answer = requests.post(emulator.url + ENVIRONMENTS, json={'name': name}, timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    config = write_config(tmp_path, {'hostname_source': 'id'})
    tasks = [{'name': 'read', 'ansible.builtin.set_fact': {'seen': "{{ dynatrace_environment_name }}"}},
             {'name': 'show', 'ansible.builtin.debug': {'var': 'seen'}}]
    run = run_tasks(tasks, emulator=emulator, inventory=str(config), hosts='all')
    shown = run.by_task('show')
    assert shown and shown[0]['seen'] == name, run  # templated, it would read "42ran"
