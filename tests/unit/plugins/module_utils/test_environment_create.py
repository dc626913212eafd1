"""create_telling_adoption: whether a creating PUT created the environment or only updated it.

The status decides, not the token: a cluster whose creating PUT (201) carries no token-management token still
counts as a creation, so the caller mints one instead of leaving the API tokens to another run.
"""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_create import create_telling_adoption
from ansible_collections.clusterops.dynatrace.plugins.modules import dynatrace_environment as module
from tests.unit.plugins.module_utils.fake_http import FakeResponse, make_client, ok


def params(**given):
    defaults = dict((name, spec.get('default')) for name, spec in module.argument_spec().items())
    return dict(defaults, name='team', **given)


@pytest.mark.parametrize('answer,adopted,token', [
    (ok('{"id": "c1", "tokenManagementToken": "dt0c01.T"}', 201), False, 'dt0c01.T'),
    (ok('{"id": "c1"}', 201), False, None),  # created, without a token in the answer
    (FakeResponse(204), True, None),  # updated: created just before, by another run or a lost attempt
])
def test_the_status_of_the_creating_put_tells_adoption(answer, adopted, token):
    client, dummy, warnings = make_client([answer])
    result, was_adopted = create_telling_adoption(client, params(create_token=True), 'c1')
    assert was_adopted is adopted
    assert result.get('token_management_token') == token and result['environment_id'] == 'c1'


def test_check_mode_adopts_nothing_and_sends_nothing():
    client, dummy, dummy2 = make_client([])
    assert create_telling_adoption(client, params(), 'c1', check_mode=True)[1] is False
    assert client.session.calls == []
