"""Never the wrong environment: environment_id and name must agree, through the module and the role."""

import pytest
import requests

from tests.integration.runner import run_module
from tests.integration.test_role_environments import api_requests, run_role

ENVIRONMENTS = '/api/cluster/v2/environments'
FAIL_TASK = 'Fail when an environment could not be provisioned'


def api_create(emulator, name):
    answer = requests.post(emulator.url + ENVIRONMENTS, json={'name': name}, timeout=10,
                           headers={'Authorization': 'Api-Token ' + emulator.token})
    assert answer.status_code == 201, answer.text
    return answer.json()['id']


def names_by_id(emulator):
    return dict((environment['id'], environment['name']) for environment in emulator.environments())


def writes(emulator):
    return [entry for entry in emulator.requests() if entry['method'] != 'GET']


@pytest.mark.parametrize('args', [dict(state='absent'), dict(update_existing=True, tags=['x']), dict(tags=['x'])],
                         ids=['absent', 'update', 'present'])
def test_id_and_name_of_different_environments_change_nothing(emulator, args):
    keep, other = api_create(emulator, 'keep-me'), api_create(emulator, 'asked-for')
    before = names_by_id(emulator)
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, environment_id=keep, name='asked-for', **args)
    assert status == 'failed', result
    for needle in (keep, "'asked-for'", "'keep-me'"):
        assert needle in result['msg'], result['msg']
    assert writes(emulator) == [] and names_by_id(emulator) == before
    assert len(emulator.requests()) == 1  # the GET of the id, nothing else
    assert other in before


def test_rename_true_renames_only_when_the_name_is_free(emulator):
    env_id = api_create(emulator, 'before')
    other = api_create(emulator, 'occupied')
    emulator.clear_requests()
    status, result = run_module('dynatrace_environment', emulator, environment_id=env_id, name='occupied',
                                rename=True, update_existing=True)
    assert status == 'failed' and other in result['msg'] and writes(emulator) == [], result
    status, result = run_module('dynatrace_environment', emulator, environment_id=env_id, name='after',
                                rename=True, update_existing=True)
    assert status == 'changed' and result['diff'] == {'before': {'name': 'before'}, 'after': {'name': 'after'}}
    assert names_by_id(emulator)[env_id] == 'after'


def test_the_role_deletes_or_renames_nothing_on_a_disagreement(emulator):
    keep, doomed = api_create(emulator, 'keep-me'), api_create(emulator, 'doomed')
    emulator.clear_requests()
    declared = [{'environment_id': keep, 'name': 'doomed', 'state': 'absent'},
                {'environment_id': doomed, 'name': 'renamed?', 'tags': ['t']}]
    for update_existing in (False, True):
        run = run_role(emulator, declared, environments_update_existing=update_existing)
        assert run.rc != 0
        (failed,) = [entry for entry in run.results if entry['task'] == FAIL_TASK]
        message = failed['result']['msg']
        assert sorted(message) == ['doomed', 'renamed?'], message
        assert keep in message['doomed'] and "'keep-me'" in message['doomed'] and 'Nothing was deleted' in message['doomed']
        assert "'doomed'" in message['renamed?'] and 'rename: true' in message['renamed?']
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET', 'GET']  # the two listings
    assert names_by_id(emulator) == {keep: 'keep-me', doomed: 'doomed'}


def test_the_role_refuses_a_rename_onto_a_name_another_environment_carries_like_the_module(emulator):
    old, taken = api_create(emulator, 'old-name'), api_create(emulator, 'taken')
    emulator.clear_requests()
    run = run_role(emulator, [{'environment_id': old, 'name': 'taken', 'rename': True}], environments_update_existing=True)
    assert run.rc != 0
    (failed,) = [entry for entry in run.results if entry['task'] == FAIL_TASK]
    assert 'cannot be renamed' in failed['result']['msg']['taken'] and taken in failed['result']['msg']['taken']
    assert [entry['method'] for entry in api_requests(emulator)] == ['GET']
    assert names_by_id(emulator) == {old: 'old-name', taken: 'taken'}
