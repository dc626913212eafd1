"""Unit tests of dynatrace_environment: create, update, delete and lost answers, call by call.

Each path sends the calls the module documentation's "Requests per run" promises (the one statement of the budget).

The API layer is stubbed (harness.FakeEnvironmentsApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_create import post_without_duplicates
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environment as module
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, StubClient, environment, run_main

PARAMS = dict(name='team', create_token=True)
TEAM_ID = creation_id('team')


def kinds(api):
    """The calls in order, as (kind, id) for GET/PUT/DELETE and (kind,) for lists and POSTs."""
    return [(call[0],) if call[0] in ('list', 'post') else (call[0], call[1]) for call in api.calls]


def writes(api):
    return [call for call in api.calls if call[0] in ('put', 'post', 'delete')]


# ------------------------------------------------------------------------------------------------
# Creation: under the creation id of the name, at most 3 requests

def test_a_missing_name_is_created_under_its_creation_id_in_three_requests(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='team'))
    assert kinds(api) == [('list',), ('get', TEAM_ID), ('put', TEAM_ID)]
    assert api.calls[2][3] is True  # createToken
    assert result['changed'] and result['environment_id'] == TEAM_ID and warnings == []
    assert result['token_management_token'].startswith('dt0c01.')


def test_name_lookup_false_skips_the_lookup(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', name_lookup=False))
    assert kinds(api) == [('get', TEAM_ID), ('put', TEAM_ID)] and result['changed']


def test_check_mode_predicts_the_creation_id_and_only_reads(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team'), check_mode=True)
    assert result['changed'] and result['environment_id'] == TEAM_ID and writes(api) == []


def test_created_by_a_concurrent_run_since_the_lookup_is_treated_as_existing(monkeypatch):
    api = FakeEnvironmentsApi([environment('team', TEAM_ID)]).install(monkeypatch)
    # The lookup ran a moment before the concurrent run's create: it found nothing.
    monkeypatch.setattr(_api_environments, 'list_environments', lambda client, **query: ([], 0))
    result, warnings = run_main(monkeypatch, module, dict(name='team'))
    assert kinds(api) == [('get', TEAM_ID)] and warnings == []
    assert not result['changed'] and result['environment_id'] == TEAM_ID


def test_a_creation_id_renamed_by_a_person_is_never_renamed_back(monkeypatch):
    api = FakeEnvironmentsApi([environment('team-renamed', TEAM_ID)]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', update_existing=True))
    assert result['failed'] and writes(api) == []
    assert "'team-renamed'" in result['msg'] and 'not renamed back' in result['msg'] and TEAM_ID in result['msg']


@pytest.mark.parametrize('create_token, warned', [(True, True), (False, False)])
def test_a_put_that_finds_the_environment_adopts_it_and_warns_only_about_a_token(monkeypatch, create_token, warned):
    api = FakeEnvironmentsApi(appear_before_put=[environment('team', TEAM_ID)]).install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='team', create_token=create_token))
    assert result['changed'] and result['environment_id'] == TEAM_ID and 'token_management_token' not in result
    assert len([item for item in api.environments if item['name'] == 'team']) == 1
    assert bool(warnings) is warned
    if warned:
        assert 'tokenManagementToken' in warnings[0] and TEAM_ID in warnings[0]


def test_a_refused_creation_id_falls_back_to_a_post_and_warns(monkeypatch):
    api = FakeEnvironmentsApi(refused_ids=[TEAM_ID]).install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='team'))
    assert kinds(api) == [('list',), ('get', TEAM_ID), ('put', TEAM_ID), ('post',)]
    assert result['changed'] and result['environment_id'] == 'id1' and result['token_management_token']
    assert 'refused' in warnings[0] and 'not idempotent' in warnings[0]


def test_a_refused_explicit_id_fails_without_a_post(monkeypatch):
    api = FakeEnvironmentsApi(refused_ids=['fixed']).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', environment_id='fixed'))
    assert result['failed'] and 'choose another environment_id' in result['msg']
    assert [call[0] for call in writes(api)] == ['put']


def test_a_creating_put_without_any_answer_says_a_rerun_is_safe(monkeypatch):
    lost = DynatraceError('cannot reach https://dt.example.com: Read timed out', method='PUT', path='/x', attempts=6)
    FakeEnvironmentsApi(put_error=lost).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team'))
    assert result['failed'] and 'running the task again is safe' in result['msg'] and TEAM_ID in result['msg']


# ------------------------------------------------------------------------------------------------
# environment_id and name: the same environment, or nothing happens

def test_environment_id_with_a_name_another_environment_carries_fails_before_writing(monkeypatch):
    api = FakeEnvironmentsApi([environment('team', 'other')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', environment_id='fixed'))
    assert result['failed'] and writes(api) == []
    assert "'fixed'" in result['msg'] and 'other' in result['msg'] and 'second environment' in result['msg']


@pytest.mark.parametrize('args', [dict(state='absent'), dict(update_existing=True), dict()])
def test_environment_id_and_name_of_different_environments_fail_before_writing(monkeypatch, args):
    api = FakeEnvironmentsApi([environment('team-b', 'e1'), environment('team-a', 'e2')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(args, name='team-a', environment_id='e1'))
    assert result['failed'] and writes(api) == []
    assert "'e1'" in result['msg'] and "'team-a'" in result['msg'] and "'team-b'" in result['msg']
    assert sorted(item['id'] for item in api.environments) == ['e1', 'e2']


def test_rename_true_renames_and_refuses_a_taken_name(monkeypatch):
    api = FakeEnvironmentsApi([environment('old', 'e1')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='new', environment_id='e1', rename=True, update_existing=True))
    assert result['changed'] and api.environments[0]['name'] == 'new'
    assert result['diff'] == dict(before={'name': 'old'}, after={'name': 'new'})
    api = FakeEnvironmentsApi([environment('old', 'e1'), environment('new', 'e2')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='new', environment_id='e1', rename=True, update_existing=True))
    assert result['failed'] and 'cannot be renamed' in result['msg'] and writes(api) == []


@pytest.mark.parametrize('args, message', [
    (dict(name='a', rename=True), 'rename: true needs environment_id'),
    (dict(name='a', environment_id='e', rename=True, state='absent'), 'rename: true does not go with state: absent'),
    (dict(name='a', name_lookup=False, state='absent'), 'name_lookup: false is for state: present only'),
    (dict(name='a', quotas='lots'), "argument 'quotas' is of type str"),
    (dict(name='a', quotas={'host_units': 5}), 'quotas.host_units must be a dict of max_limit, got int 5'),
    (dict(name='a', storage={'transaction_storage': {'max_limit': 2 ** 63}}),
     'storage.transaction_storage.max_limit must be at most 9223372036854775807'),
])
def test_input_errors_fail_before_any_request(monkeypatch, args, message):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, args)
    assert result['failed'] and message in result['msg'] and api.calls == []


# ------------------------------------------------------------------------------------------------
# The POST fallback: a create whose answer is lost is adopted, sent again, or stopped; never duplicated

def post(api, create_token=True):
    warnings = []
    params = dict(PARAMS, create_token=create_token)
    return post_without_duplicates(StubClient(), params, {'name': 'team'}, warnings.append), warnings


def posts(api):
    return len([call for call in api.calls if call[0] == 'post'])


def test_lost_answer_of_a_create_that_happened_adopts_it_without_a_token(monkeypatch):
    api = FakeEnvironmentsApi(lost_posts=['lost-created']).install(monkeypatch)
    (environment_id, token), warnings = post(api)
    assert (environment_id, token, posts(api)) == ('id1', None, 1)
    assert 'adopted' in warnings[0] and 'tokenManagementToken' in warnings[0]


def test_lost_answer_without_create_token_adopts_without_a_token_warning(monkeypatch):
    api = FakeEnvironmentsApi(lost_posts=['lost-created']).install(monkeypatch)
    (environment_id, token), warnings = post(api, create_token=False)
    assert (environment_id, token, warnings) == ('id1', None, [])


def test_lost_answer_of_a_create_that_did_not_happen_is_sent_again(monkeypatch):
    api = FakeEnvironmentsApi(lost_posts=['lost-not-created', 'ok']).install(monkeypatch)
    (environment_id, token), warnings = post(api)
    assert (environment_id, posts(api), warnings) == ('id2', 2, []) and token.startswith('dt0c01.')


def test_every_answer_lost_and_nothing_created_stops_after_two_attempts(monkeypatch):
    api = FakeEnvironmentsApi(lost_posts=['lost-not-created', 'lost-not-created']).install(monkeypatch)
    with pytest.raises(DynatraceError, match='sent 2 times and each answer was lost'):
        post(api)
    assert posts(api) == 2


def test_two_environments_after_a_lost_answer_fail_listing_both(monkeypatch):
    api = FakeEnvironmentsApi([{'id': 'other', 'name': 'team'}], lost_posts=['lost-created']).install(monkeypatch)
    with pytest.raises(DynatraceError, match='2 environments named .team. exist now .ids: id1, other.'):
        post(api)


def test_quotas_and_storage_are_plain_dicts_checked_by_the_module():
    spec = module.argument_spec()
    assert spec['quotas'] == {'type': 'dict'} and spec['storage'] == {'type': 'dict'}


# ------------------------------------------------------------------------------------------------
# main(), path by path, with the request budget of the module documentation ("Requests per run")

def existing(**fields):
    return environment('team', env_id='team-id', tags=['a'], **fields)


def test_steady_state_is_one_lookup_and_changes_nothing(monkeypatch):
    api = FakeEnvironmentsApi([existing()]).install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='team', tags=['a'], create_token=False))
    assert result['changed'] is False and result['drift'] == {} and warnings == []
    assert [call[0] for call in api.calls] == ['list']
    assert api.calls[0][1] == dict(filter_expression='name(team)', include_consumption=False, include_storage=False)


def test_managed_quotas_and_storage_are_read_with_the_one_lookup(monkeypatch):
    api = FakeEnvironmentsApi([existing(quotas={'hostUnits': {'maxLimit': 5}},
                                        storage={'sessionReplayRetention': {'maxLimitInDays': 7}})]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', quotas={'host_units': {'max_limit': 5}},
                                                       storage={'session_replay_retention': {'max_limit_in_days': 7}}))
    assert result['changed'] is False and len(api.calls) == 1
    assert api.calls[0][1]['include_consumption'] is True and api.calls[0][1]['include_storage'] is True


def test_create_by_name_is_the_lookup_the_get_of_its_id_and_one_put_and_returns_the_token(monkeypatch):
    api = FakeEnvironmentsApi([environment('other')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', tags=['x'], quotas={'host_units': {'max_limit': 3}}))
    assert [call[0] for call in api.calls] == ['list', 'get', 'put']
    assert api.calls[2][2] == dict(name='team', state='ENABLED', trial=False, tags=['x'], quotas={'hostUnits': {'maxLimit': 3}})
    assert result['changed'] is True and result['environment_id'] == TEAM_ID
    assert result['token_management_token'].startswith('dt0c01.')
    after = dict(name='team', enabled=True, tags=['x'], quotas={'host_units': {'max_limit': 3}})
    assert result['diff'] == dict(before={}, after=after)


def test_create_by_environment_id_is_one_get_the_lookup_of_the_name_and_one_put(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', environment_id='team-fixed', create_token=False))
    assert [call[0] for call in api.calls] == ['get', 'list', 'put']
    assert result['changed'] is True and result['environment_id'] == 'team-fixed'
    assert 'token_management_token' not in result


def test_check_mode_sends_the_reads_only_and_predicts_the_creation(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team'), check_mode=True)
    assert [call[0] for call in api.calls] == ['list', 'get']
    assert result['changed'] is True and result['environment_id'] == TEAM_ID and 'token_management_token' not in result


def test_drift_without_update_existing_is_reported_and_nothing_sent(monkeypatch):
    api = FakeEnvironmentsApi([existing(quotas={'demUnits': {'monthlyLimit': 10, 'annualLimit': 100}})]).install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='team', quotas={'dem_units': {'monthly_limit': 20}}))
    assert result['changed'] is False and [call[0] for call in api.calls] == ['list']
    assert result['drift'] == {'quotas.dem_units.monthly_limit': {'current': 10, 'desired': 20}}
    # Ansible shows no diff for an `ok` task: the drift is a warning, seen without registering the result.
    assert warnings == ['environment team differs from its declaration and was left as it is (update_existing is '
                        'false): quotas.dem_units.monthly_limit; set update_existing: true to make it match']
    assert 'update_existing is false' in result['diff']['before_header']


def test_update_is_the_lookup_and_one_put_of_the_whole_changed_quota(monkeypatch):
    api = FakeEnvironmentsApi([existing(quotas={'demUnits': {'monthlyLimit': 10, 'annualLimit': 100},
                                                'hostUnits': {'maxLimit': 1}})]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', update_existing=True, enabled=False,
                                                       quotas={'dem_units': {'monthly_limit': 20}}))
    assert [call[0] for call in api.calls] == ['list', 'put']
    body = api.calls[1][2]
    # The sibling annual limit is sent as read (an omitted one would become unlimited); host units are not sent.
    assert body == dict(name='team', state='DISABLED', trial=False, tags=['a'],
                        quotas={'demUnits': {'monthlyLimit': 20, 'annualLimit': 100}})
    assert result['changed'] is True and result['environment']['enabled'] is False


def test_deleting_an_enabled_environment_disables_it_first(monkeypatch):
    api = FakeEnvironmentsApi([existing()]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', state='absent'))
    assert [call[0] for call in api.calls] == ['list', 'put', 'delete']
    assert api.calls[1][2]['state'] == 'DISABLED' and api.calls[2][1] == 'team-id'
    assert result['changed'] is True and result['environment'] == {} and api.environments == []


def test_deleting_a_disabled_environment_is_the_lookup_and_the_delete(monkeypatch):
    api = FakeEnvironmentsApi([existing(state='DISABLED')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', state='absent'))
    assert [call[0] for call in api.calls] == ['list', 'delete'] and result['changed'] is True


def test_absent_and_already_gone_is_one_lookup(monkeypatch):
    api = FakeEnvironmentsApi([environment('other')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', state='absent'))
    assert [call[0] for call in api.calls] == ['list'] and result['changed'] is False


def test_an_update_that_finds_the_environment_deleted_reports_it_gone_and_leaves_nothing(monkeypatch):
    # Another job deletes it after the lookup: the update's PUT (an upsert) creates it again, empty (201).
    api = FakeEnvironmentsApi([existing()], vanish_before_put=['team-id']).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', update_existing=True, tags=['b']))
    assert result['failed'] is True and 'was deleted while this task ran' in result['msg'] and 'team-id' in result['msg']
    assert kinds(api) == [('list',), ('put', 'team-id'), ('put', 'team-id'), ('delete', 'team-id')]
    assert api.calls[2][2]['state'] == 'DISABLED' and api.environments == []


def test_a_deletion_that_finds_the_environment_deleted_leaves_nothing_and_changes_nothing(monkeypatch):
    api = FakeEnvironmentsApi([existing()], vanish_before_put=['team-id']).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', state='absent'))
    assert kinds(api) == [('list',), ('put', 'team-id'), ('delete', 'team-id')]
    assert result['changed'] is False and not result['failed'] and api.environments == []


def test_a_name_carried_by_two_environments_fails_with_their_ids_and_writes_nothing(monkeypatch):
    api = FakeEnvironmentsApi([environment('team', env_id='b'), environment('team', env_id='a')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', state='absent'))
    assert result['failed'] is True and "name 'team' matches 2 environments (ids: a, b)" in result['msg']
    assert [call[0] for call in api.calls] == ['list']


@pytest.mark.parametrize('args, message', [
    (dict(name='x' * 101), 'name must be 1 to 100 characters long'),
    (dict(name='t', environment_id='no spaces'), 'environment_id must match'),
    (dict(name='t', quotas={'host_units': {'max_limit': -1}}), 'quotas.host_units.max_limit must be at least 0'),
    (dict(name='t', storage={'session_replay_retention': {'max_limit_in_days': 'unlimited'}}),
     'storage.session_replay_retention.max_limit_in_days cannot be unlimited'),
])
def test_bad_input_fails_before_any_call(monkeypatch, args, message):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, args)
    assert result['failed'] is True and message in result['msg'] and api.calls == []


def test_an_api_error_fails_with_its_status_and_violations(monkeypatch):
    error = DynatraceError('Constraints violated.', status=400, method='PUT', path='/api/cluster/v2/environments/x',
                           violations=[('quotas.demUnits', 'Cannot set DEM units quota.')])
    FakeEnvironmentsApi(put_error=error).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team'))
    assert result['failed'] is True and result['status'] == 400
    assert result['constraint_violations'] == [dict(path='quotas.demUnits', message='Cannot set DEM units quota.')]


def test_allow_duplicate_name_creates_a_namesake_by_its_id_only(monkeypatch):
    api = FakeEnvironmentsApi([environment('team', 'first')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', environment_id='second', allow_duplicate_name=True))
    assert result['changed'] and [call[0] for call in api.calls] == ['get', 'put']
    assert sorted(item['id'] for item in api.environments if item['name'] == 'team') == ['first', 'second']
    result, dummy = run_main(monkeypatch, module, dict(name='team', allow_duplicate_name=True))
    assert result['failed'] and 'allow_duplicate_name: true needs environment_id' in result['msg']
