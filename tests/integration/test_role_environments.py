"""The clusterops.dynatrace.environments role through ansible-playbook against the emulator.

Asserts on the emulator's request log: steady state with 100 declared environments that all exist
costs at most 2 requests (1 in practice) and changes nothing.
"""

import json
import os
import stat

from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
REPORT = 'report what the role did'
BULK_TASK = 'Create, update or delete the environments, their API tokens and permissions'


def role_task(environments, **role_vars):
    role_vars['environments_list'] = environments
    return {'name': 'run the role', 'ansible.builtin.include_role': {'name': 'clusterops.dynatrace.environments'},
            'vars': role_vars}


# Reports what the role set without ever printing a token: names, ids and whether a token came back.
REPORT_TASK = {
    'name': REPORT,
    'ansible.builtin.debug': {'msg': {
        'created': "{{ environments_created | dict2items | map(attribute='key') | sort }}",
        'ids': "{{ environments_created | dict2items | items2dict(value_name='value') | dict2items "
               "| map(attribute='value.id') | list }}",
        'with_token': "{{ environments_created | dict2items | selectattr('value.token_management_token') "
                      "| map(attribute='key') | sort }}",
    }},
}


def run_role(emulator, environments, check=False, diff=False, stdout_callback='json_lines', **role_vars):
    return run_tasks([role_task(environments, **role_vars), REPORT_TASK], emulator=emulator, check=check, diff=diff,
                     stdout_callback=stdout_callback)


def report(run):
    results = run.by_task(REPORT)
    assert results, run
    return results[0]['msg']


def api_requests(emulator):
    return [entry for entry in emulator.requests() if entry['path'].startswith('/api/')]


def by_name(emulator):
    return dict((environment['name'], environment) for environment in emulator.environments())


def changed_tasks(run):
    return [entry['task'] for entry in run.results if entry['status'] == 'changed']


def test_steady_state_with_100_existing_environments_costs_one_request(emulator):
    emulator.seed(100, name_prefix='team')
    declared = [{'name': name, 'tags': environment['tags']} for name, environment in by_name(emulator).items()]
    assert len(declared) == 100
    emulator.clear_requests()
    run = run_role(emulator, declared)
    assert run.rc == 0, run
    log = api_requests(emulator)
    assert len(log) <= 2, log
    assert [(entry['method'], entry['path']) for entry in log] == [('GET', ENVIRONMENTS)]
    assert changed_tasks(run) == []
    assert report(run)['created'] == []


def test_creates_only_the_missing_environments_with_quotas_and_storage(emulator):
    emulator.seed(3, name_prefix='old')
    old = sorted(by_name(emulator))
    declared = [{'name': old[0]}, {'name': 'new-a', 'tags': ['owner:a'], 'quotas': {'host_units': {'max_limit': 10}},
                                   'storage': {'transaction_storage': {'max_limit': 1000000},
                                               'service_request_level_retention': {'max_limit_in_days': 20}}},
                {'name': old[1]}, {'name': 'new-b', 'create_token': False}]
    emulator.clear_requests()
    run = run_role(emulator, declared)
    assert run.rc == 0, run
    creates = [entry for entry in api_requests(emulator) if entry['method'] == 'PUT']
    # The listing (it shows the creation ids free too), then per creation the PUT that creates it.
    assert len(creates) == 2 and len(api_requests(emulator)) == 1 + 2
    stored = by_name(emulator)
    assert stored['new-a']['quotas']['hostUnits']['maxLimit'] == 10
    assert stored['new-a']['storage']['transactionStorage']['maxLimit'] == 1000000
    assert stored['new-a']['tags'] == ['owner:a']
    done = report(run)
    assert done['created'] == ['new-a', 'new-b']
    assert sorted(done['ids']) == sorted([stored['new-a']['id'], stored['new-b']['id']])
    # No token folder, no item asking: no token-management token is made that nothing would keep.
    assert done['with_token'] == []
    assert not [entry for entry in creates if 'createToken' in json.dumps(entry)], creates

    emulator.clear_requests()
    again = run_role(emulator, declared)
    assert again.rc == 0 and changed_tasks(again) == [], again
    assert len(api_requests(emulator)) == 1
    assert report(again)['created'] == []


def test_update_existing(emulator):
    emulator.seed(1, name_prefix='upd')
    name = next(iter(by_name(emulator)))
    declared = [{'name': name, 'tags': ['changed'], 'quotas': {'host_units': {'max_limit': 7}}}]

    run = run_role(emulator, declared)
    assert run.rc == 0 and changed_tasks(run) == [], run
    drift = [entry for entry in run.results if entry['task'].endswith('differ from the declaration (left as they are)')]
    assert drift and drift[0]['status'] == 'ok' and name in str(drift[0]['result']['msg'])
    assert "quotas.host_units.max_limit" in str(drift[0]["result"]["msg"])  # quotas were read to compare
    assert by_name(emulator)[name]['tags'] != ['changed']

    emulator.clear_requests()
    run = run_role(emulator, declared, environments_update_existing=True)
    assert run.rc == 0, run
    assert [entry['method'] for entry in api_requests(emulator)].count('PUT') == 1
    assert by_name(emulator)[name]['tags'] == ['changed']
    assert by_name(emulator)[name]['quotas']['hostUnits']['maxLimit'] == 7
    assert report(run)['created'] == []  # an update is not a creation

    emulator.clear_requests()
    run = run_role(emulator, declared, environments_update_existing=True)
    assert run.rc == 0 and changed_tasks(run) == [], run
    assert len(api_requests(emulator)) == 1  # the listing with quotas, nothing else


def test_check_mode_and_diff_change_nothing(emulator):
    emulator.seed(2, name_prefix='chk')
    names = sorted(by_name(emulator))
    declared = [{'name': names[0], 'tags': ['x']}, {'name': names[1], 'state': 'absent'},
                {'name': 'would-be', 'quotas': {'host_units': {'max_limit': 3}}}]
    emulator.clear_requests()
    run = run_role(emulator, declared, check=True, diff=True, environments_update_existing=True)
    assert run.rc == 0, run
    assert all(entry['method'] == 'GET' for entry in api_requests(emulator))
    assert sorted(by_name(emulator)) == names
    (task,) = run.by_task(BULK_TASK)
    outcomes = task['outcomes']
    assert [(outcome['name'], outcome['changed']) for outcome in outcomes] == [
        (names[0], True), (names[1], True), ('would-be', True)]
    assert outcomes[0]['diff']['after']['tags'] == ['x'] and outcomes[1]['diff']['after'] == {}
    assert outcomes[2]['diff']['after']['name'] == 'would-be'
    # --diff: one diff per item, headed by its name.
    assert [diff['after_header'] for diff in task['diff']] == [names[0], names[1], 'would-be']
    assert report(run)['created'] == ['would-be'] and report(run)['with_token'] == []


def test_token_files_are_private_and_an_older_file_is_moved_aside_never_destroyed(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    token_dir.mkdir()
    (token_dir / 'fixed-id.token').write_text('keep me')
    declared = [{'name': 'with-file'}, {'name': 'fixed', 'environment_id': 'fixed-id'}]
    run = run_role(emulator, declared, environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    stored = by_name(emulator)
    assert stored['fixed']['id'] == 'fixed-id'
    # The environment was created in this run, so the file that was there is no token of it: moved aside, kept.
    (moved,) = token_dir.glob('fixed-id.token.replaced-*')
    assert moved.read_text() == 'keep me' and (token_dir / 'fixed-id.token').read_text().startswith('dt0c01.')
    written = token_dir / ('%s.token' % stored['with-file']['id'])
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert written.read_text().startswith('dt0c01.')
    assert sorted(path.name for path in token_dir.glob('*.token')) == sorted(['fixed-id.token', written.name])
    assert written.read_text() not in run.stdout


def test_output_shows_names_never_tokens(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    declared = [{'name': 'label-%d' % index} for index in range(3)]
    run = run_role(emulator, declared, diff=True, stdout_callback='default', environments_token_dir=str(token_dir))
    assert run.rc == 0, run.stdout + run.stderr
    tokens = [path.read_text() for path in token_dir.glob('*.token')]
    assert len(tokens) == 3
    for token in tokens:
        assert token not in run.stdout and token not in run.stderr
        assert token[:20] not in run.stdout
    # The censored creation is followed by the report of names and ids.
    assert all('"label-%d": ' % index in run.stdout for index in range(3)), run.stdout


def test_failures_are_reported_by_name_and_tokens_of_the_others_are_kept(emulator, tmp_path):
    emulator.configure(deny_features=['dem'])
    token_dir = tmp_path / 'tokens'
    declared = [{'name': 'fine'}, {'name': 'refused', 'quotas': {'dem_units': {'monthly_limit': 5}}}]
    run = run_role(emulator, declared, environments_token_dir=str(token_dir))
    assert run.rc != 0
    failed = [entry for entry in run.results if entry['task'] == 'Fail when an environment could not be provisioned']
    assert failed and failed[0]['status'] == 'failed', run
    message = failed[0]['result']['msg']
    assert list(message) == ['refused'] and 'DEM' in message['refused']
    assert sorted(by_name(emulator)) == ['fine']
    assert len(list(token_dir.glob('*.token'))) == 1


def test_invalid_items_fail_before_any_request(emulator):
    emulator.clear_requests()
    run = run_role(emulator, [{'name': 'ok'}, {'name': 'bad', 'quotas': {'host_units': {'max_limit': 'lots'}}}])
    assert run.rc != 0
    assert "environments_list[1] (bad): quotas.host_units.max_limit must be an integer or 'unlimited'" in run.stdout
    assert api_requests(emulator) == []


def test_argument_spec_rejects_unknown_item_options(emulator):
    run = run_role(emulator, [{'name': 'x', 'quota': {}}])
    assert run.rc != 0
    assert 'quota' in run.stdout and api_requests(emulator) == []


def run_without_env(tasks):
    """Run with no DYNATRACE_* variable in the environment of ansible-playbook (emulator=None)."""
    saved = dict(os.environ)
    for name in [name for name in os.environ if name.startswith('DYNATRACE_')]:
        del os.environ[name]
    try:
        return run_tasks(tasks, emulator=None)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_connection_from_role_variables(emulator):
    task = role_task([{'name': 'by-vars'}], environments_url=emulator.url, environments_api_token=emulator.token)
    run = run_without_env([task, REPORT_TASK])
    assert run.rc == 0, run
    assert report(run)['created'] == ['by-vars']
    assert emulator.token not in run.stdout


def test_connection_from_module_defaults(emulator):
    """Undefined role connection variables must not hide module_defaults of the action group."""
    block = {'name': 'with module defaults', 'block': [role_task([{'name': 'by-defaults'}])],
             'module_defaults': {'group/clusterops.dynatrace.dynatrace': {'url': emulator.url, 'api_token': emulator.token}}}
    run = run_without_env([block, REPORT_TASK])
    assert run.rc == 0, run
    assert report(run)['created'] == ['by-defaults']


def test_rename_without_environment_id_is_refused_before_any_request_like_the_module(emulator):
    emulator.create_environment('a')
    emulator.clear_requests()
    run = run_role(emulator, [{'name': 'a', 'rename': True}])
    assert run.rc != 0
    assert 'environments_list[0] (a): rename: true needs environment_id' in run.stdout
    assert api_requests(emulator) == []


def test_items_meeting_on_one_environment_are_refused_before_any_write_naming_both(emulator):
    team = emulator.create_environment('team', tags=['old'])
    emulator.clear_requests()
    declared = [{'environment_id': team, 'tags': ['new'], 'update_existing': True}, {'name': 'other'},
                {'name': 'team', 'state': 'absent'}]
    run = run_role(emulator, declared)
    assert run.rc != 0
    assert 'environments_list[0] (%s) and environments_list[2] (team) both target environment %s' % (team, team) \
        in run.stdout, run
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET']
    assert [(env['name'], env['tags']) for env in emulator.environments()] == [('team', ['old'])]


def test_a_rename_of_an_environment_another_item_declares_by_its_old_name_is_refused_before_any_write(emulator):
    old = emulator.create_environment('old')
    emulator.clear_requests()
    run = run_role(emulator, [{'environment_id': old, 'name': 'new', 'rename': True, 'update_existing': True},
                              {'name': 'old', 'tags': ['x'], 'update_existing': True}])
    assert run.rc != 0
    assert 'environments_list[0] (new) and environments_list[1] (old) both target environment %s' % old in run.stdout
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET']
    assert [(env['name'], env['tags']) for env in emulator.environments()] == [('old', [])]


NAMESAKES_REPORT = 'report the namesakes by id (test only: ids, names, and whether a secret came back)'


def test_two_environments_of_one_name_are_both_in_the_facts_by_id(emulator, tmp_path):
    paas = {'name': 'paas', 'scopes': ['InstallerDownload']}
    declared = [{'environment_id': 'shared-1', 'name': 'shared', 'allow_duplicate_name': True, 'api_tokens': [paas]},
                {'environment_id': 'shared-2', 'name': 'shared', 'allow_duplicate_name': True, 'api_tokens': [paas]}]
    report_task = {'name': NAMESAKES_REPORT, 'ansible.builtin.debug': {'msg': {
        'created': "{{ environments_created_by_id | dict2items | map(attribute='key') | sort }}",
        'names': "{{ environments_created_by_id | dict2items | map(attribute='value.name') | list }}",
        'by_name': "{{ environments_created | dict2items | map(attribute='key') | sort }}",
        'tokens': "{{ environments_api_tokens_created_by_id | dict2items "
                  "| selectattr('value.paas.token', 'match', '^dt0c01[.]') | map(attribute='key') | sort }}",
        'handoff': "{{ environments_oneagent_handoff_by_id | dict2items "
                   "| selectattr('value.oneagent_paas_token', 'match', '^dt0c01[.]') | map(attribute='key') | sort }}",
    }}}
    run = run_tasks([role_task(declared, environments_token_dir=str(tmp_path / 'tokens')), report_task],
                    emulator=emulator)
    assert run.rc == 0, run
    shown = run.by_task(NAMESAKES_REPORT)[0]['msg']
    assert shown['created'] == ['shared-1', 'shared-2'] and shown['names'] == ['shared', 'shared']
    # Keyed by name, namesakes are told apart by their ids.
    assert shown['by_name'] == ['shared (shared-1)', 'shared (shared-2)']
    assert shown['tokens'] == ['shared-1', 'shared-2'] and shown['handoff'] == ['shared-1', 'shared-2']


def test_an_empty_list_and_unknown_role_variables_are_warned_about(emulator):
    emulator.clear_requests()
    task = role_task([], environments_updateexisting=True)
    task['vars']['environments'] = [{'name': 'typo'}]  # the typo of environments_list
    run = run_tasks([task], emulator=emulator)
    assert run.rc == 0, run
    (result,) = [entry['result'] for entry in run.results if entry['task'].endswith(BULK_TASK)]
    warnings = result.get('warnings', [])
    assert 'environments_list is empty: the role has nothing to provision' in warnings, result
    for name in ('environments', 'environments_updateexisting'):
        assert any(w.startswith('unknown variable %s: the environments role ignores it; its variables are environments_api_token'
                                % name) for w in warnings), warnings
    assert not any('environments_list:' in w or 'unknown variable environments_list' in w for w in warnings)
    assert api_requests(emulator) == [] and 'typo' not in by_name(emulator)


def test_known_variables_raise_no_warning(emulator):
    # The second run of the role sees the facts the first one set: they are the role's own too.
    task = role_task([{'name': 'quiet'}], environments_parallel=2, environments_groups=[])
    run = run_tasks([task, task], emulator=emulator)
    results = [entry['result'] for entry in run.results if entry['task'].endswith(BULK_TASK)]
    assert run.rc == 0 and len(results) == 2 and not any(result.get('warnings') for result in results), results
