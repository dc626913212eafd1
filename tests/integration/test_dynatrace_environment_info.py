"""dynatrace_environment_info through ansible-playbook against the emulator, asserting on the request log.

Each test runs one playbook of several registered tasks (one ansible-playbook run costs ~1.5 s).
"""

from urllib.parse import parse_qs

import requests
import yaml

from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment_info'


def api_create(emulator, name, **fields):
    """Create an environment straight through the API (test setup)."""
    answer = requests.post(emulator.url + ENVIRONMENTS, json=dict(name=name, **fields), timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    return answer.json()['id']


def info_task(register, **args):
    return {'name': register, MODULE: args, 'register': register, 'ignore_errors': True}


def query_of(entry):
    return dict((key, values[0]) for key, values in parse_qs(entry['query'], keep_blank_values=True).items())


def sorted_by_id(items):
    return sorted(items, key=lambda item: item['environment_id'])


def names(result):
    return sorted(item['name'] for item in result['environments'])


def by_task(run):
    """Results by task name; every task of the playbook must have reported one."""
    results = dict((entry['task'], dict(entry['result'], failed=entry['status'] == 'failed')) for entry in run.results)
    assert results, run
    return results


# ------------------------------------------------------------------------------------------------

FIXTURE = [
    # name, tags, state, trial
    ('Prod', ['team:a', 'stage:prod'], 'ENABLED', False),
    ('prod', ['team:b', 'stage:prod'], 'ENABLED', False),
    ('preprod', ['team:a', 'stage:preprod'], 'DISABLED', False),
    ('Team (Payments), EU', ['team:(payments)', 'stage:prod'], 'ENABLED', True),
    ("O'Neil \\ lab", ['lab, temp', 'team:a'], 'DISABLED', True),
    ('search', [], 'ENABLED', False),
]

# task name -> (module args, expected names, expected server filter or None, client-side finishing needed)
FILTER_CASES = {
    'all': (dict(), [row[0] for row in FIXTURE], None),
    'exact_name': (dict(name='Prod'), ['Prod'], 'name(Prod)'),
    'exact_name_lower': (dict(name='prod'), ['prod'], 'name(prod)'),
    'substring': (dict(name_contains='PROD'), ['Prod', 'preprod', 'prod'], 'name(PROD)'),
    'exact_special': (dict(name='Team (Payments), EU'), ['Team (Payments), EU'], 'name(Payments)'),
    'substring_special': (dict(name_contains='(payments), e'), ['Team (Payments), EU'], 'name(payments)'),
    'exact_quote_backslash': (dict(name="O'Neil \\ lab"), ["O'Neil \\ lab"], 'name(Neil)'),
    'tags_all': (dict(tags=['team:a', 'stage:prod']), ['Prod'], 'tag(team:a),tag(stage:prod)'),
    'tags_any': (dict(tags_any=['team:b', 'stage:preprod']), ['preprod', 'prod'], 'tag(team:b,stage:preprod)'),
    'tag_unsafe': (dict(tags=['team:(payments)']), ['Team (Payments), EU'], None),
    'tags_any_unsafe': (dict(tags_any=['lab, temp', 'team:b']), ["O'Neil \\ lab", 'prod'], None),
    'tags_mixed': (dict(tags=['lab, temp', 'team:a']), ["O'Neil \\ lab"], 'tag(team:a)'),
    'disabled': (dict(enabled=False), ["O'Neil \\ lab", 'preprod'], 'state(DISABLED)'),
    'enabled': (dict(enabled=True), ['Prod', 'Team (Payments), EU', 'prod', 'search'], 'state(ENABLED)'),
    'trial': (dict(trial=True), ["O'Neil \\ lab", 'Team (Payments), EU'], 'trial(true)'),
    'combined': (dict(name_contains='prod', tags=['stage:prod'], tags_any=['team:a', 'team:b'], enabled=True, trial=False),
                 ['Prod', 'prod'], 'name(prod),tag(stage:prod),tag(team:a,team:b),state(ENABLED),trial(false)'),
    'combined_unsafe': (dict(name_contains='),', tags=['stage:prod'], trial=True), ['Team (Payments), EU'],
                        'tag(stage:prod),trial(true)'),
    'empty': (dict(name='nothing like this'), [], 'name(nothing like this)'),
    'empty_combination': (dict(name='Prod', enabled=False), [], 'name(Prod),state(DISABLED)'),
}


def test_filters_one_by_one_and_combined(emulator):
    for name, tags, state, trial in FIXTURE:
        api_create(emulator, name, tags=tags, state=state, trial=trial)
    ids = dict((item['name'], item['id']) for item in emulator.environments())
    emulator.clear_requests()
    tasks = [info_task(task, **args) for task, (args, dummy, dummy2) in FILTER_CASES.items()]
    tasks += [
        info_task('sorted_desc', sort='-name'),
        info_task('sorted_created', sort='creation_date', page_size=2),
        info_task('by_id', environment_id=ids['preprod']),
        info_task('by_id_mismatch', environment_id=ids['preprod'], enabled=True),
        info_task('by_id_absent', environment_id='no-such-environment'),
        dict(info_task('check_mode', name='Prod'), check_mode=True),
    ]
    run = run_tasks(tasks, emulator=emulator)
    results = by_task(run)
    log = emulator.requests()
    assert all(entry['method'] == 'GET' for entry in log)
    lists = [entry for entry in log if entry['path'] == ENVIRONMENTS]
    # One request per filter case (fewer than 1000 environments each), in task order.
    for (task, (dummy, expected, sent)), entry in zip(FILTER_CASES.items(), lists):
        result = results[task]
        assert not result.get('failed'), (task, result)
        assert result['changed'] is False
        assert names(result) == sorted(expected), task
        assert result['total_count'] == len(expected), task
        assert query_of(entry).get('filter') == sent, (task, entry)
        assert query_of(entry)['pageSize'] == '1000'
        assert set(result['creation_dates']) == set(item['environment_id'] for item in result['environments'])

    # Items have exactly the keys dynatrace_environment accepts (no quotas or storage unless asked).
    (prod,) = results['exact_name']['environments']
    assert prod == dict(environment_id=ids['Prod'], name='Prod', enabled=True, trial=False, tags=['team:a', 'stage:prod'])

    assert [item['name'] for item in results['sorted_desc']['environments']] == sorted(
        [row[0] for row in FIXTURE], reverse=True)
    created = results['sorted_created']
    dates = [created['creation_dates'][item['environment_id']] for item in created['environments']]
    assert len(dates) == len(FIXTURE) and dates == sorted(dates)
    sorted_entries = lists[len(FILTER_CASES) + 1:]
    assert query_of(lists[len(FILTER_CASES)])['sort'] == '-name'
    assert query_of(sorted_entries[0]) == dict(pageSize='2', sort='creationDate')
    assert len(sorted_entries) == 4  # 6 environments at 2 per page, plus the check mode lookup
    assert all(list(query_of(entry)) == ['nextPageKey'] for entry in sorted_entries[1:3])

    assert names(results['by_id']) == ['preprod'] and results['by_id']['total_count'] == 1
    assert results['by_id_mismatch']['environments'] == [] and results['by_id_mismatch']['total_count'] == 0
    assert results['by_id_absent']['environments'] == [] and results['by_id_absent']['total_count'] == 0
    gets = [entry for entry in log if entry['path'] != ENVIRONMENTS]
    assert [(entry['path'], entry['status']) for entry in gets] == [
        (ENVIRONMENTS + '/' + ids['preprod'], 200), (ENVIRONMENTS + '/' + ids['preprod'], 200),
        (ENVIRONMENTS + '/no-such-environment', 404)]
    assert names(results['check_mode']) == ['Prod'] and results['check_mode']['changed'] is False
    assert len(log) == len(FILTER_CASES) + 1 + 3 + 3 + 1


def test_2500_environments_are_read_in_three_requests(emulator):
    emulator.seed(2500, name_prefix='bulk')
    emulator.clear_requests()
    run = run_tasks([info_task('all'), info_task('small_pages', page_size=700, sort='name', name_contains='bulk')],
                    emulator=emulator)
    results = by_task(run)
    everything = results['all']
    assert everything['total_count'] == 2500 and len(everything['environments']) == 2500
    assert len(set(item['environment_id'] for item in everything['environments'])) == 2500
    log = emulator.requests()
    first, second, third = log[:3]
    assert query_of(first) == {'pageSize': '1000'}
    for entry in (second, third):
        assert list(query_of(entry)) == ['nextPageKey'], entry
    small = results['small_pages']
    assert small['total_count'] == 2500
    assert [item['name'] for item in small['environments']] == sorted(item['name'] for item in small['environments'])
    assert len(log) == 3 + 4  # 2500 at 700 per page
    assert query_of(log[3]) == {'pageSize': '700', 'sort': 'name', 'filter': 'name(bulk)'}
    assert all(list(query_of(entry)) == ['nextPageKey'] for entry in log[4:])


def test_consumption_storage_dps_and_input_errors(emulator):
    api_create(emulator, 'quota-env', quotas={'hostUnits': {'maxLimit': 7}},
               storage={'serviceRequestLevelRetention': {'maxLimitInDays': 20}})
    emulator.clear_requests()
    tasks = [
        info_task('quotas', include_consumption=True),
        info_task('uncached', uncached_consumption=True, include_storage=True),
        info_task('storage_only', include_storage=True),
        info_task('bad_page_size', page_size=0),
        info_task('bad_tags_any', tags_any=[]),
        info_task('bad_id', environment_id='not a valid id'),
        info_task('bad_name', name='x' * 101),
    ]
    run = run_tasks(tasks, emulator=emulator)
    results = by_task(run)
    (item,) = results['quotas']['environments']
    assert item['quotas']['host_units'] == {'max_limit': 7} and 'storage' not in item
    (item,) = results['uncached']['environments']
    assert item['quotas']['host_units'] == {'max_limit': 7}
    assert item['storage']['service_request_level_retention'] == {'max_limit_in_days': 20}
    (item,) = results['storage_only']['environments']
    assert 'quotas' not in item and item['storage']['service_request_level_retention'] == {'max_limit_in_days': 20}
    assert set(item) == {'environment_id', 'name', 'enabled', 'trial', 'tags', 'storage'}

    for task, words in (('bad_page_size', 'page_size must be between 1 and 1000, got 0'),
                        ('bad_tags_any', 'tags_any must hold at least one tag'),
                        ('bad_id', 'environment_id must match'),
                        ('bad_name', 'name must be at most 100 characters long')):
        assert results[task]['failed'] and words in results[task]['msg'], results[task]
    log = emulator.requests()
    assert len(log) == 3  # invalid input sends nothing
    assert query_of(log[0]).get('includeConsumptionInfo') == 'true'
    assert query_of(log[1]).get('includeUncachedConsumptionInfo') == 'true' and 'includeConsumptionInfo' not in query_of(log[1])

    # DPS licensing: consumption information is refused with 422.
    emulator.configure(license='dps')
    emulator.clear_requests()
    run = run_tasks([info_task('dps', include_consumption=True), info_task('dps_uncached', uncached_consumption=True),
                     info_task('dps_by_id', environment_id=results['quotas']['environments'][0]['environment_id'],
                               include_consumption=True),
                     info_task('dps_plain', include_storage=True)], emulator=emulator)
    results = by_task(run)
    for task in ('dps', 'dps_uncached', 'dps_by_id'):
        failed = results[task]
        assert failed['failed'] and failed['status'] == 422, failed
        assert 'Dynatrace Platform Subscription (DPS)' in failed['msg']
        assert 'Leave include_consumption and uncached_consumption off' in failed['msg']
    assert not results['dps_plain'].get('failed') and results['dps_plain']['total_count'] == 1
    assert [entry['status'] for entry in emulator.requests()] == [422, 422, 422, 200]


def test_export_then_recreate_on_another_cluster(emulator, emulator_factory, tmp_path):
    """The two documented examples: export every environment to a YAML vars file, re-create them elsewhere."""
    emulator.seed(4, name_prefix='export')
    api_create(emulator, 'Team (Payments), EU', tags=['team:(payments)'], trial=True, state='DISABLED',
               quotas={'hostUnits': {'maxLimit': 5}, 'demUnits': {'monthlyLimit': 10, 'annualLimit': 100}},
               storage={'serviceRequestLevelRetention': {'maxLimitInDays': 30},
                        'serviceCodeLevelRetention': {'maxLimitInDays': 7}})
    target = emulator_factory()
    vars_file = tmp_path / 'environments.yml'
    connection_b = dict(url=target.url, api_token=target.token)
    recreate_args = {
        'environment_id': "{{ item.environment_id if keep_ids | default(true) | bool else omit }}",
        'name': '{{ item.name }}', 'enabled': '{{ item.enabled }}', 'trial': '{{ item.trial }}', 'tags': '{{ item.tags }}',
        'quotas': '{{ item.quotas | default(omit) }}', 'storage': '{{ item.storage | default(omit) }}', 'create_token': False,
    }
    tasks = [
        {'name': 'export', MODULE: dict(include_consumption=True, include_storage=True, sort='creation_date'),
         'register': 'old_cluster'},
        {'name': 'write', 'ansible.builtin.copy': {
            'content': "{{ {'dynatrace_environments': old_cluster.environments} | to_nice_yaml(indent=2) }}",
            'dest': str(vars_file), 'mode': '0644'}},
        {'name': 'load', 'ansible.builtin.include_vars': {'file': str(vars_file)}},
        {'name': 'recreate', 'clusterops.dynatrace.dynatrace_environment': dict(recreate_args, **connection_b),
         'loop': '{{ dynatrace_environments }}', 'loop_control': {'label': '{{ item.name }}'}},
        {'name': 'recreate again', 'clusterops.dynatrace.dynatrace_environment': dict(recreate_args, **connection_b),
         'loop': '{{ dynatrace_environments }}', 'loop_control': {'label': '{{ item.name }}'}},
        {'name': 'feed back by name', 'clusterops.dynatrace.dynatrace_environment': recreate_args,
         'vars': {'keep_ids': False}, 'loop': '{{ dynatrace_environments }}', 'loop_control': {'label': '{{ item.name }}'}},
        {'name': 'read new', MODULE: dict(include_consumption=True, include_storage=True, sort='creation_date', **connection_b),
         'register': 'new_cluster'},
    ]
    run = run_tasks(tasks, emulator=emulator)
    assert run.rc == 0, run
    results = dict((entry['task'], entry['result']) for entry in run.results)
    exported = results['export']['environments']
    assert len(exported) == 5
    assert yaml.safe_load(vars_file.read_text())['dynatrace_environments'] == exported
    recreated = results['recreate']['results']
    assert all(item['changed'] for item in recreated), recreated
    assert not any(item['changed'] for item in results['recreate again']['results'])
    fed_back = results['feed back by name']['results']
    assert not any(item['changed'] for item in fed_back) and all(item['drift'] == {} for item in fed_back)
    # The second cluster now holds the same environments, with the same ids, quotas and storage.
    assert sorted_by_id(results['read new']['environments']) == sorted_by_id(exported)
    special = [item for item in exported if item['name'] == 'Team (Payments), EU'][0]
    assert special['enabled'] is False and special['trial'] is True
    assert special['quotas']['dem_units'] == {'monthly_limit': 10, 'annual_limit': 100}
