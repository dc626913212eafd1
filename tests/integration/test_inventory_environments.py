"""The clusterops.dynatrace.environments inventory through ansible-inventory against the emulator.

Every test asserts on the emulator's request log: what was asked of the server, and how often.
"""

import json
import time
from urllib.parse import parse_qs

import pytest
import requests
import yaml

from ansible_collections.clusterops.dynatrace.plugins.inventory.environments import EXAMPLES

from tests.integration.inventory_runner import run_inventory, write_config
from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'

# name, tags, state, trial; created in this order (the creation date decides who keeps a shared hostname)
FIXTURE = [
    ('team-payments', ['department:finance', 'stage:prod'], 'ENABLED', False),
    ('Team Payments (EU)', ['department:finance', 'stage:preprod'], 'ENABLED', True),
    ('search', [], 'DISABLED', False),
    ('team-payments', ['department:finance'], 'ENABLED', False),
    ('owner lab', ['owner:jane.doe@example.com'], 'DISABLED', True),
]


def api_create(emulator, name, **fields):
    answer = requests.post(emulator.url + ENVIRONMENTS, json=dict(name=name, **fields), timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    return answer.json()['id']


def create_fixture(emulator):
    """The ids of FIXTURE, in creation order."""
    return [api_create(emulator, name, tags=tags, state=state, trial=trial) for name, tags, state, trial in FIXTURE]


def listings(emulator):
    return [entry for entry in emulator.requests() if entry['path'].startswith(ENVIRONMENTS)]


def query_of(entry):
    return dict((key, values[0]) for key, values in parse_qs(entry['query'], keep_blank_values=True).items())


def assert_no_secret(emulator, *texts):
    secret = emulator.token.rsplit('.', 1)[-1]
    for text in (text or '' for text in texts):
        assert emulator.token not in text and secret not in text


@pytest.fixture
def fixture_ids(emulator):
    ids = create_fixture(emulator)
    emulator.clear_requests()
    return ids


def test_hosts_host_vars_and_default_groups(emulator, fixture_ids, tmp_path):
    run = run_inventory(write_config(tmp_path, {}), emulator)
    assert run.rc == 0, run
    hostvars = run.hostvars()
    first, eu, search, namesake, lab = fixture_ids
    # The oldest 'team-payments' keeps the name; its newer namesake gets its id appended, with a warning.
    assert sorted(hostvars) == sorted(['team-payments', 'Team_Payments_EU', 'search', 'team-payments_' + namesake,
                                       'owner_lab'])
    assert 'share' not in run.stderr and namesake in run.stderr and 'oldest keeps the name' in run.stderr
    assert hostvars['team-payments'] == {
        'dynatrace_environment_id': first,
        'dynatrace_environment_name': 'team-payments',
        'dynatrace_environment_url': '%s/e/%s' % (emulator.url, first),
        'dynatrace_cluster_url': emulator.url,
        'dynatrace_tags': ['department:finance', 'stage:prod'],
        'dynatrace_state': 'ENABLED',
        'dynatrace_trial': False,
        'dynatrace_creation_date': hostvars['team-payments']['dynatrace_creation_date'],
    }
    assert hostvars['Team_Payments_EU']['dynatrace_environment_name'] == 'Team Payments (EU)'
    assert hostvars['Team_Payments_EU']['dynatrace_trial'] is True
    assert hostvars['search']['dynatrace_state'] == 'DISABLED'
    groups = run.groups()
    assert groups['state_enabled'] == sorted(['team-payments', 'Team_Payments_EU', 'team-payments_' + namesake])
    assert groups['state_disabled'] == ['owner_lab', 'search']
    assert groups['tag_department_finance'] == sorted(['team-payments', 'Team_Payments_EU', 'team-payments_' + namesake])
    assert groups['tag_stage_prod'] == ['team-payments']
    assert groups['tag_owner_jane_doe_example_com'] == ['owner_lab']
    assert [query_of(entry) for entry in listings(emulator)] == [{'pageSize': '1000'}]
    assert_no_secret(emulator, run.stdout, run.stderr, run.listing_text)


@pytest.mark.parametrize('hostname_source', ['name', 'id'])
def test_no_environment_name_or_id_breaks_the_inventory(emulator, tmp_path, hostname_source):
    reserved = ['all', 'ungrouped', 'localhost', 'state_enabled', 'tag_x', '127.0.0.1']
    ids = [api_create(emulator, name, tags=['x']) for name in reserved + ['normal']]
    for environment_id in ('all', 'state_enabled'):  # ids are chosen by whoever creates with a PUT
        answer = requests.put(emulator.url + ENVIRONMENTS + '/' + environment_id, json={'name': 'by-id-' + environment_id},
                              timeout=10, headers={'Authorization': 'Api-Token ' + emulator.token})
        assert answer.status_code == 201, answer.text
    run = run_inventory(write_config(tmp_path, {'hostname_source': hostname_source}), emulator)
    assert run.rc == 0, run
    hostvars = run.hostvars()
    assert len(hostvars) == len(reserved) + 3  # every environment is a host
    assert not set(hostvars) & set(reserved + ['all', 'state_enabled'])
    groups = run.groups()
    assert len(groups['state_enabled']) == len(reserved) + 3 and len(groups['tag_x']) == len(reserved) + 1
    if hostname_source == 'name':
        assert hostvars['localhost-%s' % ids[2]]['dynatrace_environment_name'] == 'localhost'
        assert 'normal' in hostvars and 'a name of Ansible or of the default groups' in run.stderr


def test_hostname_source_id_and_no_default_groups(emulator, fixture_ids, tmp_path):
    run = run_inventory(write_config(tmp_path, {'hostname_source': 'id', 'default_groups': False}), emulator)
    assert run.rc == 0, run
    assert sorted(run.hostvars()) == sorted(fixture_ids)
    assert run.groups() == {'ungrouped': sorted(fixture_ids)}
    assert 'oldest keeps the name' not in run.stderr


def test_compose_groups_and_keyed_groups(emulator, fixture_ids, tmp_path):
    config = {
        'compose': {'ansible_connection': "'local'", 'tenant_label': "dynatrace_environment_name | upper"},
        'groups': {'trials': 'dynatrace_trial', 'finance_prod': "'stage:prod' in dynatrace_tags"},
        'keyed_groups': [{'prefix': 'stage',
                          'key': "dynatrace_tags | select('match', 'stage:') | map('regex_replace', '^stage:', '') | list"}],
        'strict': True,
    }
    run = run_inventory(write_config(tmp_path, config), emulator)
    assert run.rc == 0, run
    hostvars, groups = run.hostvars(), run.groups()
    assert hostvars['Team_Payments_EU']['tenant_label'] == 'TEAM PAYMENTS (EU)'
    assert hostvars['search']['ansible_connection'] == 'local'
    assert groups['trials'] == ['Team_Payments_EU', 'owner_lab']
    assert groups['finance_prod'] == ['team-payments']
    assert groups['stage_prod'] == ['team-payments'] and groups['stage_preprod'] == ['Team_Payments_EU']
    assert 'tag_department_finance' in groups  # the default groups stay


def test_strict_fails_on_a_broken_expression_and_lax_skips_it(emulator, fixture_ids, tmp_path):
    config = {'compose': {'limit': 'dynatrace_quotas.host_units.max_limit'}}  # quotas were not asked for
    lax = run_inventory(write_config(tmp_path, config), emulator)
    assert lax.rc == 0, lax
    assert all('limit' not in variables for variables in lax.hostvars().values())
    strict = run_inventory(write_config(tmp_path, dict(config, strict=True)), emulator)
    assert strict.rc != 0 and 'Could not set limit' in strict.stderr, strict


@pytest.mark.parametrize('filters, expected, server_filter', [
    ({'tags': ['department:finance'], 'state': 'enabled'},
     ['team-payments', 'Team_Payments_EU', 'team-payments_'], 'tag(department:finance),state(ENABLED)'),
    ({'tags_any': ['stage:prod', 'owner:jane.doe@example.com'], 'trial': True}, ['owner_lab'],
     'tag(stage:prod,owner:jane.doe@example.com),trial(true)'),
    ({'name_contains': 'PAY', 'trial': False}, ['team-payments', 'team-payments_'], 'name(PAY),trial(false)'),
    # An exact name with parentheses: the server filters on its longest safe part, the controller finishes.
    ({'name': 'Team Payments (EU)'}, ['Team_Payments_EU'], 'name(Team Payments)'),
    ({'state': 'disabled', 'name': 'search'}, ['search'], 'name(search),state(DISABLED)'),
])
def test_filters_go_to_the_server_and_are_finished_on_the_controller(
        emulator, fixture_ids, tmp_path, filters, expected, server_filter):
    run = run_inventory(write_config(tmp_path, {'filters': filters}), emulator)
    assert run.rc == 0, run
    hosts = sorted(host if not host.startswith('team-payments_') else 'team-payments_' for host in run.hostvars())
    assert hosts == sorted(expected)
    assert [query_of(entry) for entry in listings(emulator)] == [{'pageSize': '1000', 'filter': server_filter}]


def test_quotas_and_storage_on_request(emulator, tmp_path):
    api_create(emulator, 'sized', quotas={'hostUnits': {'maxLimit': 40}},
               storage={'serviceRequestLevelRetention': {'maxLimitInDays': 20}})
    emulator.clear_requests()
    run = run_inventory(write_config(tmp_path, {'include_quotas': True, 'include_storage': True}), emulator)
    assert run.rc == 0, run
    variables = run.hostvars()['sized']
    assert variables['dynatrace_quotas']['host_units'] == {'max_limit': 40}
    assert variables['dynatrace_quotas']['davis_data_units'] == {'monthly_limit': 'unlimited',
                                                                 'annual_limit': 'unlimited'}
    assert 'custom_metrics' not in variables['dynatrace_quotas']  # not available under the DDU license
    assert variables['dynatrace_storage']['service_request_level_retention'] == {'max_limit_in_days': 20}
    assert [query_of(entry) for entry in listings(emulator)] == [
        {'pageSize': '1000', 'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}]


def test_quotas_on_a_dps_cluster_fail_clearly(emulator, fixture_ids, tmp_path):
    emulator.configure(license='dps')
    run = run_inventory(write_config(tmp_path, {'include_quotas': True}), emulator)
    assert run.rc != 0
    assert 'HTTP 422' in run.stderr and 'Set include_quotas: false in the inventory file' in run.stderr, run
    assert_no_secret(emulator, run.stdout, run.stderr, run.listing_text)


def test_later_pages_without_quotas_are_completed(emulator, tmp_path):
    # The strict emulator's nextPageKey drops the include flags: page 2 comes without quotas.
    emulator.seed(1002, name_prefix='big')
    emulator.clear_requests()
    run = run_inventory(write_config(tmp_path, {'include_quotas': True, 'hostname_source': 'id'}), emulator)
    assert run.rc == 0, run
    hostvars = run.hostvars()
    assert len(hostvars) == 1002 and all('host_units' in v['dynatrace_quotas'] for v in hostvars.values())
    log = listings(emulator)
    assert [entry['path'] for entry in log[:2]] == [ENVIRONMENTS, ENVIRONMENTS]
    assert len(log) == 2 + 2 and all(query_of(entry) == {'includeConsumptionInfo': 'true'} for entry in log[2:])


def test_cache_a_second_run_sends_no_request(emulator, fixture_ids, tmp_path):
    cache_dir = tmp_path / 'cache'
    config = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(cache_dir),
              'cache_timeout': 600}
    path = write_config(tmp_path, config)
    first = run_inventory(path, emulator)
    assert first.rc == 0 and len(listings(emulator)) == 1, first
    emulator.clear_requests()
    second = run_inventory(path, emulator)
    assert second.rc == 0, second
    assert listings(emulator) == []
    assert second.hostvars() == first.hostvars() and second.groups() == first.groups()
    cached = ''.join(path.read_text() for path in cache_dir.iterdir())
    assert fixture_ids[0] in cached
    assert_no_secret(emulator, cached, second.stdout, second.stderr, second.listing_text)

    # Another filter is another cache entry; --flush-cache reads the cluster again.
    run_inventory(write_config(tmp_path, dict(config, filters={'state': 'disabled'})), emulator)
    assert [query_of(entry).get('filter') for entry in listings(emulator)] == ['state(DISABLED)']
    emulator.clear_requests()
    flushed = run_inventory(path, emulator, '--list', '--flush-cache')
    assert flushed.rc == 0 and len(listings(emulator)) == 1, flushed


@pytest.mark.parametrize('config, env, message', [
    ({}, {'DYNATRACE_URL': ''}, 'url is required: set url in the inventory file or the environment variable DYNATRACE_URL'),
    ({'url': 'dynatrace.example.com'}, {}, 'url must start with http:// or https://'),
    ({}, {'DYNATRACE_API_TOKEN': ''}, 'api_token is required'),
    ({'filters': {'tag': ['a'], 'state': 'on'}}, {},
     "filters has unknown key(s) tag; the keys are name, name_contains, tags, tags_any, state, trial; "
     "filters.state must be enabled or disabled, got 'on'"),
    ({'filters': {'tags': 'department:finance'}}, {}, "filters.tags must be a list of tags, got 'department:finance'"),
    ({'timeout': 0}, {}, 'timeout must be greater than 0 seconds'),
    # A typo of a top-level option would be ignored, and every environment listed: it is refused.
    ({'filter': {'state': 'enabled'}}, {}, 'unknown option filter; the options are api_token, ca_path, cache,'),
])
def test_bad_configuration_fails_before_any_request(emulator, tmp_path, config, env, message):
    run = run_inventory(write_config(tmp_path, config), emulator, extra_env=env)
    assert run.rc != 0
    assert 'invalid inventory configuration' in run.stderr and message in run.stderr, run
    assert emulator.requests() == []
    assert_no_secret(emulator, run.stdout, run.stderr, run.listing_text)


def test_a_token_the_cluster_refuses_fails_clearly_without_showing_it(emulator, tmp_path):
    wrong = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'Q' * 64
    run = run_inventory(write_config(tmp_path, {}), emulator, extra_env={'DYNATRACE_API_TOKEN': wrong})
    assert run.rc != 0
    assert 'HTTP 401' in run.stderr and 'Check api_token (or DYNATRACE_API_TOKEN)' in run.stderr, run
    assert 'Q' * 64 not in run.stderr + run.stdout
    assert [entry['status'] for entry in emulator.requests()] == [401]


def test_the_token_may_come_from_a_lookup_in_the_file(emulator, fixture_ids, tmp_path):
    config = {'api_token': "{{ lookup('ansible.builtin.env', 'TEAM_DT_TOKEN') }}"}
    run = run_inventory(write_config(tmp_path, config), emulator,
                        extra_env={'DYNATRACE_API_TOKEN': '', 'TEAM_DT_TOKEN': emulator.token})
    assert run.rc == 0, run
    assert len(run.hostvars()) == len(fixture_ids)
    assert_no_secret(emulator, run.stdout, run.stderr, run.listing_text)


def test_2500_environments_in_3_requests(emulator, tmp_path):
    emulator.seed(2500, name_prefix='load')
    emulator.clear_requests()
    run = run_inventory(write_config(tmp_path, {}), emulator, '--graph')
    assert run.rc == 0, run
    lines = run.graph_lines()
    hosts = set(line.strip(' |-') for line in lines if not line.strip(' |-').startswith('@'))
    assert len(hosts) == 2500
    assert '  |--@state_enabled:' in lines and '  |--@state_disabled:' in lines
    log = listings(emulator)
    assert len(log) == 3 and query_of(log[0]) == {'pageSize': '1000'}
    assert all(set(query_of(entry)) == {'nextPageKey'} for entry in log[1:])
    print('\n2500 environments: ansible-inventory --graph took %.2f s, %d requests' % (run.seconds, len(log)))
    assert run.seconds < 20


def test_a_play_runs_once_per_environment_of_an_inventory_group(emulator, fixture_ids, tmp_path):
    inventory = write_config(tmp_path, {})
    tasks = [
        {'name': 'where', 'ansible.builtin.debug': {'msg': '{{ dynatrace_environment_url }}'}},
        {'name': 'read it', 'clusterops.dynatrace.dynatrace_environment_info': {
            'environment_id': '{{ dynatrace_environment_id }}'}, 'register': 'read'},
        {'name': 'same', 'ansible.builtin.assert': {
            'that': ['read.environments[0].name == dynatrace_environment_name']}},
    ]
    emulator.clear_requests()
    run = run_tasks(tasks, emulator=emulator, inventory=str(inventory), hosts='tag_department_finance:&state_enabled')
    assert run.rc == 0, run
    where = dict((entry['host'], entry['result']['msg']) for entry in run.results if entry['task'] == 'where')
    first, eu, dummy, namesake, dummy2 = fixture_ids
    assert where == {'team-payments': '%s/e/%s' % (emulator.url, first),
                     'Team_Payments_EU': '%s/e/%s' % (emulator.url, eu),
                     'team-payments_' + namesake: '%s/e/%s' % (emulator.url, namesake)}
    paths = sorted(entry['path'] for entry in listings(emulator))
    # One listing for the inventory, then one read per host of the group.
    assert paths == sorted([ENVIRONMENTS] + ['%s/%s' % (ENVIRONMENTS, i) for i in (first, eu, namesake)])
    assert_no_secret(emulator, run.stdout, run.stderr, json.dumps(run.results))


def test_the_documented_example_works(emulator, fixture_ids, tmp_path):
    example = yaml.safe_load(EXAMPLES)
    example.update(url=emulator.url, cache_connection=str(tmp_path / 'cache'))
    del example['ca_path']
    run = run_inventory(write_config(tmp_path, example), emulator)
    assert run.rc == 0, run
    first, eu, dummy, namesake, dummy2 = fixture_ids
    assert sorted(run.hostvars()) == sorted([first, eu, namesake])  # finance, enabled, by id
    assert run.groups()['stage_prod'] == [first] and run.groups()['trials'] == [eu]
    assert set(variables['host_unit_limit'] for variables in run.hostvars().values()) == {'unlimited'}
    assert query_of(listings(emulator)[0]) == {'pageSize': '1000', 'filter': 'tag(department:finance),state(ENABLED)',
                                               'includeConsumptionInfo': 'true'}


def test_tls_with_the_ca_from_dynatrace_ca_path(emulator_factory, tmp_path):
    secure = emulator_factory(tls=True)
    secure.create_environment('tls-team')
    config = write_config(tmp_path, {})
    refused = run_inventory(config, secure)
    assert refused.rc != 0 and 'TLS certificate verification failed' in refused.stderr, refused
    trusted = run_inventory(config, secure, extra_env={'DYNATRACE_CA_PATH': secure.ca_path})
    assert trusted.rc == 0, trusted
    assert list(trusted.hostvars()) == ['tls-team']
    assert trusted.hostvars()['tls-team']['dynatrace_environment_url'].startswith('https://127.0.0.1:')


def test_a_cursor_that_keeps_the_include_flags_costs_one_request_per_page(emulator, tmp_path):
    emulator.configure(cursor_keeps_includes=True)
    emulator.seed(1002, name_prefix='big')
    emulator.clear_requests()
    run = run_inventory(write_config(tmp_path, {'include_quotas': True, 'hostname_source': 'id'}), emulator)
    assert run.rc == 0, run
    hostvars = run.hostvars()
    assert len(hostvars) >= 1002 and all('host_units' in v['dynatrace_quotas'] for v in hostvars.values())
    assert [entry['path'] for entry in listings(emulator)] == [ENVIRONMENTS, ENVIRONMENTS]


def test_later_pages_without_quotas_are_read_in_parallel(emulator, tmp_path):
    emulator.seed(1200, name_prefix='big')
    emulator.configure(latency='read=200ms')
    emulator.clear_requests()
    started = time.monotonic()
    run = run_inventory(write_config(tmp_path, {'include_quotas': True, 'hostname_source': 'id'}), emulator)
    seconds = time.monotonic() - started
    assert run.rc == 0, run
    singles = [entry for entry in listings(emulator) if entry['path'] != ENVIRONMENTS]
    assert len(singles) >= 200
    assert seconds < 25, 'one after the other, %d reads of 200 ms take %d s' % (len(singles), len(singles) * 0.2)
