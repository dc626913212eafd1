"""Unit tests of dynatrace_environment_info: option validation, the query it runs, the result it shapes.

The API layer is stubbed (harness.FakeEnvironmentsApi); tests/integration runs the module against the emulator.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.environment import info
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environment_info as module
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, StubClient, environment, run_main

ENVIRONMENTS = [
    environment('Prod', tags=['a', 'b']),
    environment('prod', env_id='prod2', tags=['a']),
    environment('preprod', tags=['b'], state='DISABLED'),
]


# ------------------------------------------------------------------------------------------------
# Validation

def test_valid_options_give_no_error():
    assert info.validate_info_options(dict(name='prod', name_contains='pr', environment_id='a-b_c', tags=['x'],
                                           tags_any=['y'], sort='-creation_date', page_size=1000)) == []
    assert info.validate_info_options(dict(tags=[], page_size=1)) == []


@pytest.mark.parametrize('params, message', [
    (dict(name=''), 'name must be a non-empty string'),
    (dict(name='x' * 101), 'name must be at most 100 characters long, got 101'),
    (dict(name_contains=''), 'name_contains must be a non-empty string'),
    (dict(environment_id='bad id'), 'environment_id must match [a-zA-Z0-9_-]{1,70}'),
    (dict(tags=['ok', '']), 'tags[1] must be a non-empty string'),
    (dict(tags=['t' * 101]), 'tags[0] must be at most 100 characters long'),
    (dict(tags_any=[]), 'tags_any must hold at least one tag'),
    (dict(sort='creationDate'), 'sort must be one of name, -name, creation_date, -creation_date'),
    (dict(page_size=0), 'page_size must be between 1 and 1000, got 0'),
    (dict(page_size=1001), 'page_size must be between 1 and 1000, got 1001'),
])
def test_invalid_options_name_the_option_and_the_rule(params, message):
    errors = info.validate_info_options(params)
    assert len(errors) == 1 and message in errors[0], errors


# ------------------------------------------------------------------------------------------------
# The logic against the stubbed API layer

def test_listing_reads_every_page_and_finishes(monkeypatch):
    api = FakeEnvironmentsApi(ENVIRONMENTS).install(monkeypatch)
    result = info.environment_info(StubClient(), dict(name='Prod', page_size=2))
    assert api.calls == [('list', dict(page_size=2, sort=None, filter_expression='name(Prod)', include_consumption=False,
                                       include_storage=False, uncached_consumption=False))]
    assert result['total_count'] == 1
    assert result['environments'] == [dict(environment_id='prod', name='Prod', enabled=True, trial=False, tags=['a', 'b'])]
    assert result['creation_dates'] == {'prod': '2021-02-09T11:03:17.732Z'}
    assert result['changed'] is False


def test_uncached_consumption_implies_quotas(monkeypatch):
    quotas = {'hostUnits': {'maxLimit': None, 'currentUsage': 3}}
    api = FakeEnvironmentsApi([environment('a', quotas=quotas)]).install(monkeypatch)
    result = info.environment_info(StubClient(), dict(uncached_consumption=True, page_size=5))
    assert api.calls[0][1]['include_consumption'] is True and api.calls[0][1]['uncached_consumption'] is True
    assert result['environments'][0]['quotas'] == {'host_units': {'max_limit': 'unlimited'}}
    assert 'storage' not in result['environments'][0]


def test_environment_id_is_one_get_with_every_criterion_client_side(monkeypatch):
    api = FakeEnvironmentsApi([environment('Prod', tags=['a'])]).install(monkeypatch)
    result = info.environment_info(StubClient(), dict(environment_id='prod', uncached_consumption=True, include_storage=True,
                                                      tags=['a'], name_contains='PRO'))
    assert api.calls == [('get', 'prod', dict(include_consumption=True, include_storage=True, uncached_consumption=True))]
    assert result['total_count'] == 1
    assert info.environment_info(StubClient(), dict(environment_id='prod', tags=['b']))['total_count'] == 0


def test_unknown_environment_id_is_an_empty_list(monkeypatch):
    FakeEnvironmentsApi([]).install(monkeypatch)
    result = info.environment_info(StubClient(), dict(environment_id='gone'))
    assert result['environments'] == [] and result['total_count'] == 0


# ------------------------------------------------------------------------------------------------
# The module's main(): argument spec, validation before any call, the result

def test_main_returns_the_environments_and_the_request_counters(monkeypatch):
    api = FakeEnvironmentsApi(ENVIRONMENTS).install(monkeypatch)
    result, warnings = run_main(monkeypatch, module, dict(name='Prod', tags=['a'], enabled=True))
    assert result['failed'] is False and warnings == []
    # The stub answers every environment, as a server's case-insensitive name() would: the module keeps the exact one.
    assert [item['environment_id'] for item in result['environments']] == ['prod']
    assert api.calls[0][1]['filter_expression'] == 'name(Prod),tag(a),state(ENABLED)'
    assert (result['retries'], result['waited_seconds']) == (0, 0.0)


def test_main_refuses_bad_input_before_any_call(monkeypatch):
    api = FakeEnvironmentsApi(ENVIRONMENTS).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, dict(page_size=0, environment_id='no spaces'))
    assert result['failed'] is True and api.calls == []
    assert result['msg'].startswith('Invalid input: ') and len(result['errors']) == 2


def test_main_fails_with_the_status_of_an_api_error(monkeypatch):
    error = DynatraceError('Token is invalid', status=401, method='GET', path='/api/cluster/v2/environments')
    FakeEnvironmentsApi(error=error).install(monkeypatch)
    result, dummy = run_main(monkeypatch, module, {})
    assert result['failed'] is True and result['status'] == 401 and 'Token is invalid' in result['msg']
    assert result['method'] == 'GET' and result['constraint_violations'] == []
