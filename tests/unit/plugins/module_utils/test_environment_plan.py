"""The one planner (_model/environment_plan): one table of cases, decided through both sights alike.

The live sight is the one dynatrace_environment plans through (each read a stubbed API call); the index sight is
the one dynatrace_environments (and the deprecated filters) plan through, over one listing. Both must decide every
case the same way, with the same words.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as _api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.environments import plan_all
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_plan as planner
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_plan import environment_params, list_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_sight import LiveSight
from tests.unit.plugins.modules.harness import DynatraceError, FakeEnvironmentsApi, StubClient, environment

TEAM = environment('team', 'e1')
OLD = environment('old', 'e1')
NEW = environment('new', 'e2')
TWICE = [environment('twice', 'a'), environment('twice', 'b')]

# (item, environments, the step's kind, its environment id, words of its message)
CASES = [
    ({'name': 'new'}, [TEAM], planner.CREATE, creation_id('new'), None),
    ({'name': 'team'}, [TEAM], planner.CONVERGE, 'e1', None),
    ({'environment_id': 'e1'}, [TEAM], planner.CONVERGE, 'e1', None),
    ({'environment_id': 'e1', 'name': 'team'}, [TEAM], planner.CONVERGE, 'e1', None),
    ({'name': 'team', 'state': 'absent'}, [TEAM], planner.DELETE, 'e1', None),
    ({'environment_id': 'e1', 'state': 'absent'}, [TEAM], planner.DELETE, 'e1', None),
    ({'name': 'gone', 'state': 'absent'}, [TEAM], planner.GONE, None, None),
    ({'environment_id': 'nope', 'state': 'absent'}, [TEAM], planner.GONE, 'nope', None),
    ({'name': 'twice'}, TWICE, planner.REFUSE, None, 'matches 2 environments (ids: a, b)'),
    ({'name': 'twice', 'state': 'absent'}, TWICE, planner.REFUSE, None, 'matches 2 environments'),
    ({'environment_id': 'e1', 'name': 'x'}, [TEAM], planner.REFUSE, None, 'do not agree'),
    ({'environment_id': 'e1', 'name': 'x', 'state': 'absent'}, [TEAM], planner.REFUSE, None, 'Nothing was deleted'),
    ({'environment_id': 'new-id', 'name': 'team'}, [TEAM], planner.REFUSE, None, 'second environment'),
    ({'environment_id': 'new-id', 'name': 'team', 'allow_duplicate_name': True}, [TEAM], planner.CREATE, 'new-id', None),
    ({'environment_id': 'new-id', 'name': 'free'}, [TEAM], planner.CREATE, 'new-id', None),
    ({'environment_id': 'nope'}, [TEAM], planner.REFUSE, None, 'name is required'),
    ({'name': 'team'}, [environment('other', creation_id('team'))], planner.REFUSE, None, 'it was renamed'),
    ({'environment_id': 'e1', 'name': 'new', 'rename': True, 'update_existing': True}, [OLD], planner.RENAME, 'e1', None),
    ({'environment_id': 'e1', 'name': 'new', 'rename': True, 'update_existing': True}, [OLD, NEW], planner.REFUSE, None,
     'cannot be renamed'),
    # Without update_existing a rename is drift only: nothing is sent, so a taken name is no conflict yet.
    ({'environment_id': 'e1', 'name': 'new', 'rename': True}, [OLD, NEW], planner.RENAME, 'e1', None),
]


def index_step(item, environments):
    return planner.plan(environment_params(item, False), planner.IndexSight(environments))


def live_step(monkeypatch, item, environments):
    FakeEnvironmentsApi(environments).install(monkeypatch)
    params = environment_params(item, False)
    return planner.plan(params, LiveSight(StubClient()))


def decision(step):
    return step.kind, step.environment_id if step.kind != planner.REFUSE else None, step.message


@pytest.mark.parametrize('item, environments, kind, environment_id, words', CASES)
def test_both_sights_decide_every_case_alike(monkeypatch, item, environments, kind, environment_id, words):
    by_index, live = index_step(item, environments), live_step(monkeypatch, item, environments)
    assert decision(by_index) == decision(live)
    assert by_index.kind == kind
    if kind != planner.REFUSE:
        assert by_index.environment_id == environment_id
    if words:
        assert words in by_index.message


def test_a_creation_of_the_name_that_appeared_since_the_lookup_is_adopted_by_the_live_sight(monkeypatch):
    FakeEnvironmentsApi([environment('team', creation_id('team'))]).install(monkeypatch)
    # The lookup ran a moment before a concurrent run's create: it found nothing; the GET of the creation id finds it.
    monkeypatch.setattr(_api_environments, 'list_environments', lambda client, **query: ([], 0))
    step = planner.plan(environment_params({'name': 'team'}, False), LiveSight(StubClient()))
    assert (step.kind, step.environment_id) == (planner.ADOPT, creation_id('team'))


@pytest.mark.parametrize('item, words', [
    ({'name': 'a', 'rename': True}, 'rename: true needs environment_id'),
    ({'name': 'a', 'environment_id': 'e', 'rename': True, 'state': 'absent'}, 'rename: true does not go with state'),
    ({'name': 'a', 'allow_duplicate_name': True}, 'allow_duplicate_name: true needs environment_id'),
])
def test_the_item_checks_are_the_same_for_the_module_and_the_list(item, words):
    assert any(words in error for error in planner.item_errors(dict(item, state=item.get('state', 'present'))))
    errors = list_errors([item], 0, 'environments_list')
    assert any(words in error and error.startswith('environments_list[0]') for error in errors)


# ------------------------------------------------------------------------------------------------
# Items of one run that would meet on one environment: refused before any write, naming both

@pytest.mark.parametrize('items, environments, words', [
    ([{'environment_id': 'e1', 'update_existing': True, 'tags': ['x']}, {'name': 'team', 'state': 'absent'}], [TEAM],
     'environments_list[0] (e1) and environments_list[1] (team) both target environment e1'),
    ([{'environment_id': 'e1', 'name': 'new', 'rename': True}, {'name': 'new'}], [OLD],
     "environments_list[0] (new) and environments_list[1] (new) would both leave an environment named 'new'"),
    ([{'environment_id': 'e1', 'name': 'new', 'rename': True}, {'name': 'old', 'tags': ['a']}], [OLD],
     'environments_list[0] (new) and environments_list[1] (old) both target environment e1'),
    ([{'environment_id': 'e2'}, {'environment_id': 'e1', 'name': 'new', 'rename': True}], [OLD, NEW],
     "would both leave an environment named 'new'"),
])
def test_items_meeting_on_one_environment_stop_the_run(items, environments, words):
    with pytest.raises(DynatraceError) as refused:
        plan_all(items, environments, False, 'environments_list')
    assert words in str(refused.value) and 'nothing was changed' in str(refused.value)


def test_items_of_different_environments_and_namesakes_by_id_plan_together():
    items = [{'name': 'team'}, {'name': 'new'}, {'environment_id': 'x1', 'name': 'dup', 'allow_duplicate_name': True},
             {'environment_id': 'x2', 'name': 'dup', 'allow_duplicate_name': True}, {'name': 'gone', 'state': 'absent'}]
    steps = plan_all(items, [TEAM], False)
    assert [step.kind for step in steps] == ['converge', 'create', 'create', 'create', 'gone']


def test_a_name_is_shared_only_by_items_that_both_allow_it():
    allowed = {'environment_id': 'x1', 'name': 'dup', 'allow_duplicate_name': True}
    assert list_errors([allowed, dict(allowed, environment_id='x2')], 0) == []
    for other in ({'environment_id': 'x2', 'name': 'dup'}, {'name': 'dup'}):
        for pair in ([allowed, other], [other, allowed]):
            assert any("both declare name 'dup'" in error for error in list_errors(pair, 0)), pair
