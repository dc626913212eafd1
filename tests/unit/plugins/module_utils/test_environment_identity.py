"""Unit tests of _environment_identity: the creation id of a name, and the words of every conflict."""

import re

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_identity as identity
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import ENVIRONMENT_ID_PATTERN


# Pinned: a change would give every name a new id, and a run of the new release would create a second
# environment next to one that a run of the old release was creating at the same moment.
@pytest.mark.parametrize('name, expected', [
    ('team-a', '76569072-06d2-5139-a708-5e2367147c5b'),
    ('Team search', 'f39e5de7-168c-5848-ac10-726ebfb39d1b'),
    (u'\u00fcn\u00ef', '5646b654-4a59-581d-a7e4-cd81833a6769'),
])
def test_the_creation_id_of_a_name_never_changes(name, expected):
    assert identity.creation_id(name) == expected


@pytest.mark.parametrize('name', ['a', 'x' * 100, 'with (parentheses), commas and "quotes"', 'TEAM-A', 'team-a '])
def test_a_creation_id_is_a_valid_environment_id_and_names_differ_exactly(name):
    assert ENVIRONMENT_ID_PATTERN.match(identity.creation_id(name))
    assert identity.creation_id(name) != identity.creation_id('team-a')


def test_every_conflict_names_both_sides():
    env = {'id': 'e1', 'name': 'team-b'}
    message = identity.id_name_mismatch('e1', 'team-a', env)
    assert "'e1'" in message and "'team-a'" in message and "'team-b'" in message and 'rename: true' in message
    message = identity.id_name_mismatch('e1', 'team-a', env, absent=True)
    assert 'Nothing was deleted' in message and 'rename' not in message
    assert re.search(r"one environment already carries that name \(id: x1\)",
                     identity.name_taken('new', 'team-a', [{'id': 'x1'}]))
    assert '2 environments already carry that name (ids: x1, x2)' in identity.name_taken(
        'new', 'team-a', [{'id': 'x2'}, {'id': 'x1'}])
    message = identity.renamed('team-a', env)
    assert "'team-a'" in message and 'e1' in message and "'team-b'" in message and 'not renamed back' in message
    assert 'ids: a, b' in identity.ambiguous_name('n', [{'id': 'b'}, {'id': 'a'}])
