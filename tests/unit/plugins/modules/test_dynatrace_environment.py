"""Unit tests of dynatrace_environment: create, update, delete and lost answers, request by request.

The API layer is stubbed (harness.FakeEnvironmentsApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment_ensure import post_without_duplicates
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environment as module
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, StubClient

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
