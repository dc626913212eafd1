"""Unit tests of _filters: translation of the listing options to the filter grammar and client-side finishing."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import filters as query


def env(name, tags=(), state='ENABLED', trial=False, env_id=None):
    return dict(id=env_id or name.lower(), name=name, tags=list(tags), state=state, trial=trial,
                creationDate='2021-02-09T11:03:17.732Z')


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


@pytest.mark.parametrize('name', ['team~a', 'a~~b', '~"x"~', 'x~(y),z', 'ops "blue"~1', 'ünïcode~名前', 'a%2Cb~c'])
def test_a_name_with_a_tilde_is_never_sent_with_it_and_is_found_exactly(name):
    # Other Dynatrace filters read ~ as an escape: a server doing so here would look for another name.
    built = query.build_query(dict(name=name))
    assert '~' not in (built.filter_expression or '')
    sent = built.filter_expression[len('name('):-1] if built.filter_expression else ''
    assert sent.casefold() in name.casefold()
    others = [env(name + ' copy'), env(name.upper()), env(name.replace('~', ''))]
    assert query.finish([env(name)] + others, built.criteria) == [env(name)]


def test_name_without_any_safe_part_is_only_checked_client_side():
    built = query.build_query(dict(name='(),'))
    assert built.filter_expression is None
    assert built.criteria == [('name', '(),')]


def test_safe_name_contains_is_left_to_the_server():
    built = query.build_query(dict(name_contains='prod'))
    assert built.filter_expression == 'name(prod)' and built.criteria == []


@pytest.mark.parametrize('value, sent', [
    ('a(b', 'name(a)'), ("o'neil", 'name(neil)'), ('x,yz', 'name(yz)'), ('back\\slash', 'name(slash)'),
    (' prod', 'name(prod)'), ('"', None), ('team~payments', 'name(payments)'), ('~', None),
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
    # The server's tag matching is not published: every tag is checked again client-side.
    assert built.filter_expression == 'tag(a),tag(b:c)' and built.criteria == [('tag', 'a'), ('tag', 'b:c')]


def test_unsafe_tags_are_checked_client_side_and_safe_ones_still_sent():
    built = query.build_query(dict(tags=['team:(x)', 'env:prod', 'a,b', ' pad']))
    assert built.filter_expression == 'tag(env:prod)'
    assert built.criteria == [('tag', 'team:(x)'), ('tag', 'env:prod'), ('tag', 'a,b'), ('tag', ' pad')]


def test_empty_tags_filter_nothing():
    assert query.build_query(dict(tags=[])).filter_expression is None


def test_tags_any_is_one_tag_criterion():
    built = query.build_query(dict(tags_any=['a', 'b', 'a']))
    assert built.filter_expression == 'tag(a,b)' and built.criteria == [('tags_any', ['a', 'b'])]


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
    assert built.sort == '-name' and built.criteria == [('tag', 'a'), ('tag', 'b'), ('tags_any', ['x', 'y'])]


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
