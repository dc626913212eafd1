"""Unit tests of dynatrace_environment: create, update, delete and lost answers, call by call.

Each path sends the calls the module documentation's "Requests per run" promises (the one statement of the budget).

The API layer is stubbed (harness.FakeEnvironmentsApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment_ensure import post_without_duplicates
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environment as module
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, StubClient, environment, run_main

PARAMS = dict(name='team', create_token=True)


# ------------------------------------------------------------------------------------------------
# A create whose answer is lost: adopt, send again, or stop; never duplicate

def post(api):
    warnings = []
    return post_without_duplicates(StubClient(), PARAMS, {'name': 'team'}, warnings.append), warnings


def posts(api):
    return len([call for call in api.calls if call[0] == 'post'])


def test_lost_answer_of_a_create_that_happened_adopts_it_without_a_token(monkeypatch):
    api = FakeEnvironmentsApi(lost_posts=['lost-created']).install(monkeypatch)
    (environment_id, token), warnings = post(api)
    assert (environment_id, token, posts(api)) == ('id1', None, 1)
    assert 'adopted' in warnings[0] and 'tokenManagementToken' in warnings[0]


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


def test_module_argument_spec_is_built_from_the_model_table():
    spec = module.argument_spec()
    assert set(spec['quotas']['options']['dem_units']['options']) == {'monthly_limit', 'annual_limit'}
    assert set(spec['storage']['options']['session_replay_retention']['options']) == {'max_limit_in_days'}


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


def test_create_by_name_is_the_lookup_and_one_post_and_returns_the_token(monkeypatch):
    api = FakeEnvironmentsApi([environment('other')]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', tags=['x'], quotas={'host_units': {'max_limit': 3}}))
    assert [call[0] for call in api.calls] == ['list', 'post']
    assert api.calls[1][1] == dict(name='team', state='ENABLED', trial=False, tags=['x'], quotas={'hostUnits': {'maxLimit': 3}})
    assert result['changed'] is True and result['environment_id'] == 'id1'
    assert result['token_management_token'].startswith('dt0c01.')
    after = dict(name='team', enabled=True, tags=['x'], quotas={'host_units': {'max_limit': 3}})
    assert result['diff'] == dict(before={}, after=after)


def test_create_by_environment_id_is_one_get_and_one_put(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', environment_id='team-fixed', create_token=False))
    assert [call[0] for call in api.calls] == ['get', 'put']
    assert result['changed'] is True and result['environment_id'] == 'team-fixed'
    assert 'token_management_token' not in result


def test_check_mode_sends_the_lookup_only_and_predicts_the_creation(monkeypatch):
    api = FakeEnvironmentsApi().install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team'), check_mode=True)
    assert [call[0] for call in api.calls] == ['list']
    assert result['changed'] is True and result['environment_id'] is None and 'token_management_token' not in result


def test_drift_without_update_existing_is_reported_and_nothing_sent(monkeypatch):
    api = FakeEnvironmentsApi([existing(quotas={'demUnits': {'monthlyLimit': 10, 'annualLimit': 100}})]).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(name='team', quotas={'dem_units': {'monthly_limit': 20}}))
    assert result['changed'] is False and [call[0] for call in api.calls] == ['list']
    assert result['drift'] == {'quotas.dem_units.monthly_limit': {'current': 10, 'desired': 20}}
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
    error = DynatraceError('Constraints violated.', status=400, method='POST', path='/api/cluster/v2/environments',
                           violations=[('quotas.demUnits', 'Cannot set DEM units quota.')])
    FakeEnvironmentsApi().install(monkeypatch)

    def refuse(client, body, create_token):
        raise error

    monkeypatch.setattr(_api_environments, 'create_environment', refuse)
    result, dummy = run_main(monkeypatch, module, dict(name='team'))
    assert result['failed'] is True and result['status'] == 400
    assert result['constraint_violations'] == [dict(path='quotas.demUnits', message='Cannot set DEM units quota.')]
