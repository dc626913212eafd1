"""Unit tests of the environments_export filter and its model (_environment_export)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.clusterops.dynatrace.plugins.filter.export import environments_export

LISTING = [
    {'environment_id': 'b2', 'name': 'beta', 'enabled': False, 'trial': True, 'tags': ['z', 'a'],
     'quotas': {'dem_units': {'annual_limit': None, 'monthly_limit': 5}, 'host_units': {'max_limit': 'unlimited'}},
     'storage': {'user_actions_per_minute': {'max_limit': 3500}}},
    {'environment_id': 'a1', 'name': 'alpha', 'enabled': True, 'trial': False, 'tags': []},
    {'environment_id': 'b1', 'name': 'beta', 'enabled': True, 'trial': False, 'tags': []},
]


def test_sorted_by_name_then_id_with_stable_keys_and_limits():
    items = environments_export(LISTING)
    assert [(item['name'], item['environment_id']) for item in items] == [('alpha', 'a1'), ('beta', 'b1'), ('beta', 'b2')]
    assert items[2] == {'name': 'beta', 'environment_id': 'b2', 'enabled': False, 'trial': True, 'tags': ['a', 'z'],
                        'quotas': {'host_units': {'max_limit': 'unlimited'},
                                   'dem_units': {'monthly_limit': 5, 'annual_limit': 'unlimited'}},
                        'storage': {'user_actions_per_minute': {'max_limit': 3500}},
                        'allow_duplicate_name': True}  # beta is shared: the role may create both, each by its id
    assert 'allow_duplicate_name' not in items[0] and items[1]['allow_duplicate_name'] is True
    assert list(items[2]['quotas']) == ['host_units', 'dem_units']  # the LIMITS table's order, not the input's
    assert list(items[2]['quotas']['dem_units']) == ['monthly_limit', 'annual_limit']
    assert 'quotas' not in items[0]  # the listing did not carry them


def test_the_whole_registered_result_is_accepted_and_the_input_is_left_alone():
    result = {'environments': [dict(item) for item in LISTING]}
    assert environments_export(result) == environments_export(LISTING)
    assert result['environments'][0]['tags'] == ['z', 'a']


def test_without_ids_shared_names_are_refused_naming_them():
    with pytest.raises(AnsibleFilterError, match=r'shared by several environments.*beta \(b1, b2\)'):
        environments_export(LISTING, ids=False)
    items = environments_export(LISTING[:2], ids=False)
    assert [item['name'] for item in items] == ['alpha', 'beta'] and 'environment_id' not in items[0]


@pytest.mark.parametrize('value', ['text', {'a': 1}, [{'name': 'x'}], [None]])
def test_anything_but_a_listing_fails_clearly(value):
    with pytest.raises(AnsibleFilterError, match='environments_export takes'):
        environments_export(value)
