"""The environment list: page size, sort, filter grammar, cursor paging and include flags."""

import pytest

from tests.emulator.tests.helpers import ENVIRONMENTS, Api, violations


def names(response):
    assert response.status_code == 200, response.text
    return [env['name'] for env in response.json()['environments']]


@pytest.fixture
def fleet(api):
    """Six environments with names, tags, trial and state to filter on."""
    api.create('prod-payments', tags=['team:pay', 'stage:prod'])
    api.create('preprod-payments', tags=['team:pay', 'stage:preprod'])
    api.create('Prod-Search', tags=['team:search', 'stage:prod'], trial=True)
    api.create('dev-search', tags=['team:search'], state='DISABLED')
    api.create('sandbox', trial=True, state='DISABLED')
    api.create('prod-payments', tags=['team:pay'])  # a duplicate name
    return api


def test_default_page_size_is_100(api):
    api.handle.seed(150)
    body = api.get(ENVIRONMENTS).json()
    assert (body['totalCount'], body['pageSize'], len(body['environments'])) == (150, 100, 100)
    assert body['nextPageKey']


@pytest.mark.parametrize('value', ['0', '1001', '-1', 'ten'])
def test_page_size_out_of_range_is_400(api, value):
    assert 'pageSize' in violations(api.get(ENVIRONMENTS, params={'pageSize': value}))


def test_page_size_1000_is_allowed(api):
    assert api.get(ENVIRONMENTS, params={'pageSize': '1000'}).status_code == 200


@pytest.mark.parametrize('sort', ['name', '-name', 'creationDate', '-creationDate'])
def test_sorts(fleet, sort):
    envs = fleet.get(ENVIRONMENTS, params={'sort': sort}).json()['environments']
    key = sort.lstrip('-')
    assert [env[key] for env in envs] == sorted((env[key] for env in envs), reverse=sort.startswith('-'))


@pytest.mark.parametrize('sort', ['NAME', 'id', '+name', ''])
def test_unknown_sort_is_400(api, sort):
    assert 'sort' in violations(api.get(ENVIRONMENTS, params={'sort': sort}))


@pytest.mark.parametrize('expression, expected', [
    ('name(prod)', {'prod-payments', 'preprod-payments', 'Prod-Search'}),  # substring and case-insensitive
    ('name(PROD-s)', {'Prod-Search'}),
    ('trial(true)', {'Prod-Search', 'sandbox'}),
    ('trial(false)', {'prod-payments', 'preprod-payments', 'dev-search'}),
    ('state(DISABLED)', {'dev-search', 'sandbox'}),
    ('tag(stage:prod,team:search)', {'prod-payments', 'Prod-Search', 'dev-search'}),  # any of
    ('tag(team:pay),tag(stage:prod)', {'prod-payments'}),  # all of
    ('name(search),state(ENABLED)', {'Prod-Search'}),
    ('name(pay),tag(stage:preprod),trial(false),state(ENABLED)', {'preprod-payments'}),
])
def test_filter_grammar(fleet, expression, expected):
    assert set(names(fleet.get(ENVIRONMENTS, params={'filter': expression}))) == expected


def test_filter_counts_duplicate_names(fleet):
    body = fleet.get(ENVIRONMENTS, params={'filter': 'name(prod-payments)'}).json()
    assert body['totalCount'] == 3  # prod-payments twice, preprod-payments once


@pytest.mark.parametrize('expression', ['', 'name()', 'name(x', 'owner(x)', 'trial(yes)', 'state(enabled)',
                                        'tag()', 'tag(a,)', 'name(a);tag(b)', 'name(a),', 'name(a) ,tag(b)'])
def test_malformed_filter_is_400(api, expression):
    assert 'filter' in violations(api.get(ENVIRONMENTS, params={'filter': expression}))


def walk(api, **params):
    """Every page of a listing, following nextPageKey; returns (names, number of pages)."""
    seen, pages = [], 0
    response = api.get(ENVIRONMENTS, params=params)
    while True:
        body = response.json()
        seen += [env['name'] for env in body['environments']]
        pages += 1
        if body['nextPageKey'] is None:
            return seen, pages
        response = api.get(ENVIRONMENTS, params={'nextPageKey': body['nextPageKey']})
        assert response.status_code == 200, response.text


def test_cursor_walk_keeps_filter_sort_and_page_size(fleet):
    fleet.handle.seed(25, name_prefix='bulk')
    seen, pages = walk(fleet, pageSize=4, sort='-name', filter='name(bulk)')
    assert len(seen) == 25 and pages == 7
    assert seen == sorted(seen, reverse=True)


def test_cursor_drops_the_include_flags_by_default(fleet):
    first = fleet.get(ENVIRONMENTS, params={'pageSize': 2, 'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}).json()
    assert all('quotas' in env and 'storage' in env for env in first['environments'])
    second = fleet.get(ENVIRONMENTS, params={'nextPageKey': first['nextPageKey']}).json()
    assert second['pageSize'] == 2 and len(second['environments']) == 2
    assert not any('quotas' in env or 'storage' in env for env in second['environments'])
    # The flags cannot be sent again next to the cursor: a client must read quotas per environment.
    again = fleet.get(ENVIRONMENTS, params={'nextPageKey': first['nextPageKey'], 'includeConsumptionInfo': 'true'})
    assert list(violations(again)) == ['includeConsumptionInfo']
    env_id = second['environments'][0]['id']
    assert 'quotas' in fleet.get(f'{ENVIRONMENTS}/{env_id}', params={'includeConsumptionInfo': 'true'}).json()


def test_cursor_keeps_the_include_flags_with_the_other_reading(emulator_factory):
    api = Api(emulator_factory(cursor_keeps_includes=True))
    for index in range(3):
        api.create(f'env-{index}')
    first = api.get(ENVIRONMENTS, params={'pageSize': 2, 'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}).json()
    second = api.get(ENVIRONMENTS, params={'nextPageKey': first['nextPageKey']}).json()
    assert [('quotas' in env, 'storage' in env) for env in second['environments']] == [(True, True)]


def test_readings_fixture_switches_the_cursor(emulator_readings):
    api = Api(emulator_readings)
    for index in range(3):
        api.create(f'env-{index}')
    first = api.get(ENVIRONMENTS, params={'pageSize': 2, 'includeConsumptionInfo': 'true'}).json()
    second = api.get(ENVIRONMENTS, params={'nextPageKey': first['nextPageKey']}).json()
    assert ('quotas' in second['environments'][0]) == emulator_readings.config()['cursor_keeps_includes']


@pytest.mark.parametrize('sort', ['name', '-name', 'creationDate', '-creationDate'])
def test_keyset_cursor_is_stable_under_concurrent_changes(api, sort):
    ids = api.handle.seed(30, name_prefix='walk')
    first = api.get(ENVIRONMENTS, params={'pageSize': 10, 'sort': sort}).json()
    listed = [env['id'] for env in first['environments']]
    for env_id in listed[:3]:  # already seen: deleting them must not shift anything onto a later page twice or never
        api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'gone', 'state': 'DISABLED'})
        assert api.delete(f'{ENVIRONMENTS}/{env_id}').status_code == 204
    # A new environment that sorts before the cursor is not listed; after it (the newest, ascending) it is.
    new_id = api.create('aaa-new' if sort == 'name' else 'zzz-new')
    key = first['nextPageKey']
    while key:
        body = api.get(ENVIRONMENTS, params={'nextPageKey': key}).json()
        listed += [env['id'] for env in body['environments']]
        key = body['nextPageKey']
    assert sorted(listed) == sorted(ids + ([new_id] if sort == 'creationDate' else []))


def test_last_page_has_null_next_page_key(fleet):
    body = fleet.get(ENVIRONMENTS, params={'pageSize': 6}).json()
    assert body['nextPageKey'] is None and body['totalCount'] == 6


@pytest.mark.parametrize('other', [{'pageSize': '2'}, {'sort': 'name'}, {'filter': 'trial(true)'},
                                   {'includeStorageInfo': 'true'}, {'whatever': '1'}])
def test_next_page_key_with_any_other_parameter_is_400(fleet, other):
    key = fleet.get(ENVIRONMENTS, params={'pageSize': 2}).json()['nextPageKey']
    response = fleet.get(ENVIRONMENTS, params={'nextPageKey': key, **other})
    assert list(violations(response)) == list(other)


def test_next_page_key_is_standard_base64_that_must_be_url_encoded(fleet):
    fleet.handle.seed(50)
    key = fleet.get(ENVIRONMENTS, params={'pageSize': 1, 'filter': 'name(a)'}).json()['nextPageKey']
    assert key.endswith('=') or '+' in key or '/' in key or key.isalnum()
    assert fleet.get(ENVIRONMENTS, params={'nextPageKey': key}).status_code == 200


@pytest.mark.parametrize('key', ['garbage!', 'AAAA', 'eyJ4IjoxfQ=='])
def test_invalid_next_page_key_is_400(api, key):
    assert 'nextPageKey' in violations(api.get(ENVIRONMENTS, params={'nextPageKey': key}))


def test_include_flags_on_list(fleet):
    plain = fleet.get(ENVIRONMENTS).json()['environments'][0]
    assert 'quotas' not in plain and 'storage' not in plain
    consumption = fleet.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true'}).json()['environments'][0]
    assert 'quotas' in consumption and 'storage' not in consumption
    uncached = fleet.get(ENVIRONMENTS, params={'includeUncachedConsumptionInfo': 'true'}).json()['environments'][0]
    assert set(uncached['quotas']) >= {'hostUnits', 'demUnits', 'userSessions', 'sessionProperties', 'davisDataUnits'}
    storage = fleet.get(ENVIRONMENTS, params={'includeStorageInfo': 'true'}).json()['environments'][0]
    assert 'storage' in storage and 'quotas' not in storage
    assert fleet.get(ENVIRONMENTS, params={'includeStorageInfo': 'maybe'}).status_code == 400


def test_seeded_environments_are_realistic(api):
    api.handle.seed(30)
    envs = api.get(ENVIRONMENTS, params={'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}).json()['environments']
    assert any(env['trial'] for env in envs) and any(env['state'] == 'DISABLED' for env in envs)
    assert all(env['tags'] for env in envs)
    usage = envs[0]['quotas']['userSessions']
    assert usage['totalConsumedThisYear'] >= usage['totalConsumedThisMonth']
    assert envs[0]['storage']['serviceRequestLevelRetention']['currentlyUsedInDays'] <= 10
