"""dynatrace_cluster_info through ansible-playbook against the strict emulator, with real token kinds: the cluster
token alone (product version, Date header clock), an environment token (version and millisecond clock inside the
environment), both, and every token refused where it does not belong, with the token option named."""

import json
import os

import pytest

from tests.integration.runner import run_tasks

MODULE = 'clusterops.dynatrace.dynatrace_cluster_info'
REAL_VERSION = '1.236.0.20220203-192004'
OFFSET_MS = 5000
SKEW_TOLERANCE_MS = 1000
PRODUCT_VERSION = '/api/v1.0/onpremise/nodeManagement/productVersion'
NODES = '/api/v1.0/onpremise/cluster'


def results_by_task(run):
    return dict((entry['task'], (entry['status'], entry['result'])) for entry in run.results)


def secret(token):
    return token.rsplit('.', 1)[-1]


@pytest.fixture
def world(emulator):
    """An environment, a DataExport token of it, a clock 5 s ahead and a known version; the log cleared."""
    env_id = emulator.create_environment('info')
    env_token = emulator.environment_token(env_id, ['DataExport'])
    emulator.configure(clock_offset_ms=OFFSET_MS, cluster_version=REAL_VERSION)
    emulator.clear_requests()
    return emulator, env_id, env_token


def test_the_cluster_token_alone_gives_version_second_clock_and_nodes(world):
    emulator, dummy, dummy2 = world
    run = run_tasks([{'name': 'cluster', MODULE: {'include_nodes': True}, 'register': 'cluster'},
                     {'name': 'checks', 'ansible.builtin.assert': {'that': [
                         "cluster.version_info.short is ansible.builtin.version('1.280', '<')"]}}], emulator=emulator)
    assert run.last_status == 'ok', run
    status, result = results_by_task(run)['cluster']
    assert status == 'ok' and result['changed'] is False and result['environment_id'] is None
    assert result['version'] == REAL_VERSION and result['version_info']['build'] == '20220203-192004'
    assert (result['time_precision'], result['time_source']) == ('second', 'date_header')
    assert result['time_ms'] % 1000 == 0 and result['time'].endswith('.000Z')
    # The Date header has whole seconds: the skew is up to 1 s lower than the emulator's offset.
    assert OFFSET_MS - 1000 - SKEW_TOLERANCE_MS < result['time_skew_ms'] < OFFSET_MS + SKEW_TOLERANCE_MS, result
    assert [node['cluster_member_address'] for node in result['nodes']] == ['10.20.0.11', '10.20.0.12', '10.20.0.13']
    assert [(entry['method'], entry['path'], entry['status']) for entry in emulator.requests()] == [
        ('GET', PRODUCT_VERSION, 200), ('GET', NODES, 200)]


def test_an_environment_token_gives_the_millisecond_clock_and_the_cluster_token_the_nodes(world):
    emulator, env_id, env_token = world
    tasks = [
        {'name': 'both', MODULE: {'environment_id': env_id, 'environment_api_token': env_token, 'include_nodes': True}},
        {'name': 'pasted', MODULE: {'url': emulator.url + '/e/' + env_id + '/api/v1/time', 'environment_api_token': env_token},
         'check_mode': True},
    ]
    run = run_tasks(tasks, emulator=emulator)
    found = results_by_task(run)
    for name in ('both', 'pasted'):
        status, result = found[name]
        assert status == 'ok' and result['environment_id'] == env_id and result['version'] == REAL_VERSION, result
        assert (result['time_precision'], result['time_source']) == ('millisecond', 'environment_time_api')
        assert abs(result['time_skew_ms'] - OFFSET_MS) < SKEW_TOLERANCE_MS, result['time_skew_ms']
        assert secret(env_token) not in json.dumps(result)
    assert len(found['both'][1]['nodes']) == 3 and 'nodes' not in found['pasted'][1]
    prefix = '/e/%s/api/v1/' % env_id
    assert [(entry['path'], entry['status']) for entry in emulator.requests()] == [
        (prefix + 'config/clusterversion', 200), (prefix + 'time', 200), (NODES, 200),
        (prefix + 'config/clusterversion', 200), (prefix + 'time', 200)]


def test_an_environment_only_user_needs_no_cluster_token(world, monkeypatch):
    emulator, env_id, env_token = world
    # No emulator given to the runner and no DYNATRACE_* variable: only the environment token, from its variable.
    for name in [name for name in os.environ if name.startswith('DYNATRACE_')]:
        monkeypatch.delenv(name)
    # The variable is ansible-playbook's own (a task's `environment:` would show it at -vvv, in the command line).
    run = run_tasks([{'name': 'env_only', MODULE: {'url': emulator.url, 'environment_id': env_id}}],
                    extra_env={'DYNATRACE_ENVIRONMENT_API_TOKEN': env_token})
    status, result = results_by_task(run)['env_only']
    assert status == 'ok' and result['version'] == REAL_VERSION and result['time_precision'] == 'millisecond', result
    assert [entry['path'].rsplit('/', 1)[-1] for entry in emulator.requests()] == ['clusterversion', 'time']


def test_a_version_without_a_build_part_from_the_cluster_api(world):
    emulator, dummy, dummy2 = world
    emulator.add_fault(method='GET', path=PRODUCT_VERSION, action='status', status=200,
                       body=json.dumps({'productVersion': '1.280.5'}), content_type='application/json')
    run = run_tasks([{'name': 'short', MODULE: {}}], emulator=emulator)
    status, result = results_by_task(run)['short']
    assert status == 'ok', result
    assert result['version_info'] == dict(major=1, minor=280, patch=5, build=None, short='1.280.5', full='1.280.5')


def test_each_token_is_refused_where_it_does_not_belong_and_the_error_names_its_option(world):
    emulator, env_id, env_token = world
    no_scope_cluster = emulator.create_token(['ClusterTokenManagement'])
    no_scope_env = emulator.environment_token(env_id, ['InstallerDownload'])
    cases = {
        'cluster_token_inside_the_environment': ({'environment_id': env_id, 'environment_api_token': emulator.token},
                                                 401, 'environment_api_token was not accepted', 'give that one as api_token'),
        'environment_token_on_the_cluster_api': ({'api_token': env_token}, 401, 'api_token was not accepted',
                                                 'give that one as environment_api_token'),
        'environment_token_for_the_nodes': ({'api_token': env_token, 'environment_id': env_id,
                                             'environment_api_token': env_token, 'include_nodes': True},
                                            401, 'api_token was not accepted', 'ServiceProviderAPI'),
        'cluster_token_without_the_scope': ({'api_token': no_scope_cluster}, 403, 'api_token lacks a scope',
                                            'ServiceProviderAPI'),
        'environment_token_without_the_scope': ({'environment_id': env_id, 'environment_api_token': no_scope_env},
                                                403, 'environment_api_token lacks a scope', 'DataExport'),
    }
    tasks = [{'name': name, MODULE: args, 'ignore_errors': True} for name, (args, dummy, dummy2, dummy3) in cases.items()]
    emulator.clear_requests()
    found = results_by_task(run_tasks(tasks, emulator=emulator))
    for name, (dummy, status, named, hint) in cases.items():
        outcome, result = found[name]
        assert outcome == 'failed' and result['status'] == status, (name, result)
        assert named in result['msg'] and hint in result['msg'], (name, result['msg'])
        for token in (emulator.token, env_token, no_scope_cluster, no_scope_env):
            assert secret(token) not in json.dumps(result), name
    prefix = '/e/%s/api/v1/' % env_id
    assert [(entry['path'], entry['status']) for entry in emulator.requests()] == [
        (prefix + 'config/clusterversion', 401), (PRODUCT_VERSION, 401),
        (prefix + 'config/clusterversion', 200), (prefix + 'time', 200), (NODES, 401),
        (PRODUCT_VERSION, 403), (prefix + 'config/clusterversion', 403)]


def test_the_environment_api_on_the_cluster_host_itself_asks_for_environment_id(world):
    emulator, dummy, env_token = world
    run = run_tasks([{'name': 'bare', MODULE: {'environment_api_token': env_token}, 'ignore_errors': True}], emulator=emulator)
    status, result = results_by_task(run)['bare']
    assert status == 'failed' and result['status'] == 404 and 'so give environment_id' in result['msg'], result
    assert [entry['path'] for entry in emulator.requests()] == ['/api/v1/config/clusterversion']


@pytest.mark.parametrize('args, message', [
    ({'environment_id': 'not valid'}, 'environment_id must match'),
    ({'environment_id': 'abc'}, 'environment_id needs environment_api_token'),
    ({'api_token': '', 'environment_api_token': 'dt0c01.X.Y', 'include_nodes': True}, 'include_nodes needs api_token'),
])
def test_bad_input_fails_before_any_request(emulator, args, message):
    emulator.clear_requests()
    run = run_tasks([{'name': 'bad', MODULE: args, 'ignore_errors': True}], emulator=emulator)
    (entry,) = run.results
    assert entry['status'] == 'failed' and message in entry['result']['msg'], entry
    assert emulator.requests() == []
