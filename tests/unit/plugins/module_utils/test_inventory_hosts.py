"""Unit tests of the inventory's pure model (_inventory_hosts) and option checks (_environments_inventory)."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.environment import inventory as logic
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import inventory_hosts as hosts
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.filters import build_query


@pytest.mark.parametrize('name, expected', [
    ('team-payments', 'team-payments'),
    ('Team Payments (EU)', 'Team_Payments_EU'),
    ('  a , b  ', 'a_b'),
    ('-leading.and.trailing-', 'leading.and.trailing'),
    ('Zürich', 'Z_rich'),
    ('(((', ''),
])
def test_safe_hostname(name, expected):
    assert hosts.safe_hostname(name) == expected


def env(environment_id, name, created, **fields):
    return dict(id=environment_id, name=name, creationDate=created, **fields)


def test_the_oldest_keeps_a_shared_hostname_whatever_the_order_of_the_listing():
    listing = [env('new', 'a b', '2024-02-01T00:00:00.000Z'), env('old', 'a_b', '2023-01-01T00:00:00.000Z'),
               env('odd', '()', '2022-01-01T00:00:00.000Z'), env('mid', 'a  b', '2023-06-01T00:00:00.000Z')]
    for order in (listing, list(reversed(listing))):
        assigned, collisions = hosts.assign_hostnames(order)
        assert [(hostname, environment['id']) for hostname, environment in assigned] == [
            ('odd', 'odd'), ('a_b', 'old'), ('a_b_mid', 'mid'), ('a_b_new', 'new')]
        assert collisions == [('a_b_mid', 'a_b', 'mid'), ('a_b_new', 'a_b', 'new')]


def test_ids_as_hostnames_never_collide():
    assigned, collisions = hosts.assign_hostnames([env('x', 'same', 'b'), env('y', 'same', 'a')], source='id')
    assert [hostname for hostname, dummy in assigned] == ['y', 'x'] and collisions == []


def test_host_variables_hold_the_environment_and_nothing_else():
    environment = env('e1', 'n', '2024-01-01T00:00:00.000Z', tags=['a:b'], state='DISABLED', trial=True,
                      quotas={'hostUnits': {'maxLimit': None, 'currentUsage': 3}, 'customMetrics': None},
                      storage={'transactionStorage': {'maxLimit': 5, 'currentlyUsed': 1}})
    variables = hosts.host_variables(environment, 'https://dt.example.com', include_quotas=True, include_storage=True)
    assert variables['dynatrace_environment_url'] == 'https://dt.example.com/e/e1'
    assert variables['dynatrace_quotas'] == {'host_units': {'max_limit': 'unlimited'}}
    assert variables['dynatrace_storage'] == {'transaction_storage': {'max_limit': 5}}
    assert set(variables) == set(hosts.HOST_VARIABLES)
    assert 'dynatrace_quotas' not in hosts.host_variables(environment, 'https://dt.example.com')


def test_default_groups():
    assert hosts.default_group_names({'state': 'ENABLED', 'tags': ['department:finance', 'owner:a.b@c.d', 'x']}) == [
        'state_enabled', 'tag_department_finance', 'tag_owner_a_b_c_d', 'tag_x']
    assert hosts.default_group_names({}) == ['state_enabled']


@pytest.mark.parametrize('filters, errors', [
    (None, []),
    ({}, []),
    ('tag(a)', ["filters must be a dictionary with the keys name, name_contains, tags, tags_any, state, trial, got 'tag(a)'"]),
    ({'tag': 'a'}, ['filters has unknown key(s) tag; the keys are name, name_contains, tags, tags_any, state, trial']),
    ({'name': ''}, ["filters.name must be a non-empty string, got ''"]),
    ({'name_contains': 'x' * 101}, ['filters.name_contains must be at most 100 characters long, got 101']),
    ({'tags': 'a'}, ["filters.tags must be a list of tags, got 'a'"]),
    ({'tags': ['a', '']}, ["filters.tags[1] must be a non-empty string, got ''"]),
    ({'tags_any': []}, ['filters.tags_any must hold at least one tag (leave it out to not filter on tags)']),
    ({'state': 'on'}, ["filters.state must be enabled or disabled, got 'on'"]),
    ({'trial': 'yes'}, ["filters.trial must be true or false, got 'yes'"]),
])
def test_filter_errors(filters, errors):
    assert hosts.filter_errors(filters) == errors


def test_filters_become_the_server_filter_and_client_side_criteria():
    query = build_query(hosts.filter_params({'name': 'a (b)', 'tags': ['x', 'y,z'], 'state': 'Disabled', 'trial': False}))
    assert query.filter_expression == 'name(a),tag(x),state(DISABLED),trial(false)'
    assert query.criteria == [('name', 'a (b)'), ('tag', 'x'), ('tag', 'y,z')]


SETTINGS = dict(url='https://dt.example.com/e/abc/', api_token='dt0c01.AAAA.BBBB', hostname_source='name',
                timeout=30, retries=5, filters={}, include_quotas=False, include_storage=False)


def test_settings_errors_name_every_bad_option():
    assert logic.settings_errors(SETTINGS) == []
    bad = dict(SETTINGS, url=None, api_token=' ', hostname_source='label', timeout=0, retries=-1, filters={'x': 1})
    errors = logic.settings_errors(bad)
    assert [error.split(' ')[0] for error in errors] == [
        'url', 'api_token', 'hostname_source', 'timeout', 'retries', 'filters']


def test_the_cache_key_follows_cluster_filters_and_flags_but_never_the_token():
    key = logic.cache_fingerprint(SETTINGS)
    assert logic.cache_fingerprint(dict(SETTINGS, api_token='dt0c01.CCCC.DDDD')) == key
    assert logic.cache_fingerprint(dict(SETTINGS, url='https://dt.example.com')) == key  # the same cluster
    assert logic.cache_fingerprint(dict(SETTINGS, url='https://other.example.com')) != key
    assert logic.cache_fingerprint(dict(SETTINGS, filters={'state': 'enabled'})) != key
    assert logic.cache_fingerprint(dict(SETTINGS, include_storage=True)) != key


@pytest.mark.parametrize('name, hostname', [
    ('all', 'all-e1'), ('ungrouped', 'ungrouped-e1'), ('localhost', 'localhost-e1'), ('LocalHost', 'LocalHost-e1'),
    ('127.0.0.1', '127.0.0.1-e1'), ('state_enabled', 'state_enabled-e1'), ('tag_x', 'tag_x-e1'),
    ('state-enabled', 'state-enabled'), ('tag_x.y', 'tag_x.y'), ('tags', 'tags'),
])
def test_a_hostname_is_never_a_group_or_an_implicit_host(name, hostname):
    (assigned,), renamed = hosts.assign_hostnames([env('e1', name, 'a')])
    assert assigned[0] == hostname and hosts.usable_hostname(hostname)
    assert renamed == ([] if hostname == name else [(hostname, name, 'e1')])


def test_ids_that_are_ansible_names_get_a_prefix_and_every_name_gets_a_host():
    assigned, dummy = hosts.assign_hostnames([env('all', 'x', 'a'), env('tag_y', 'y', 'b')], source='id')
    assert [hostname for hostname, dummy in assigned] == ['env-all', 'env-tag_y']
    crowded = [env('e1', 'env-e1', 'a'), env('e2', 'e1', 'b'), env('e1x', 'all', 'c'), env('e3', 'all-e1x', 'd')]
    names = [hostname for hostname, dummy in hosts.assign_hostnames(crowded)[0]]
    assert len(set(names)) == 4 and all(hosts.usable_hostname(name) for name in names)


def test_unknown_top_level_options_are_refused_with_the_valid_ones():
    assert logic.unknown_option_errors({'plugin': 1, 'filter': {}}, ['plugin', 'filters', 'url']) == [
        'unknown option filter; the options are filters, plugin, url']
    assert logic.unknown_option_errors({'plugin': 1, 'filters': {}}, ['plugin', 'filters']) == []
