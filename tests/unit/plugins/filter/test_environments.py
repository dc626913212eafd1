"""Unit tests of the filters behind the environments role (plugins/filter/environments.py)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from ansible_collections.clusterops.dynatrace.plugins.filter.environments import (
    FilterModule, environments_created, environments_failures, environments_plan, environments_read_options,
    environments_to_apply,
)


def existing(name, environment_id=None, **fields):
    """An environment as dynatrace_environment_info returns it."""
    environment = dict(environment_id=environment_id or 'id-' + name, name=name, enabled=True, trial=False, tags=[])
    environment.update(fields)
    return environment


def names(items):
    return [item.get('name') or item.get('environment_id') for item in items]


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {'environments_plan', 'environments_to_apply', 'environments_created',
                                             'environments_failures', 'environments_read_options'}


def test_missing_items_are_created_in_declared_order():
    declared = [{'name': 'c'}, {'name': 'a'}, {'name': 'b'}]
    plan = environments_plan(declared, [existing('a')])
    assert names(plan['create']) == ['c', 'b']
    assert plan['change'] == [] and plan['unchanged'] == ['a']
    assert names(plan['apply']) == ['c', 'b']
    assert plan['create'][0] == declared[0]  # items are passed on as declared (booleans made booleans)


def test_hundred_existing_items_need_no_task():
    declared = [{'name': 'team-%03d' % index, 'tags': ['t']} for index in range(100)]
    listing = [existing('team-%03d' % index, tags=['t']) for index in range(100)]
    assert environments_to_apply(declared, listing) == []
    assert environments_to_apply(declared, {'environments': listing, 'total_count': 100}) == []


def test_name_match_is_exact_and_case_sensitive():
    assert names(environments_to_apply([{'name': 'Team'}], [existing('team'), existing('Team ')])) == ['Team']


def test_environment_id_and_name_of_different_environments_get_no_task_but_the_modules_refusal():
    listing = [existing('old-name', 'fixed-id'), existing('new-name', 'other')]
    for item in ({'environment_id': 'fixed-id', 'name': 'new-name'},
                 {'environment_id': 'fixed-id', 'name': 'new-name', 'state': 'absent'}):
        for update_existing in (False, True):
            plan = environments_plan([item], listing, update_existing)
            assert plan['apply'] == [] and plan['unchanged'] == []
            message = plan['conflicts']['new-name']
            assert "'fixed-id'" in message and "'new-name'" in message and "'old-name'" in message
    # rename: true asks for it: with update_existing the module renames (and refuses a taken name itself).
    plan = environments_plan([{'environment_id': 'fixed-id', 'name': 'brand-new', 'rename': 'yes'}], listing, True)
    assert names(plan['change']) == ['brand-new'] and plan['conflicts'] == {}


def test_environment_id_to_create_with_a_name_another_environment_carries_is_refused():
    listing = [existing('old-name', 'fixed-id')]
    plan = environments_plan([{'environment_id': 'missing', 'name': 'old-name'}], listing)
    assert plan['apply'] == [] and 'second environment' in plan['conflicts']['old-name']
    assert 'fixed-id' in plan['conflicts']['old-name']
    assert names(environments_to_apply([{'environment_id': 'missing', 'name': 'free'}], listing)) == ['free']


def test_a_name_whose_creation_id_carries_another_name_is_refused():
    listing = [existing('renamed-by-a-person', creation_id('team-a'))]
    plan = environments_plan([{'name': 'team-a'}], listing)
    assert plan['create'] == [] and 'not renamed back' in plan['conflicts']['team-a']


def test_booleans_given_as_strings_compare_as_booleans():
    listing = [existing('a', trial=False, enabled=True)]
    for value in ('no', 'false', 'False', 'n', 0):
        plan = environments_plan([{'name': 'a', 'trial': value, 'enabled': 'yes'}], listing, True)
        assert plan['apply'] == [] and plan['drift'] == {}, value
    plan = environments_plan([{'name': 'b', 'trial': 'no', 'create_token': 'false'}], listing)
    assert plan['create'] == [{'name': 'b', 'trial': False, 'create_token': False}]
    with pytest.raises(AnsibleFilterError, match="trial must be a boolean .true/false, yes/no., got 'maybe'"):
        environments_plan([{'name': 'a', 'trial': 'maybe'}], listing)


def test_drift_is_also_given_as_the_lines_of_a_diff():
    listing = [existing('a', quotas={'host_units': {'max_limit': 10}})]
    plan = environments_plan([{'name': 'a', 'quotas': {'host_units': {'max_limit': 20}}}], listing)
    assert plan['drift_diff'] == ['--- a (current; update_existing is false, nothing changed)', '+++ a (as declared)',
                                  '-quotas.host_units.max_limit: 10', '+quotas.host_units.max_limit: 20']


def test_drift_is_reported_not_applied_by_default():
    listing = [existing('a', tags=['x'], quotas={'host_units': {'max_limit': 10}})]
    declared = [{'name': 'a', 'tags': ['y'], 'quotas': {'host_units': {'max_limit': 20}}}]
    plan = environments_plan(declared, listing)
    assert plan['apply'] == []
    assert plan['drift'] == {'a': {'tags': {'current': ['x'], 'desired': ['y']},
                                   'quotas.host_units.max_limit': {'current': 10, 'desired': 20}}}
    plan = environments_plan(declared, listing, update_existing=True)
    assert names(plan['change']) == ['a'] and plan['drift'] == {}


def test_item_update_existing_overrides_the_default():
    listing = [existing('a', trial=False), existing('b', trial=False)]
    declared = [{'name': 'a', 'trial': True, 'update_existing': True}, {'name': 'b', 'trial': True, 'update_existing': False}]
    assert names(environments_to_apply(declared, listing)) == ['a']
    assert names(environments_to_apply(declared, listing, True)) == ['a']
    declared[1]['update_existing'] = None  # null means: the role's default
    assert names(environments_to_apply(declared, listing, True)) == ['a', 'b']


def test_comparison_is_the_modules():
    """unlimited, numeric strings and tag order compare like dynatrace_environment compares them."""
    listing = [existing('a', tags=['b', 'a'], quotas={'host_units': {'max_limit': 'unlimited'},
                                                      'davis_data_units': {'monthly_limit': 5, 'annual_limit': 'unlimited'}},
                        storage={'service_request_level_retention': {'max_limit_in_days': 35}})]
    declared = [{'name': 'a', 'tags': ['a', 'b'],
                 'quotas': {'host_units': {'max_limit': 'Unlimited'}, 'davis_data_units': {'monthly_limit': '5', 'annual_limit': None}},
                 'storage': {'service_request_level_retention': {'max_limit_in_days': 35}}}]
    assert environments_to_apply(declared, listing, True) == []


def test_sections_missing_from_the_listing_go_to_the_module():
    declared = [{'name': 'a', 'quotas': {'host_units': {'max_limit': 10}}}]
    assert names(environments_to_apply(declared, [existing('a')], True)) == ['a']
    assert environments_to_apply(declared, [existing('a')], False) == []
    # ...and are not reported as drift: the listing simply did not carry them.
    assert environments_plan(declared, [existing('a')], False)['drift'] == {}
    with_tags = [{'name': 'a', 'tags': ['t'], 'storage': {'transaction_storage': {'max_limit': 1}}}]
    assert environments_plan(with_tags, [existing('a')])['drift'] == {'a': {'tags': {'current': [], 'desired': ['t']}}}


def test_state_absent():
    declared = [{'name': 'gone', 'state': 'absent'}, {'name': 'here', 'state': 'absent'}]
    plan = environments_plan(declared, [existing('here')])
    assert names(plan['change']) == ['here'] and plan['create'] == [] and plan['unchanged'] == ['gone']


def test_ambiguous_name_gets_the_modules_refusal():
    plan = environments_plan([{'name': 'dup'}], [existing('dup', 'one'), existing('dup', 'two')])
    assert plan['apply'] == [] and 'matches 2 environments (ids: one, two)' in plan['conflicts']['dup']


def test_a_rename_onto_a_name_another_environment_holds_is_refused_like_the_modules_do():
    listing = [existing('old', 'e1'), existing('new', 'e2')]
    plan = environments_plan([{'environment_id': 'e1', 'name': 'new', 'rename': True}], listing, True)
    assert plan['apply'] == [] and 'cannot be renamed' in plan['conflicts']['new']


def test_rename_without_environment_id_is_refused_like_the_modules_do():
    with pytest.raises(AnsibleFilterError, match='rename: true needs environment_id'):
        environments_plan([{'name': 'a', 'rename': True}], [existing('a')])


def test_items_meeting_on_one_environment_are_refused_naming_both():
    with pytest.raises(AnsibleFilterError, match=r'environments_list\[0\] \(e1\) and environments_list\[1\] \(a\) both'):
        environments_plan([{'environment_id': 'e1'}, {'name': 'a', 'state': 'absent'}], [existing('a', 'e1')])


@pytest.mark.parametrize('declared, message', [
    ('a', 'must be a list'),
    ({'name': 'a'}, 'must be a list'),
    (['a'], 'must be a dict'),
    ([{'tags': ['x']}], 'needs name or environment_id'),
    ([{'name': 'a', 'url': 'x'}], 'unknown option(s) url'),
    ([{'name': 'a', 'state': 'gone'}], 'state must be'),
    ([{'name': 'a', 'tags': 'x'}], 'tags must be a list'),
    ([{'name': 'a', 'quotas': {'host_unit': {'max_limit': 1}}}], 'quotas.host_unit is not a quotas entry'),
    ([{'name': 'a', 'quotas': 'lots'}], "(a): quotas must be a dict of quotas entries, got str 'lots'"),
    ([{'name': 'a', 'quotas': {'host_units': 5}}], '(a): quotas.host_units must be a dict of max_limit, got int 5'),
    ([{'name': 'a', 'quotas': {'host_units': {'max_limit': 2 ** 63}}}], 'must be at most 9223372036854775807'),
    ([{'name': 'a', 'quotas': {'host_units': {'monthly_limit': 1}}}], 'quotas.host_units accepts only max_limit'),
    ([{'name': 'a', 'storage': {'transaction_storage': {'max_limit': -1}}}], 'must be at least 1'),
    ([{'name': 'a', 'quotas': {'host_units': {'max_limit': 'lots'}}}], "must be an integer or 'unlimited'"),
    ([{'name': 'a'}, {'name': 'a'}], "environments_list[0] and environments_list[1] both declare name 'a'"),
    ([{'name': 'a', 'environment_id': 'x'}, {'name': 'a', 'environment_id': 'y'}],
     "environments_list[0] and environments_list[1] both declare name 'a'"),
    ([{'name': 'a', 'environment_id': 'x'}, {'name': 'b', 'environment_id': 'x'}],
     "environments_list[0] and environments_list[1] both declare environment_id 'x'"),
    ([{'name': 'a'}, {'name': 'a', 'state': 'absent'}], "both declare name 'a'"),
    ([{'name': 'x' * 101}], 'name must be 1 to 100 characters'),
])
def test_invalid_items_fail_before_any_request(declared, message):
    with pytest.raises(AnsibleFilterError, match='invalid environments|must be a list') as error:
        environments_plan(declared, [])
    assert message in str(error.value)


def test_all_errors_are_reported_at_once():
    with pytest.raises(AnsibleFilterError) as error:
        environments_plan([{'name': 'a', 'trial': True, 'foo': 1}, {'tags': []}], [])
    assert 'environments_list[0] (a)' in str(error.value) and 'environments_list[1]' in str(error.value)


def test_existing_must_be_a_list():
    with pytest.raises(AnsibleFilterError, match='existing environments'):
        environments_plan([{'name': 'a'}], 'nope')
    assert names(environments_plan([{'name': 'a'}], None)['create']) == ['a']


def test_read_options():
    declared = [{'name': 'a', 'quotas': {'host_units': {'max_limit': 1}}},
                {'name': 'b', 'storage': {'transaction_storage': {'max_limit': 1}}, 'update_existing': False},
                {'name': 'c', 'storage': {'transaction_storage': {'max_limit': 1}}, 'state': 'absent'}]
    # Read whenever a present item manages them: to update, or to report their drift (update_existing false).
    assert environments_read_options(declared) == {'include_consumption': True, 'include_storage': True}
    assert environments_read_options(declared[2:], True) == {'include_consumption': False, 'include_storage': False}
    unmanaged = [{'name': 'd', 'quotas': {'host_units': {'max_limit': None}}}]
    assert environments_read_options(unmanaged, True) == {'include_consumption': False, 'include_storage': False}


def loop_result(*entries, **extra):
    return dict(results=list(entries), changed=any(entry.get('changed') for entry in entries), **extra)


def test_created_maps_names_to_ids_and_tokens():
    registered = loop_result(
        dict(item={'name': 'a'}, changed=True, environment_id='id-a', token_management_token='dt0c01.A'),
        dict(item={'name': 'b', 'create_token': False}, changed=True, environment_id='id-b'),
        dict(item={'name': 'c'}, changed=False, environment_id='id-c'),  # appeared meanwhile: adopted, not created
        dict(item={'name': 'd'}, failed=True, msg='boom'),
        dict(item={'name': 'e'}, skipped=True),
        dict(item={'name': 'f', 'state': 'absent'}, changed=True, environment_id='id-f'),
    )
    expected = {'a': {'id': 'id-a', 'token_management_token': 'dt0c01.A'},
                'b': {'id': 'id-b', 'token_management_token': None}}
    assert environments_created(registered) == expected
    assert environments_created(registered['results']) == environments_created(registered)
    assert environments_created({'results': [], 'skipped': True, 'changed': False}) == {}
    assert environments_created(None) == {}


def test_failures_name_items_and_messages_only():
    created = loop_result(dict(item={'name': 'a'}, changed=True, token_management_token='dt0c01.SECRET'),
                          dict(item={'name': 'b'}, failed=True, msg='HTTP 400: quota refused'))
    changed = loop_result(dict(item={'environment_id': 'fixed'}, failed=True),
                          dict(item={'name': 'c'}, changed=True))
    failures = environments_failures([created, changed])
    assert failures == {'b': 'HTTP 400: quota refused', 'fixed': 'failed without a message'}
    assert 'SECRET' not in repr(failures)
    assert environments_failures(created) == {'b': 'HTTP 400: quota refused'}
    assert environments_failures([{'results': [], 'skipped': True}]) == {}


def test_failures_never_repeat_a_token_a_message_quotes():
    token = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'K7' * 32
    results = {'results': [
        {'failed': True, 'item': {'name': 'broken'}, 'msg': 'HTTP 201: not JSON: {"tokenManagementToken": "%s' % token[:70]},
        {'failed': True, 'item': {'name': 'echo'}, 'msg': 'HTTP 500: header Api-Token %s and the secret %s' % (token, token[-64:])},
    ]}
    failures = environments_failures(results)
    assert failures == {'broken': 'HTTP 201: not JSON: {"tokenManagementToken": "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****',
                        'echo': 'HTTP 500: header Api-Token dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.**** and the secret ****'}


def test_namesakes_are_allowed_only_explicitly_and_each_by_its_own_id():
    namesakes = [{'name': 'twin', 'environment_id': 'twin-1', 'allow_duplicate_name': True},
                 {'name': 'twin', 'environment_id': 'twin-2', 'allow_duplicate_name': 'yes'}]
    plan = environments_plan(namesakes, [])
    assert [item['environment_id'] for item in plan['create']] == ['twin-1', 'twin-2'] and plan['conflicts'] == {}
    plan = environments_plan(namesakes[1:], [existing('twin', 'twin-1')])
    assert names(plan['create']) == ['twin'] and plan['conflicts'] == {}
    for declared in ([dict(namesakes[0]), dict(namesakes[1], allow_duplicate_name=False)],
                     [dict(namesakes[0]), {'name': 'twin', 'allow_duplicate_name': True}]):
        with pytest.raises(AnsibleFilterError, match="both declare name 'twin'"):
            environments_plan(declared, [])
