"""Unit tests of _query: option validation, translation to the filter grammar, client-side finishing,
version parsing and the cluster facts."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _query as query
from ansible_collections.clusterops.dynatrace.plugins.module_utils._client import DynatraceError


def env(name, tags=(), state='ENABLED', trial=False, env_id=None):
    return dict(id=env_id or name.lower(), name=name, tags=list(tags), state=state, trial=trial,
                creationDate='2021-02-09T11:03:17.732Z')


# ------------------------------------------------------------------------------------------------
# Validation

def test_valid_options_give_no_error():
    assert query.validate_info_options(dict(name='prod', name_contains='pr', environment_id='a-b_c', tags=['x'],
                                            tags_any=['y'], sort='-creation_date', page_size=1000)) == []
    assert query.validate_info_options(dict(tags=[], page_size=1)) == []


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
    errors = query.validate_info_options(params)
    assert len(errors) == 1 and message in errors[0], errors


# ------------------------------------------------------------------------------------------------
# Translation, option by option

def test_no_option_no_filter():
    built = query.build_query({})
    assert (built.filter_expression, built.sort, built.criteria) == (None, None, [])


def test_name_is_filtered_by_the_server_and_compared_exactly():
    built = query.build_query(dict(name='Prod'))
    assert built.filter_expression == 'name(Prod)'
    assert built.criteria == [('name', 'Prod')]


def test_name_with_unsafe_characters_sends_the_longest_safe_part():
    built = query.build_query(dict(name='Team (Payments), EU'))
    assert built.filter_expression == 'name(Payments)'
    assert built.criteria == [('name', 'Team (Payments), EU')]


def test_name_without_any_safe_part_is_only_checked_client_side():
    built = query.build_query(dict(name='(),'))
    assert built.filter_expression is None
    assert built.criteria == [('name', '(),')]


def test_safe_name_contains_is_left_to_the_server():
    built = query.build_query(dict(name_contains='prod'))
    assert built.filter_expression == 'name(prod)' and built.criteria == []


@pytest.mark.parametrize('value, sent', [
    ('a(b', 'name(a)'), ("o'neil", 'name(neil)'), ('x,yz', 'name(yz)'), ('back\\slash', 'name(slash)'),
    (' prod', 'name(prod)'), ('"', None),
])
def test_unsafe_name_contains_filters_on_the_safe_part_and_finishes_client_side(value, sent):
    built = query.build_query(dict(name_contains=value))
    assert built.filter_expression == sent
    assert built.criteria == [('name_contains', value)]


def test_name_and_name_contains_send_one_name_criterion():
    built = query.build_query(dict(name='Prod-EU', name_contains='eu'))
    assert built.filter_expression == 'name(Prod-EU)'
    assert built.criteria == [('name', 'Prod-EU'), ('name_contains', 'eu')]


def test_tags_all_of_are_repeated_tag_criteria():
    built = query.build_query(dict(tags=['a', 'b:c', 'a']))
    assert built.filter_expression == 'tag(a),tag(b:c)' and built.criteria == []


def test_unsafe_tags_are_checked_client_side_and_safe_ones_still_sent():
    built = query.build_query(dict(tags=['team:(x)', 'env:prod', 'a,b', ' pad']))
    assert built.filter_expression == 'tag(env:prod)'
    assert built.criteria == [('tag', 'team:(x)'), ('tag', 'a,b'), ('tag', ' pad')]


def test_empty_tags_filter_nothing():
    assert query.build_query(dict(tags=[])).filter_expression is None


def test_tags_any_is_one_tag_criterion():
    built = query.build_query(dict(tags_any=['a', 'b', 'a']))
    assert built.filter_expression == 'tag(a,b)' and built.criteria == []


def test_tags_any_with_an_unsafe_tag_is_entirely_client_side():
    built = query.build_query(dict(tags_any=['a', 'b,c']))
    assert built.filter_expression is None
    assert built.criteria == [('tags_any', ['a', 'b,c'])]


@pytest.mark.parametrize('enabled, sent', [(True, 'state(ENABLED)'), (False, 'state(DISABLED)')])
def test_enabled_maps_to_state(enabled, sent):
    assert query.build_query(dict(enabled=enabled)).filter_expression == sent


@pytest.mark.parametrize('trial, sent', [(True, 'trial(true)'), (False, 'trial(false)')])
def test_trial(trial, sent):
    assert query.build_query(dict(trial=trial)).filter_expression == sent


@pytest.mark.parametrize('sort, sent', [('name', 'name'), ('-name', '-name'), ('creation_date', 'creationDate'),
                                        ('-creation_date', '-creationDate'), (None, None)])
def test_sort_maps_to_camel_case(sort, sent):
    assert query.build_query(dict(sort=sort)).sort == sent


def test_every_option_combined():
    built = query.build_query(dict(name_contains='prod', tags=['a', 'b'], tags_any=['x', 'y'], enabled=False, trial=True,
                                   sort='-name'))
    assert built.filter_expression == 'name(prod),tag(a),tag(b),tag(x,y),state(DISABLED),trial(true)'
    assert built.sort == '-name' and built.criteria == []


# ------------------------------------------------------------------------------------------------
# Client-side finishing

ENVIRONMENTS = [
    env('Prod', tags=['a', 'b']),
    env('prod', tags=['a']),
    env('preprod', tags=['b', 'team:(x)'], state='DISABLED'),
    env('Team (Payments), EU', tags=['a,b'], trial=True),
    env('STRASSE', tags=[]),
]


def names(found):
    return [item['name'] for item in found]


def test_exact_name_is_case_sensitive():
    assert names(query.finish(ENVIRONMENTS, [('name', 'Prod')])) == ['Prod']
    assert names(query.finish(ENVIRONMENTS, [('name', 'Team (Payments), EU')])) == ['Team (Payments), EU']


def test_name_contains_is_case_insensitive():
    assert names(query.finish(ENVIRONMENTS, [('name_contains', 'PROD')])) == ['Prod', 'prod', 'preprod']
    assert names(query.finish(ENVIRONMENTS, [('name_contains', '(payments), e')])) == ['Team (Payments), EU']
    assert names(query.finish(ENVIRONMENTS, [('name_contains', 'straße')])) == ['STRASSE']


def test_tag_membership_is_exact():
    assert names(query.finish(ENVIRONMENTS, [('tag', 'team:(x)')])) == ['preprod']
    assert names(query.finish(ENVIRONMENTS, [('tag', 'a,b')])) == ['Team (Payments), EU']
    assert names(query.finish(ENVIRONMENTS, [('tag', 'a'), ('tag', 'b')])) == ['Prod']
    assert names(query.finish(ENVIRONMENTS, [('tags_any', ['a,b', 'team:(x)'])])) == ['preprod', 'Team (Payments), EU']


def test_state_and_trial_criteria():
    assert names(query.finish(ENVIRONMENTS, [('enabled', False)])) == ['preprod']
    assert names(query.finish(ENVIRONMENTS, [('trial', True)])) == ['Team (Payments), EU']


def test_all_criteria_holds_every_option():
    criteria = query.all_criteria(dict(name='Prod', name_contains='ro', tags=['a'], tags_any=['b'], enabled=True, trial=False))
    assert criteria == [('name', 'Prod'), ('name_contains', 'ro'), ('tag', 'a'), ('tags_any', ['b']),
                        ('enabled', True), ('trial', False)]
    assert names(query.finish(ENVIRONMENTS, criteria)) == ['Prod']


# ------------------------------------------------------------------------------------------------
# Running a listing against a stub client

class StubClient:
    url_environment_id = None

    def __init__(self, pages=None, single=None, error=None):
        self.pages = pages or [[]]
        self.single = single
        self.error = error
        self.calls = []

    def iter_environment_pages(self, **query_args):
        self.calls.append(('list', query_args))
        if self.error:
            raise self.error
        for page in self.pages:
            yield {'environments': page}

    def get_environment(self, environment_id, **flags):
        self.calls.append(('get', environment_id, flags))
        if self.error:
            raise self.error
        return self.single


def test_listing_reads_every_page_and_finishes():
    client = StubClient(pages=[ENVIRONMENTS[:2], ENVIRONMENTS[2:]])
    result = query.environment_info(client, dict(name='Prod', page_size=1000))
    assert client.calls == [('list', dict(page_size=1000, sort=None, filter_expression='name(Prod)', include_consumption=False,
                                          include_storage=False, uncached_consumption=False))]
    assert result['total_count'] == 1
    assert result['environments'] == [dict(environment_id='prod', name='Prod', enabled=True, trial=False, tags=['a', 'b'])]
    assert result['creation_dates'] == {'prod': '2021-02-09T11:03:17.732Z'}
    assert result['changed'] is False


def test_uncached_consumption_implies_quotas():
    quotas = {'hostUnits': {'maxLimit': None, 'currentUsage': 3}}
    client = StubClient(pages=[[dict(env('a'), quotas=quotas)]])
    result = query.environment_info(client, dict(uncached_consumption=True, page_size=5))
    assert client.calls[0][1]['include_consumption'] is True and client.calls[0][1]['uncached_consumption'] is True
    assert result['environments'][0]['quotas'] == {'host_units': {'max_limit': 'unlimited'}}
    assert 'storage' not in result['environments'][0]


def test_environment_id_is_one_get_with_every_criterion_client_side():
    client = StubClient(single=env('Prod', tags=['a']))
    result = query.environment_info(client, dict(environment_id='prod', uncached_consumption=True, include_storage=True,
                                                 tags=['a'], name_contains='PRO'))
    assert client.calls == [('get', 'prod', dict(include_consumption=True, include_storage=True, uncached_consumption=True))]
    assert result['total_count'] == 1
    assert query.environment_info(client, dict(environment_id='prod', tags=['b']))['total_count'] == 0


def test_unknown_environment_id_is_an_empty_list():
    result = query.environment_info(StubClient(single=None), dict(environment_id='gone'))
    assert result['environments'] == [] and result['total_count'] == 0


def test_dps_422_on_consumption_explains_what_to_do():
    client = StubClient(error=DynatraceError('Consumption info not available', status=422, method='GET', path='/x'))
    with pytest.raises(DynatraceError) as raised:
        query.environment_info(client, dict(include_consumption=True))
    text = str(raised.value)
    assert 'Dynatrace Platform Subscription (DPS)' in text and 'include_consumption' in text
    assert 'Consumption info not available' in text and raised.value.status == 422


def test_422_without_consumption_is_left_alone():
    client = StubClient(error=DynatraceError('Something else', status=422))
    with pytest.raises(DynatraceError) as raised:
        query.environment_info(client, {})
    assert 'DPS' not in str(raised.value)


# ------------------------------------------------------------------------------------------------
# Cluster information

@pytest.mark.parametrize('version, expected', [
    ('1.236.0.20220203-192004', dict(major=1, minor=236, patch=0, build='20220203-192004', short='1.236.0',
                                     full='1.236.0.20220203-192004')),
    ('1.280.5', dict(major=1, minor=280, patch=5, build=None, short='1.280.5', full='1.280.5')),
    ('1.280', dict(major=1, minor=280, patch=0, build=None, short='1.280.0', full='1.280')),
    ('1.300.12.20240812-100533', dict(major=1, minor=300, patch=12, build='20240812-100533', short='1.300.12',
                                      full='1.300.12.20240812-100533')),
    ('unknown', dict(major=None, minor=None, patch=None, build=None, short=None, full='unknown')),
])
def test_parse_version(version, expected):
    assert query.parse_version(version) == expected


@pytest.mark.parametrize('epoch_ms, text', [
    (0, '1970-01-01T00:00:00.000Z'),
    (1643916004123, '2022-02-03T19:20:04.123Z'),
    (1643916004005, '2022-02-03T19:20:04.005Z'),
])
def test_iso_utc(epoch_ms, text):
    assert query.iso_utc(epoch_ms) == text


class ClusterStub:
    def __init__(self, url_environment_id=None):
        self.url_environment_id = url_environment_id
        self.calls = []

    def get_cluster_version(self, environment_id=None):
        self.calls.append(('version', environment_id))
        return '1.236.0.20220203-192004'

    def get_cluster_time(self, environment_id=None):
        self.calls.append(('time', environment_id))
        return 1643916004123, 1643916000000

    def get_cluster_nodes(self):
        self.calls.append(('nodes',))
        return [{'id': 1, 'clusterMemberAddress': '10.0.0.1', 'operationState': 'RUNNING', 'buildVersion': '1.236'}]


def test_cluster_info_uses_the_environment_id_of_the_url_when_none_is_given():
    client = ClusterStub(url_environment_id='from-url')
    result = query.cluster_info(client)
    assert client.calls == [('version', 'from-url'), ('time', 'from-url')]
    assert result['environment_id'] == 'from-url'
    assert result['time_ms'] == 1643916004123 and result['time'] == '2022-02-03T19:20:04.123Z'
    assert result['time_skew_ms'] == 4123 and 'nodes' not in result and result['changed'] is False


def test_cluster_info_option_wins_over_the_url_and_nodes_are_snake_case():
    client = ClusterStub(url_environment_id='from-url')
    result = query.cluster_info(client, environment_id='given', include_nodes=True)
    assert client.calls == [('version', 'given'), ('time', 'given'), ('nodes',)]
    assert result['nodes'] == [{'id': 1, 'cluster_member_address': '10.0.0.1', 'operation_state': 'RUNNING',
                                'build_version': '1.236'}]
