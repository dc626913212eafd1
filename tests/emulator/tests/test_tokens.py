"""Token-management tokens (createToken, tokenManagementToken) and the Environment API v2 token endpoints."""

import re
import time

import pytest

from tests.emulator import ENVIRONMENT_TOKEN_SCOPES
from tests.emulator.scopes import DOCUMENTED_ENVIRONMENT_SCOPES
from tests.emulator.tests.helpers import ENVIRONMENTS, assert_error, violations

TOKEN = re.compile(r'^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$')
DAY_MS = 86_400_000


def tokens_path(env_id, suffix=''):
    return f'/e/{env_id}/api/v2/apiTokens{suffix}'


def management_token(api, env_id, **body):
    response = api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json={'name': 'mgmt', **body})
    assert response.status_code == 201, response.text
    return response


@pytest.fixture
def env(api):
    """An environment and a token-management token for it: (api, env_id, token)."""
    env_id = api.create()
    return api, env_id, management_token(api, env_id).json()['token']


def create_api_token(api, env_id, token, **body):
    body = {'name': 'paas', 'scopes': ['InstallerDownload'], **body}
    return api.post(tokens_path(env_id), token=token, json=body)


def metadata(api, token_id):
    return next(t for t in api.handle.tokens() if t['id'] == token_id)


def test_create_token_returns_a_token_management_token_of_that_environment(api):
    answer = api.post(ENVIRONMENTS + '?createToken=true', json={'name': 'with-token'}).json()
    token, env_id = answer['tokenManagementToken'], answer['id']
    assert TOKEN.match(token)
    shown = metadata(api, token.rsplit('.', 1)[0])
    assert (shown['kind'], shown['environment'], shown['scopes']) == ('environment', env_id, sorted(ENVIRONMENT_TOKEN_SCOPES))
    assert DAY_MS - 60_000 < shown['expires_ms'] - shown['created_ms'] <= DAY_MS
    assert api.get(tokens_path(env_id), token=token).status_code == 200
    assert_error(api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=token), 403, 'DataExport')
    assert_error(api.get(ENVIRONMENTS, token=token), 401)


def test_token_management_token_201_with_location_name_and_expiry(api):
    env_id = api.create()
    response = management_token(api, env_id, name='ansible-mint', expiresIn={'value': 300, 'unit': 'SECONDS'})
    token = response.json()['token']
    assert set(response.json()) == {'token'} and TOKEN.match(token)
    assert response.headers['Location'] == token.rsplit('.', 1)[0]
    shown = metadata(api, response.headers['Location'])
    assert shown['name'] == 'ansible-mint' and shown['expires_ms'] - shown['created_ms'] == 300_000
    assert api.get(tokens_path(env_id), token=token).status_code == 200
    api.handle.configure(clock_offset_ms=300_001)
    assert_error(api.get(tokens_path(env_id), token=token), 401, 'Token Authentication failed')


def test_token_management_token_unit_defaults_to_milliseconds(api):
    env_id = api.create()
    location = management_token(api, env_id, expiresIn={'value': 5000}).headers['Location']
    shown = metadata(api, location)
    assert shown['expires_ms'] - shown['created_ms'] == 5000


@pytest.mark.parametrize('body', [{}, {'name': ''}, {'name': 'x', 'expiresIn': {'unit': 'DAYS'}},
                                  {'name': 'x', 'expiresIn': {'value': 1, 'unit': 'WEEKS'}},
                                  {'name': 'x', 'expiresIn': {'value': 0, 'unit': 'SECONDS'}}, {'name': 'x', 'other': 1}])
def test_token_management_token_rejects_a_bad_body(api, body):
    env_id = api.create()
    assert api.post(f'{ENVIRONMENTS}/{env_id}/tokenManagementToken', json=body).status_code == 400
    assert len(api.handle.tokens()) == 1  # only the cluster token


def test_token_management_token_for_an_unknown_environment_is_404(api):
    assert api.post(f'{ENVIRONMENTS}/nope/tokenManagementToken', json={'name': 'x'}).status_code == 404


def test_created_api_token_works_with_exactly_its_scopes(env):
    api, env_id, token = env
    response = create_api_token(api, env_id, token, name='export', scopes=['DataExport'])
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == {'id', 'token'} and TOKEN.match(created['token'])
    assert created['id'] == created['token'].rsplit('.', 1)[0] and response.headers['Location'] == created['id']
    assert api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=created['token']).status_code == 200
    assert_error(api.get(tokens_path(env_id), token=created['token']), 403, 'apiTokens.read')
    assert_error(api.get(ENVIRONMENTS, token=created['token']), 401)
    shown = metadata(api, created['id'])
    assert (shown['name'], shown['scopes'], shown['environment'], shown['owner']) == ('export', ['DataExport'], env_id, 'admin')


@pytest.mark.parametrize('expiration, days', [('now+30d', 30), ('now+2w', 14), ('now+1M/d', None), ('now+12h', 0.5)])
def test_relative_expiration(env, expiration, days):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, expirationDate=expiration).json()
    expires = metadata(api, created['id'])['expires_ms']
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$', created['expirationDate'])
    if days is not None:
        assert abs(expires - time.time() * 1000 - days * DAY_MS) < 60_000
    else:
        assert expires % DAY_MS == 0 and 27 * DAY_MS < expires - time.time() * 1000 < 32 * DAY_MS


@pytest.mark.parametrize('expiration, expected_ms', [
    ('2100-01-25T05:57:01.123+01:00', 4104536221123), ('2100-01-25 04:57', 4104536220000), ('2100-01-25', 4104518400000),
    (4104518400000, 4104518400000), ('4104518400000', 4104518400000)])
def test_absolute_expiration(env, expiration, expected_ms):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, expirationDate=expiration).json()
    assert metadata(api, created['id'])['expires_ms'] == expected_ms


def test_created_token_expires(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, scopes=['DataExport'], expirationDate='now+1h').json()
    api.handle.configure(clock_offset_ms=3_601_000)
    assert_error(api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=created['token']), 401)


@pytest.mark.parametrize('body, path', [
    ({'scopes': []}, 'scopes'),
    ({'name': ''}, 'name'),
    ({'name': '   '}, 'name'),
    ({'name': 'x' * 101}, 'name'),
    ({'expirationDate': 'now-1d'}, 'expirationDate'),
    ({'expirationDate': '2001-01-01'}, 'expirationDate'),
    ({'expirationDate': 'next tuesday'}, 'expirationDate'),
    ({'expirationDate': '2100-13-45'}, 'expirationDate'),
    ({'owner': 'me'}, 'owner'),
])
def test_create_validation_names_the_field_and_creates_nothing(env, body, path):
    api, env_id, token = env
    before = len(api.handle.tokens())
    found = violations(create_api_token(api, env_id, token, **body))
    assert path in found, found
    assert len(api.handle.tokens()) == before


@pytest.mark.parametrize('scopes, index', [
    (['NoSuchScope'], 0),
    (['DataExport', 'ServiceProviderAPI'], 1),  # a cluster scope
    (['InstallerDownload', 'PaaSIntegration'], 1),  # no scope at all: a PaaS token is InstallerDownload
    (['openpipeline.events_data_lineage'], 0),  # documented, but only from 1.350 on
])
def test_an_unknown_scope_fails_like_a_java_enum_and_creates_nothing(env, scopes, index):
    api, env_id, token = env
    before = len(api.handle.tokens())
    response = create_api_token(api, env_id, token, scopes=scopes)
    assert response.status_code == 400 and 'constraintViolations' not in response.json()['error']
    assert response.json()['error']['message'].startswith(f"Could not map JSON at 'scopes[{index}]' near line 1 column ")
    assert len(api.handle.tokens()) == before


def test_every_documented_scope_of_the_clusters_version_is_accepted(env):
    api, env_id, token = env
    api.handle.configure(cluster_version='1.350.0.20261104-120000')
    scopes = sorted(DOCUMENTED_ENVIRONMENT_SCOPES)
    assert len(scopes) == 91
    created = create_api_token(api, env_id, token, scopes=scopes)
    assert created.status_code == 201, created.text
    (stored,) = [t for t in api.handle.tokens() if t['id'] == created.json()['id']]
    assert sorted(stored['scopes']) == scopes
    api.handle.configure(cluster_version='1.291.0.20240501-120000')  # before the openpipeline rename
    assert create_api_token(api, env_id, token, scopes=['openpipeline.events_security']).status_code == 400
    assert create_api_token(api, env_id, token, scopes=['openpipeline.events.security']).status_code == 201


def test_create_without_name_or_scopes_is_400(env):
    api, env_id, token = env
    assert set(violations(api.post(tokens_path(env_id), token=token, json={}))) == {'name', 'scopes'}


def test_list_shows_metadata_only_with_default_fields(env):
    api, env_id, token = env
    secret = create_api_token(api, env_id, token).json()['token']
    response = api.get(tokens_path(env_id), token=token)
    body = response.json()
    assert (body['totalCount'], body['pageSize'], body['nextPageKey']) == (2, 200, None)
    assert all(set(item) == {'id', 'name', 'enabled', 'owner', 'creationDate'} for item in body['apiTokens'])
    assert secret.rsplit('.', 1)[1] not in response.text and token.rsplit('.', 1)[1] not in response.text
    assert [item['name'] for item in body['apiTokens']] == ['paas', 'mgmt']  # newest first


@pytest.mark.parametrize('fields, expected', [
    ('+scopes,+expirationDate', {'id', 'name', 'enabled', 'owner', 'creationDate', 'scopes', 'expirationDate'}),
    ('name,scopes', {'name', 'scopes'}),
    ('-owner,+lastUsedDate', {'id', 'name', 'enabled', 'creationDate', 'lastUsedDate'}),
])
def test_list_fields(env, fields, expected):
    api, env_id, token = env
    create_api_token(api, env_id, token, expirationDate='now+1d')
    items = api.get(tokens_path(env_id), token=token, params={'fields': fields}).json()['apiTokens']
    # Fields without a value (the new token was never used, the management token never expires) are left out.
    assert set().union(*items) == expected and all(set(item) <= expected for item in items)


def test_list_unknown_field_is_400(env):
    api, env_id, token = env
    assert 'fields' in violations(api.get(tokens_path(env_id), token=token, params={'fields': '+token'}))


@pytest.mark.parametrize('size', ['99', '10001', 'x'])
def test_list_page_size_bounds(env, size):
    api, env_id, token = env
    assert 'pageSize' in violations(api.get(tokens_path(env_id), token=token, params={'pageSize': size}))


def walk_tokens(api, env_id, token, between=None, **params):
    """Every token name of a listing, page by page; `between(page_number)` runs after each page."""
    names, pages = [], 0
    response = api.get(tokens_path(env_id), token=token, params={'pageSize': 100, **params})
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        names += [item['name'] for item in body['apiTokens']]
        pages += 1
        if body['nextPageKey'] is None:
            return names, pages
        if between:
            between(pages)
        response = api.get(tokens_path(env_id), token=token, params={'nextPageKey': body['nextPageKey']})


def many_tokens(api, env_id, count):
    for index in range(count):
        api.handle.environment_token(env_id, ['DataExport'], name=f'bulk-{index:03d}')


def test_list_pages_with_a_cursor_that_carries_the_query(env):
    api, env_id, token = env
    many_tokens(api, env_id, 230)
    names, pages = walk_tokens(api, env_id, token, sort='name', apiTokenSelector='scope("DataExport")')
    assert pages == 3 and names == sorted(names) and len(names) == 230


def test_list_cursor_is_stable_under_concurrent_changes(env):
    api, env_id, token = env
    many_tokens(api, env_id, 250)
    victims = [t for t in api.handle.tokens() if t['name'] in ('bulk-249', 'bulk-248')]

    def change(page):
        if page == 1:  # the newest two, already listed on page 1 of a newest-first walk, and a newer one
            for victim in victims:
                assert api.delete(tokens_path(env_id, '/' + victim['id']), token=token).status_code == 204
            api.handle.environment_token(env_id, ['DataExport'], name='late')

    names, _pages = walk_tokens(api, env_id, token, between=change)
    # An offset cursor would skip one token here; the keyset cursor lists each of the 251 once, and not 'late'.
    assert len(names) == len(set(names)) == 251 and 'late' not in names


def test_next_page_key_must_be_alone(env):
    api, env_id, token = env
    many_tokens(api, env_id, 120)
    key = api.get(tokens_path(env_id), token=token, params={'pageSize': 100}).json()['nextPageKey']
    response = api.get(tokens_path(env_id), token=token, params={'nextPageKey': key, 'fields': '+scopes'})
    assert list(violations(response)) == ['fields']
    other_env = api.create('other')
    other_token = management_token(api, other_env).json()['token']
    assert 'nextPageKey' in violations(api.get(tokens_path(other_env), token=other_token, params={'nextPageKey': key}))


@pytest.mark.parametrize('selector, expected', [
    ('owner("alice")', {'a'}), ('owner(alice,bob)', {'a', 'b'}), ('scope("DataExport")', {'a', 'both'}),
    ('scope("DataExport","logs.ingest")', {'a', 'b', 'both'}),  # any of them, as documented ('owner("bob"),scope("logs.ingest")', {'b'}),
    ('owner("odd~"name")', {'quote'}), ('personalAccessToken(false)', {'a', 'b', 'both', 'quote', 'mgmt'}),
])
def test_list_selector(env, selector, expected):
    api, env_id, token = env
    api.handle.environment_token(env_id, ['DataExport'], name='a', owner='alice')
    api.handle.environment_token(env_id, ['logs.ingest'], name='b', owner='bob')
    api.handle.environment_token(env_id, ['DataExport', 'logs.ingest'], name='both', owner='carol')
    api.handle.environment_token(env_id, ['metrics.ingest'], name='quote', owner='odd"name')
    items = api.get(tokens_path(env_id), token=token, params={'apiTokenSelector': selector}).json()['apiTokens']
    assert {item['name'] for item in items} == expected


@pytest.mark.parametrize('selector', ['name("paas")', 'owner("x"', 'owner(x)scope(y)', 'owner("a~b")', ''])
def test_list_selector_has_no_name_filter_and_rejects_malformed_ones(env, selector):
    api, env_id, token = env
    assert 'apiTokenSelector' in violations(api.get(tokens_path(env_id), token=token, params={'apiTokenSelector': selector}))


def test_list_keeps_expired_tokens_and_shows_only_this_environment(env):
    api, env_id, token = env
    create_api_token(api, env_id, token, name='short', expirationDate='now+1m')
    other = api.create('other')
    api.handle.environment_token(other, ['DataExport'], name='elsewhere')
    api.handle.configure(clock_offset_ms=120_000)
    fresh = management_token(api, env_id).json()['token']
    names = [item['name'] for item in api.get(tokens_path(env_id), token=fresh).json()['apiTokens']]
    assert sorted(names) == ['mgmt', 'mgmt', 'short']


def test_get_by_id_or_secret_update_and_delete(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, scopes=['DataExport']).json()
    for key in (created['id'], created['token']):
        shown = api.get(tokens_path(env_id, '/' + key), token=token)
        assert shown.status_code == 200 and shown.json()['scopes'] == ['DataExport'] and 'token' not in shown.json()
        assert created['token'].rsplit('.', 1)[1] not in shown.text
    update = {'name': 'renamed', 'scopes': ['DataExport', 'ReadConfig']}
    assert api.put(tokens_path(env_id, '/' + created['id']), token=token, json=update).status_code == 204
    assert metadata(api, created['id'])['scopes'] == ['DataExport', 'ReadConfig']
    assert api.put(tokens_path(env_id, '/' + created['id']), token=token, json={'enabled': False}).status_code == 204
    assert_error(api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=created['token']), 401)
    assert api.delete(tokens_path(env_id, '/' + created['id']), token=token).status_code == 204
    assert all(t['id'] != created['id'] for t in api.handle.tokens())
    assert_error(api.delete(tokens_path(env_id, '/' + created['id']), token=token), 404)
    assert_error(api.get(tokens_path(env_id, '/' + created['id']), token=token), 404)


def test_a_token_cannot_disable_itself_and_may_do_the_rest(env):
    api, env_id, token = env
    own_id = token.rsplit('.', 1)[0]
    assert_error(api.put(tokens_path(env_id, '/' + own_id), token=token, json={'enabled': False}), 400, "can't disable")
    assert api.put(tokens_path(env_id, '/' + own_id), token=token, json={'name': 'renamed'}).status_code == 204
    assert api.delete(tokens_path(env_id, '/' + own_id), token=token).status_code == 204


def test_a_put_takes_the_token_as_read_back_and_modified_date_follows_name_and_scopes_only(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token).json()
    path = tokens_path(env_id, '/' + created['id'])
    read = api.get(path, token=token).json()
    assert api.put(path, token=token, json=dict(read, enabled=False)).status_code == 204
    after_disable = api.get(path, token=token).json()
    assert after_disable['enabled'] is False and after_disable['modifiedDate'] == read['modifiedDate']
    time.sleep(0.01)
    assert api.put(path, token=token, json={'name': 'renamed'}).status_code == 204
    assert api.get(path, token=token).json()['modifiedDate'] != read['modifiedDate']


def test_lookup_and_time_work_with_a_token_of_any_scope(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, scopes=['metrics.ingest']).json()
    found = api.post(tokens_path(env_id, '/lookup'), token=created['token'], json={'token': created['token']})
    assert found.status_code == 200 and found.json()['id'] == created['id']
    assert api.get(f'/e/{env_id}/api/v1/time', token=created['token']).status_code == 200
    assert_error(api.get('/e/no-such-env/api/v1/time', token=created['token']), 404, 'failed to resolve tenant no-such-env')


def test_update_validates(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token).json()
    refused = api.put(tokens_path(env_id, '/' + created['id']), token=token, json={'scopes': ['Nope']})
    assert refused.status_code == 400 and "'scopes[0]'" in refused.json()['error']['message']
    assert 'color' in violations(api.put(tokens_path(env_id, '/' + created['id']), token=token, json={'color': 'x'}))


def test_lookup_reads_metadata_from_the_value_and_the_log_never_holds_it(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token).json()
    response = api.post(tokens_path(env_id, '/lookup'), token=token, json={'token': created['token']})
    assert response.status_code == 200 and response.json()['id'] == created['id'] and response.json()['name'] == 'paas'
    assert created['token'].rsplit('.', 1)[1] not in response.text
    assert_error(api.post(tokens_path(env_id, '/lookup'), token=token, json={'token': created['id']}), 404)
    other = api.create('other')
    other_token = management_token(api, other).json()['token']
    assert_error(api.post(tokens_path(other, '/lookup'), token=other_token, json={'token': created['token']}), 404)
    logged = [entry['body'] for entry in api.handle.requests() if entry['path'].endswith('/lookup')]
    assert logged[0] == {'token': created['id'] + '.<secret>'}


def test_deleting_an_environment_invalidates_its_tokens(env):
    api, env_id, token = env
    created = create_api_token(api, env_id, token, scopes=['DataExport']).json()
    assert api.put(f'{ENVIRONMENTS}/{env_id}', json={'name': 'team-a', 'state': 'DISABLED'}).status_code == 204
    assert api.delete(f'{ENVIRONMENTS}/{env_id}').status_code == 204
    assert [t['kind'] for t in api.handle.tokens()] == ['cluster']
    assert_error(api.get(f'/e/{env_id}/api/v1/config/clusterversion', token=created['token']), 404, 'failed to resolve tenant')


def test_cluster_tokens_api(api):
    response = api.post('/api/cluster/v2/tokens', json={'name': 'ops', 'scopes': ['ServiceProviderAPI'],
                                                        'expiresIn': {'value': 1, 'unit': 'HOURS'}})
    assert response.status_code == 201 and TOKEN.match(response.json()['token'])
    created, token_id = response.json()['token'], response.headers['Location']
    assert api.get(ENVIRONMENTS, token=created).status_code == 200
    assert {'id': token_id, 'name': 'ops'} in api.get('/api/cluster/v2/tokens').json()['values']
    shown = api.get(f'/api/cluster/v2/tokens/{token_id}').json()
    assert shown['scopes'] == ['ServiceProviderAPI'] and shown['expires'] - shown['created'] == 3_600_000
    assert api.post('/api/cluster/v2/tokens/lookup', token=created, json={'token': created}).json()['id'] == token_id
    assert 'scopes[0]' in violations(api.post('/api/cluster/v2/tokens', json={'name': 'x', 'scopes': ['DataExport']}))
    assert_error(api.delete(f'/api/cluster/v2/tokens/{api.handle.token.rsplit(".", 1)[0]}'), 400, "can't delete")
    assert api.delete(f'/api/cluster/v2/tokens/{token_id}').status_code == 204
    assert_error(api.get(ENVIRONMENTS, token=created), 401)


@pytest.mark.parametrize('sees', [False, True])
def test_cluster_tokens_api_reaches_a_token_management_token_only_under_that_reading(api, sees):
    api.handle.configure(cluster_tokens_see_environment_tokens=sees)
    env_id = api.create()
    response = management_token(api, env_id, expiresIn={'value': 300, 'unit': 'SECONDS'})
    token_id = response.headers['Location']
    answer = api.delete(f'/api/cluster/v2/tokens/{token_id}')
    if sees:
        assert answer.status_code == 204
        assert token_id not in [t['id'] for t in api.handle.tokens()]
        assert_error(api.get(tokens_path(env_id), token=response.json()['token']), 401)
    else:
        assert_error(answer, 404, 'not been found')
        assert token_id in [t['id'] for t in api.handle.tokens()]
