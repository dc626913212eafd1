"""Unit tests of the Environment model: mapping round-trip, validation rules, diff and PUT bodies."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment as env
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.case import camel_to_snake, keys_to_snake, snake_to_camel
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.filters import safe_filter_value

SEED_LIST_ENVIRONMENT = {
    "name": "AndroidApps", "id": "be22c776-1414-00e0-a00a-00b0dcf56443321", "trial": False, "state": "ENABLED",
    "tags": [], "creationDate": "2021-02-09T11:03:17.732Z",
    "quotas": {
        "hostUnits": {"maxLimit": 10, "currentUsage": 0},
        "demUnits": {"monthlyLimit": 50001, "annualLimit": None, "consumedThisMonth": 0, "consumedThisYear": 0},
        "userSessions": {"totalMonthlyLimit": None, "totalAnnualLimit": None, "totalConsumedThisMonth": 0,
                         "totalConsumedThisYear": 0, "consumedMobileSessionsThisMonth": 0, "consumedMobileSessionsThisYear": 0,
                         "consumedUserSessionsWithWebSessionReplayThisMonth": 0,
                         "consumedUserSessionsWithWebSessionReplayThisYear": 0,
                         "consumedUserSessionsWithMobileSessionReplayThisMonth": 0,
                         "consumedUserSessionsWithMobileSessionReplayThisYear": 0},
        "sessionProperties": {"consumedThisMonth": 0, "consumedThisYear": 0},
        "syntheticMonitors": {"monthlyLimit": None, "annualLimit": None, "consumedThisMonth": 0, "consumedThisYear": 0},
        "customMetrics": None,
        "davisDataUnits": {"monthlyLimit": 18162, "annualLimit": None, "consumedThisMonth": 0, "consumedThisYear": 0},
        "logMonitoring": None,
    },
    "storage": {
        "transactionStorage": {"maxLimit": 1024, "currentlyUsed": 5, "retentionReductionPercentage": "0",
                               "retentionReductionReason": None},
        "serviceRequestLevelRetention": {"maxLimitInDays": 35, "currentlyUsedInMillis": 1, "currentlyUsedInDays": 1},
        "rumNonAggregatedDataRetention": {"maxLimitInDays": 30, "currentlyUsedInMillis": 1, "currentlyUsedInDays": 1},
        "userActionsPerMinute": {"maxLimit": None},
    },
}


def test_every_api_field_round_trips_through_snake_case():
    snake = keys_to_snake(SEED_LIST_ENVIRONMENT)
    assert 'consumed_user_sessions_with_mobile_session_replay_this_year' in snake['quotas']['user_sessions']
    assert 'rum_non_aggregated_data_retention' in snake['storage']

    def names(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from names(item)

    assert all(snake_to_camel(camel_to_snake(name)) == name for name in names(SEED_LIST_ENVIRONMENT))


def test_the_table_names_the_api_fields():
    assert [limit.section for limit in env.LIMITS] == sorted((limit.section for limit in env.LIMITS), key=env.SECTIONS.index)
    for limit in env.LIMITS:
        assert camel_to_snake(limit.api_name) == limit.option
        assert all(camel_to_snake(snake_to_camel(field)) == field for field in limit.fields)
    assert len(env.section_limits('quotas')) == 7 and len(env.section_limits('storage')) == 13


def test_api_to_options_gives_the_module_input_shape():
    options = env.api_to_options(SEED_LIST_ENVIRONMENT)
    assert options['environment_id'] == SEED_LIST_ENVIRONMENT['id']
    assert options['enabled'] is True and options['trial'] is False
    assert options['quotas']['host_units'] == {'max_limit': 10}
    assert options['quotas']['dem_units'] == {'monthly_limit': 50001, 'annual_limit': 'unlimited'}
    assert 'custom_metrics' not in options['quotas']
    assert options['storage']['user_actions_per_minute'] == {'max_limit': 'unlimited'}
    assert options['storage']['transaction_storage'] == {'max_limit': 1024}
    assert 'currently_used' not in str(options)


def test_create_body_from_the_seed_example():
    params = dict(name='MyNewTeam', enabled=None, trial=False, tags=['owner:john', 'department:finance'],
                  quotas=dict(host_units=dict(max_limit=1), dem_units=dict(monthly_limit=1, annual_limit='unlimited'),
                              user_sessions=dict(total_monthly_limit=1, total_annual_limit=None)),
                  storage=dict(transaction_storage=dict(max_limit=1024), session_replay_retention=dict(max_limit_in_days=35),
                               user_actions_per_minute=dict(max_limit='unlimited'), log_monitoring_retention=None))
    body = env.options_to_create_body(params)
    assert body == {
        'name': 'MyNewTeam', 'state': 'ENABLED', 'trial': False, 'tags': ['owner:john', 'department:finance'],
        'quotas': {'hostUnits': {'maxLimit': 1}, 'demUnits': {'monthlyLimit': 1, 'annualLimit': None},
                   'userSessions': {'totalMonthlyLimit': 1}},
        'storage': {'transactionStorage': {'maxLimit': 1024}, 'sessionReplayRetention': {'maxLimitInDays': 35},
                    'userActionsPerMinute': {'maxLimit': None}},
    }


@pytest.mark.parametrize('params, message', [
    (dict(name=''), 'name must be 1 to 100 characters long, got 0'),
    (dict(name='x' * 101), 'name must be 1 to 100 characters long, got 101'),
    (dict(name='   '), 'name must not be blank'),
    (dict(environment_id='bad id!'), 'environment_id must match [a-zA-Z0-9_-]{1,70}'),
    (dict(environment_id='x' * 71), 'environment_id must match'),
    (dict(tags=['a', 'a']), "tags must be unique, 'a' is given twice"),
    (dict(tags=['x' * 101]), 'tags[0] must be at most 100 characters long, got 101'),
    (dict(tags=['']), 'tags[0] must be a non-empty string'),
    (dict(quotas=dict(host_units=dict(max_limit=-1))), 'quotas.host_units.max_limit must be at least 0, got -1'),
    (dict(quotas=dict(dem_units=dict(monthly_limit='lots'))),
     "quotas.dem_units.monthly_limit must be an integer or 'unlimited', got 'lots'"),
    (dict(quotas=dict(dem_units=dict(annual_limit=True))), 'quotas.dem_units.annual_limit must be an integer'),
    (dict(quotas=dict(dem_units=dict(annual_limit=1.5))), 'quotas.dem_units.annual_limit must be an integer'),
    (dict(storage=dict(session_replay_retention=dict(max_limit_in_days=40))),
     'storage.session_replay_retention.max_limit_in_days must be between 1 and 35, got 40'),
    (dict(storage=dict(log_monitoring_retention=dict(max_limit_in_days=4))),
     'storage.log_monitoring_retention.max_limit_in_days must be between 5 and 90, got 4'),
    (dict(storage=dict(transaction_traffic_quota=dict(max_limit=99))),
     'storage.transaction_traffic_quota.max_limit must be between 100 and 100000, got 99'),
    (dict(storage=dict(transaction_storage=dict(max_limit=0))),
     'storage.transaction_storage.max_limit must be at least 1, got 0'),
    (dict(storage=dict(log_monitoring_storage=dict(max_limit='0'))),
     'storage.log_monitoring_storage.max_limit must be at least 1, got 0'),
    (dict(storage=dict(user_actions_per_minute=dict(max_limit=0))),
     'storage.user_actions_per_minute.max_limit must be between 1 and 2147483646, got 0'),
    (dict(storage=dict(session_replay_retention=dict(max_limit_in_days='unlimited'))),
     "storage.session_replay_retention.max_limit_in_days cannot be unlimited"),
    (dict(storage=dict(service_request_level_retention=dict(max_limit_in_days=366))),
     'storage.service_request_level_retention.max_limit_in_days must be between 1 and 365, got 366'),
    (dict(storage=dict(service_request_level_retention=dict(max_limit_in_days=10),
                       service_code_level_retention=dict(max_limit_in_days=20))),
     'storage.service_code_level_retention.max_limit_in_days must not exceed '
     'storage.service_request_level_retention.max_limit_in_days (10), got 20'),
])
def test_validation_names_the_option_and_the_rule(params, message):
    errors = env.validate_options(params)
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize('params, message', [
    (dict(quotas='lots'), "quotas must be a dict of quotas entries, got str 'lots'"),
    (dict(quotas=['host_units']), "quotas must be a dict of quotas entries, got list"),
    (dict(quotas=dict(host_units=5)), 'quotas.host_units must be a dict of max_limit, got int 5'),
    (dict(storage=dict(session_replay_retention=[35])), 'storage.session_replay_retention must be a dict of max_limit_in_days'),
    (dict(quotas=dict(hosts=dict(max_limit=1))), 'quotas.hosts is not a quotas entry (known: custom_metrics, davis_data_units'),
    (dict(quotas=dict(dem_units=dict(max_limit=1))), 'quotas.dem_units accepts only monthly_limit, annual_limit, got max_limit'),
    (dict(quotas=dict(host_units=dict(max_limit=2 ** 63))),
     'quotas.host_units.max_limit must be at most 9223372036854775807 (the largest 64-bit integer), got 9223372036854775808'),
    (dict(storage=dict(transaction_storage=dict(max_limit=str(10 ** 25)))),
     'storage.transaction_storage.max_limit must be at most 9223372036854775807'),
])
def test_shapes_and_64_bit_limits_are_refused_naming_the_option(params, message):
    errors = env.validate_options(params)
    assert len(errors) == 1 and message in errors[0], errors


def test_the_largest_64_bit_limit_is_accepted_and_a_bad_shape_hides_no_other_error():
    assert env.validate_options(dict(quotas=dict(host_units=dict(max_limit=2 ** 63 - 1)))) == []
    errors = env.validate_options(dict(name='', quotas=5, storage=dict(transaction_storage=dict(max_limit=-1))))
    assert len(errors) == 3, errors


def test_kind_of_gives_plain_names_for_subclasses():
    class TaggedInt(int):
        pass
    assert [env.kind_of(value) for value in (TaggedInt(5), True, 'x', [], {}, None)] == [
        'int', 'bool', 'str', 'list', 'dict', 'NoneType']


def test_valid_input_has_no_errors():
    params = dict(name='team (a), "b"', environment_id='abc_DEF-1', tags=['a', 'b'],
                  quotas=dict(host_units=dict(max_limit='10'), dem_units=dict(monthly_limit='unlimited', annual_limit=None)),
                  storage=dict(user_actions_per_minute=dict(max_limit='Unlimited'), transaction_storage=None))
    assert env.validate_options(params) == []


@pytest.mark.parametrize('name, expected', [
    ('prod', 'prod'),
    ('team (payments), EU', 'payments'),
    ('a,bb,ccc', 'ccc'),
    ("it's", 'it'),
    ('(),', ''),
])
def test_safe_filter_value_takes_the_longest_part_the_grammar_carries(name, expected):
    assert safe_filter_value(name) == expected


def test_differences_cover_only_managed_fields():
    current = env.api_to_options(SEED_LIST_ENVIRONMENT)
    params = dict(name='AndroidApps', tags=None, enabled=True,
                  quotas=dict(host_units=dict(max_limit=10), dem_units=dict(monthly_limit=None, annual_limit=5)),
                  storage=dict(transaction_storage=dict(max_limit=1024)))
    assert env.environment_differences(params, current) == {
        'quotas.dem_units.annual_limit': {'current': 'unlimited', 'desired': 5}}
    assert env.environment_differences(dict(name='AndroidApps', tags=['b', 'a']), current) == {
        'tags': {'current': [], 'desired': ['a', 'b']}}
    assert env.environment_differences(dict(name='AndroidApps', tags=[]), current) == {}


def test_update_body_sends_whole_quota_sub_objects_from_the_fresh_read():
    params = dict(name='AndroidApps', quotas=dict(dem_units=dict(annual_limit=5)))
    changes = env.environment_differences(params, env.api_to_options(SEED_LIST_ENVIRONMENT))
    body = env.update_body(SEED_LIST_ENVIRONMENT, params, changes)
    assert body == {'name': 'AndroidApps', 'state': 'ENABLED', 'trial': False, 'tags': [],
                    'quotas': {'demUnits': {'monthlyLimit': 50001, 'annualLimit': 5}}}


def test_update_body_for_storage_and_state():
    params = dict(name='AndroidApps', enabled=False, storage=dict(service_request_level_retention=dict(max_limit_in_days=90)))
    changes = env.environment_differences(params, env.api_to_options(SEED_LIST_ENVIRONMENT))
    body = env.update_body(SEED_LIST_ENVIRONMENT, params, changes)
    assert body['state'] == 'DISABLED' and 'quotas' not in body
    assert body['storage'] == {'serviceRequestLevelRetention': {'maxLimitInDays': 90}}


@pytest.mark.parametrize('reading', [None, 0])
def test_an_unlimited_byte_limit_reads_as_unlimited_whether_null_or_0(reading):
    environment = dict(SEED_LIST_ENVIRONMENT, storage={
        'transactionStorage': {'maxLimit': reading}, 'sessionReplayStorage': {'maxLimit': 2048},
        'symbolFilesFromMobileApps': {'maxLimit': reading}, 'serviceRequestLevelRetention': {'maxLimitInDays': 35}})
    options = env.api_to_options(environment)
    assert options['storage']['transaction_storage'] == {'max_limit': 'unlimited'}
    assert options['storage']['symbol_files_from_mobile_apps'] == {'max_limit': 'unlimited'}
    assert options['storage']['session_replay_storage'] == {'max_limit': 2048}
    params = dict(name='AndroidApps', storage=dict(transaction_storage=dict(max_limit='unlimited'),
                                                   session_replay_storage=dict(max_limit=2048)))
    assert env.environment_differences(params, options) == {}
    # A change of a byte limit sends null for unlimited, never 0.
    params['storage']['transaction_storage'] = dict(max_limit=4096)
    changes = env.environment_differences(params, options)
    assert changes == {'storage.transaction_storage.max_limit': {'current': 'unlimited', 'desired': 4096}}
    params['storage'] = dict(symbol_files_from_mobile_apps=dict(max_limit='unlimited'), transaction_storage=dict(max_limit=1))
    body = env.update_body(environment, params, env.environment_differences(params, options))
    assert body['storage'] == {'transactionStorage': {'maxLimit': 1}}


def test_only_byte_storage_limits_read_0_as_unlimited():
    # A quota of 0 is a real limit (quotas read unlimited as null, documented); so is a retention.
    environment = dict(SEED_LIST_ENVIRONMENT, quotas={'hostUnits': {'maxLimit': 0}},
                       storage={'serviceRequestLevelRetention': {'maxLimitInDays': 0}})
    options = env.api_to_options(environment)
    assert options['quotas']['host_units'] == {'max_limit': 0}
    assert options['storage']['service_request_level_retention'] == {'max_limit_in_days': 0}
