"""Names the API owns, through ansible-playbook against the emulator: token scopes and group permissions.

The collection refuses locally only what is certainly wrong and lets the cluster decide the rest; the
emulator knows the documented names per cluster version (tests/emulator/scopes.py), as a real cluster does.
"""

import json

import pytest
import requests

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import DOCUMENTED_ENVIRONMENT_SCOPES
from tests.integration.runner import run_module, run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
GROUPS = '/api/v1.0/onpremise/groups'
NEWEST = '1.350.0.20261104-120000'  # the version that added openpipeline.events_data_lineage
NEW_SCOPES = ['bizevents.ingest', 'openpipeline.events', 'hub.read', 'syntheticExecutions.write', 'attacks.read']


def run_bulk(emulator, **args):
    """dynatrace_environments with failures ignored, so the registered result of a failed run is read too."""
    task = {'name': 'module under test', 'clusterops.dynatrace.dynatrace_environments': args, 'ignore_errors': True}
    run = run_tasks([task], emulator=emulator)
    assert run.results, 'rc=%s\n%s\n%s' % (run.rc, run.stdout[-3000:], run.stderr[-3000:])
    return run.last_status, run.last


def posted_tokens(emulator):
    return [entry for entry in emulator.requests()
            if entry['method'] == 'POST' and entry['path'].endswith('/api/v2/apiTokens')]


def writes(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests() if entry['method'] != 'GET']


@pytest.fixture
def team(emulator):
    emulator.configure(cluster_tokens_see_environment_tokens=True)
    env_id = emulator.create_environment('team-a')
    emulator.clear_requests()
    return env_id


def test_every_documented_scope_makes_a_token_through_the_module(emulator, team):
    emulator.configure(cluster_version=NEWEST)
    status, result = run_module('dynatrace_api_token', emulator, environment_name='team-a', name='everything',
                                scopes=sorted(DOCUMENTED_ENVIRONMENT_SCOPES))
    assert status == 'changed', result
    (post,) = posted_tokens(emulator)
    assert post['body']['scopes'] == sorted(DOCUMENTED_ENVIRONMENT_SCOPES) and len(post['body']['scopes']) == 91
    (stored,) = [token for token in emulator.tokens() if token['name'] == 'everything']
    assert sorted(stored['scopes']) == sorted(DOCUMENTED_ENVIRONMENT_SCOPES)


def test_a_scope_the_cluster_refuses_fails_naming_the_option_and_the_scope(emulator, team):
    # 1.330 does not know openpipeline.events_data_lineage yet: the module sends it, the cluster says no.
    status, result = run_module('dynatrace_api_token', emulator, environment_name='team-a', name='lineage',
                                scopes=['InstallerDownload', 'openpipeline.events_data_lineage'])
    assert status == 'failed'
    assert result['msg'].startswith('scopes: the cluster refused environment token scope openpipeline.events_data_lineage')
    assert "Could not map JSON at 'scopes[1]'" in result['msg']
    assert len(posted_tokens(emulator)) == 1 and not [t for t in emulator.tokens() if t['name'] == 'lineage']


def test_paas_integration_is_refused_before_any_request_with_the_hint(emulator, team):
    status, result = run_module('dynatrace_api_token', emulator, environment_name='team-a', name='paas',
                                scopes=['PaaSIntegration'])
    assert status == 'failed' and 'PaaSIntegration is not a scope' in result['msg']
    assert 'InstallerDownload' in result['msg'] and emulator.requests() == []


def test_newer_scopes_through_the_bulk_module_and_the_role(emulator, tmp_path):
    declared = [{'name': 'ingest-%d' % number, 'api_tokens': [{'name': 'pipeline', 'scopes': NEW_SCOPES}]}
                for number in range(3)]
    status, result = run_bulk(emulator, environments=declared[:2], token_dir=str(tmp_path / 'module'))
    assert status == 'changed', result
    assert [token['state'] for outcome in result['outcomes'] for token in outcome['api_tokens']] == ['created'] * 2
    role = {'name': 'role', 'ansible.builtin.include_role': {'name': 'clusterops.dynatrace.environments'},
            'vars': {'environments_list': declared[2:], 'environments_token_dir': str(tmp_path / 'role')}}
    run = run_tasks([role], emulator=emulator)
    assert run.rc == 0, run.stdout[-3000:]
    pipelines = [token for token in emulator.tokens() if token['name'] == 'pipeline']
    assert len(pipelines) == 3 and all(sorted(token['scopes']) == sorted(NEW_SCOPES) for token in pipelines)


def test_a_refused_scope_in_a_bulk_run_stops_before_the_other_items_are_written(emulator):
    # The first item that uses a scope some clusters may not know runs alone; the cluster refuses it, so the
    # other items with unconfirmed scopes are not attempted and nothing of them is written.
    refused = [{'name': 'lineage', 'scopes': ['openpipeline.events_data_lineage']}]
    declared = [{'name': 'plain'}] + [{'name': 'lineage-%d' % number, 'api_tokens': refused} for number in range(4)]
    status, result = run_bulk(emulator, environments=declared, parallel=4)
    assert status == 'failed'
    failures = result['failures']
    assert 'openpipeline.events_data_lineage' in failures['lineage-0'] and 'scopes: the cluster refused' in failures['lineage-0']
    for number in (1, 2, 3):
        assert failures['lineage-%d' % number].startswith('not attempted: the cluster refused scopes '
                                                          'openpipeline.events_data_lineage of lineage-0')
    names = sorted(environment['name'] for environment in emulator.environments())
    assert names == ['lineage-0', 'plain']
    assert len(posted_tokens(emulator)) == 1


def test_expiration_in_seconds_is_refused_before_any_request(emulator, team):
    status, result = run_module('dynatrace_api_token', emulator, environment_name='team-a', name='short',
                                scopes=['InstallerDownload'], expiration='now+90s')
    assert status == 'failed' and "expiration 'now+90s' cannot be parsed" in result['msg']
    assert emulator.requests() == []


# ------------------------------------------------------------------------------------------------
# Group permissions and read models

def api_group(emulator, name, **fields):
    answer = requests.post(emulator.url + GROUPS, json=dict(name=name, isClusterAdminGroup=False, **fields),
                           headers={'Authorization': 'Api-Token ' + emulator.token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize('read_model', ['current', 'spec2021'])
def test_group_info_reports_the_account_flags_under_either_read_model(emulator, read_model):
    emulator.configure(group_read_model=read_model)
    api_group(emulator, 'accounts', isAccessAccount=True, isManageAccount=False)
    api_group(emulator, 'managers', isAccessAccount=False, isManageAccount=True)
    status, result = run_module('dynatrace_user_group_info', emulator)
    assert status == 'ok', result
    details = result['group_details']
    assert (details['accounts']['access_account'], details['accounts']['manage_account']) == (True, False)
    assert (details['managers']['access_account'], details['managers']['manage_account']) == (False, True)


@pytest.mark.parametrize('read_model', ['current', 'spec2021'])
def test_a_permission_change_keeps_the_account_flags_under_either_read_model(emulator, read_model):
    emulator.configure(group_read_model=read_model)
    emulator.create_environment('prod')
    api_group(emulator, 'managers', isAccessAccount=True, isManageAccount=True)
    status, result = run_module('dynatrace_user_group', emulator, name='managers',
                                permissions=[{'environment': 'prod', 'permissions': ['LOG_VIEWER']}])
    assert status == 'changed', result
    (put,) = [entry for entry in emulator.requests() if entry['method'] == 'PUT']
    assert put['body']['isAccessAccount'] is True and put['body']['isManageAccount'] is True


def test_support_tickets_and_capture_data_hold_in_replace_mode(emulator):
    emulator.create_environment('prod')
    task = dict(name='support', permissions_mode='replace', permissions=[
        {'environment': 'prod', 'permissions': ['MANAGE_SUPPORT_TICKETS', 'CONFIGURE_REQUEST_CAPTURE_DATA']}])
    status, result = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'changed', result
    (group,) = [group for group in emulator.groups() if group['name'] == 'support']
    assert sorted(group['accessRight']) == ['CONFIGURE_REQUEST_CAPTURE_DATA', 'MANAGE_SETTINGS',
                                            'MANAGE_SUPPORT_TICKETS', 'VIEWER', 'VIEW_SECURITY_PROBLEMS']
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, **task)
    assert status == 'ok' and writes(emulator) == [], result  # MANAGE_SETTINGS is the cluster's own addition
    status, info = run_module('dynatrace_user_group_info', emulator, name='support')
    assert 'MANAGE_SUPPORT_TICKETS' in info['groups'][0]['permissions'][0]['permissions']
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, permissions_mode='replace', **info['groups'][0])
    assert status == 'ok' and writes(emulator) == [], result


def test_a_permission_the_cluster_refuses_fails_naming_it(emulator):
    emulator.create_environment('prod')
    status, result = run_module('dynatrace_user_group', emulator, name='future', permissions=[
        {'environment': 'prod', 'permissions': ['MANAGE_EVERYTHING_LATER']}])
    assert status == 'failed'
    assert result['msg'].startswith('permissions: the cluster refused environment permission MANAGE_EVERYTHING_LATER')
    assert [group for group in emulator.groups() if group['name'] == 'future'] == []


@pytest.mark.parametrize('ignore_case', [True, False])
def test_a_group_name_differing_in_case_is_for_the_cluster_to_judge(emulator, ignore_case):
    emulator.configure(group_names_ignore_case=ignore_case)
    api_group(emulator, 'Team-Payments')
    emulator.clear_requests()
    status, result = run_module('dynatrace_user_group', emulator, name='team-payments', ldap_group_names=['cn=x'])
    assert ('POST', GROUPS) in writes(emulator)  # no local refusal: the POST is sent
    if ignore_case:
        assert status == 'failed' and "'Team-Payments'" in result['msg'] and 'without case' in result['msg']
    else:
        assert status == 'changed' and sorted(group['name'] for group in emulator.groups()) == [
            'Team-Payments', 'team-payments']


# ------------------------------------------------------------------------------------------------
# Unknown readings the modules must be right under

@pytest.mark.parametrize('matching', ['exact', 'loose'])
def test_tag_filters_are_checked_again_client_side(emulator, matching):
    emulator.configure(tag_filter_matching=matching)
    for name, tags in (('payments', ['team:payments']), ('pay', ['team:pay']), ('upper', ['TEAM:PAY'])):
        emulator.create_environment(name, tags=tags)
    status, result = run_module('dynatrace_environment_info', emulator, tags=['team:pay'])
    assert status == 'ok', result
    assert [environment['name'] for environment in result['environments']] == ['pay']
    status, result = run_module('dynatrace_environment_info', emulator, tags_any=['team:pay', 'nothing'])
    assert [environment['name'] for environment in result['environments']] == ['pay']


def test_a_listed_token_without_its_scopes_is_read_alone_and_is_no_drift(emulator, team):
    management = emulator.environment_token(team, scopes=('apiTokens.read', 'apiTokens.write'))
    task = dict(environment_name='team-a', name='paas', scopes=['InstallerDownload'], token_management_token=management)
    status, created = run_module('dynatrace_api_token', emulator, **task)
    assert status == 'changed', created
    # A later page of the listing in the default fields: no scopes (whether the cursor keeps them is not published).
    listed = {'id': created['token_id'], 'name': 'paas', 'enabled': True, 'owner': 'admin',
              'creationDate': '2026-01-01T00:00:00.000Z'}
    emulator.add_fault(method='GET', path='/e/%s/api/v2/apiTokens' % team, action='status', status=200,
                       content_type='application/json; charset=utf-8', body=json.dumps(
                           {'totalCount': 1, 'pageSize': 10000, 'nextPageKey': None, 'apiTokens': [listed]}))
    emulator.clear_requests()
    status, result = run_module('dynatrace_api_token', emulator, **task)
    assert status == 'ok' and result['drift'] == {}, result
    assert ('GET', '/e/%s/api/v2/apiTokens/%s' % (team, created['token_id'])) in [
        (entry['method'], entry['path']) for entry in emulator.requests()]


@pytest.mark.parametrize('status', [404, 503])
def test_a_new_environment_whose_api_answers_late_gets_its_tokens(emulator, tmp_path, status):
    emulator.configure(new_environment_api_delay_ms=1500, new_environment_api_status=status)
    declared = [{'name': 'late', 'api_tokens': [{'name': 'paas', 'scopes': ['InstallerDownload']}]}]
    state, result = run_bulk(emulator, environments=declared, token_dir=str(tmp_path))
    assert state == 'changed', result
    assert [token['state'] for token in result['outcomes'][0]['api_tokens']] == ['created']
    listings = [entry for entry in emulator.requests()
                if entry['method'] == 'GET' and entry['path'].endswith('/api/v2/apiTokens')]
    assert len(listings) >= 2  # the first answer was the new environment's 404/503, then it answered
