"""The one rule for names the API owns: refuse only what is certainly wrong, name what the server refused."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import (
    DOCUMENTED_ENVIRONMENT_SCOPES, ENVIRONMENT_PERMISSION, ENVIRONMENT_SCOPE, ZONE_PERMISSION, name_errors,
    needs_confirmation, refusal_message, refused_names,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import DynatraceError


def test_every_documented_scope_passes_and_there_are_91():
    assert len(set(DOCUMENTED_ENVIRONMENT_SCOPES)) == 91
    assert name_errors(ENVIRONMENT_SCOPE, 'scopes', list(DOCUMENTED_ENVIRONMENT_SCOPES)) == []


@pytest.mark.parametrize('name, words', [
    ('PaaSIntegration', 'not a scope: a PaaS token has the scope InstallerDownload'),
    ('ClusterTokenManagement', 'a scope of cluster tokens'),
    ('metrics ingest', 'not a well-formed environment token scope name'),
    ('.read', 'not a well-formed'),
    (3, 'not a well-formed'),
])
def test_certainly_wrong_scopes_are_refused_naming_option_and_value(name, words):
    (error,) = name_errors(ENVIRONMENT_SCOPE, 'api_tokens[0].scopes', [name])
    assert error.startswith('api_tokens[0].scopes: ') and words in error and str(name) in error


def test_well_formed_unknown_names_pass_in_every_kind():
    assert name_errors(ENVIRONMENT_SCOPE, 'scopes', ['someday.newScope']) == []
    assert name_errors(ENVIRONMENT_PERMISSION, 'p', ['MANAGE_SUPPORT_TICKETS', 'NEW_ONE']) == []
    assert name_errors(ZONE_PERMISSION, 'p', ['DEMO_USER', 'NEW_ONE']) == []
    assert name_errors(ZONE_PERMISSION, 'p', ['viewer'])[0].startswith("p: 'viewer' is not a well-formed")
    assert name_errors(ENVIRONMENT_PERMISSION, 'p', 'VIEWER') == ['p must be a list of environment permission names']


def test_only_newer_or_unknown_names_need_the_servers_confirmation():
    assert needs_confirmation(ENVIRONMENT_SCOPE, ['InstallerDownload', 'metrics.ingest']) == []
    assert needs_confirmation(ENVIRONMENT_SCOPE, ['bizevents.ingest', 'InstallerDownload', 'x.y']) == [
        'bizevents.ingest', 'x.y']
    assert needs_confirmation(ENVIRONMENT_PERMISSION, ['VIEWER', 'MANAGE_SUPPORT_TICKETS']) == ['MANAGE_SUPPORT_TICKETS']


@pytest.mark.parametrize('message, violations, refused', [
    ("Could not map JSON at 'scopes[1]' near line 1 column 40", [], ['hub.read']),
    ('Constraints violated.', [('scopes[2]', 'unknown')], ['x.y']),
    ('Invalid scope hub.read', [], ['hub.read']),
    ('Bad request', [], ['hub.read', 'x.y']),  # unclear: the names some clusters may not know
])
def test_the_servers_refusal_names_the_values(message, violations, refused):
    error = DynatraceError(message, status=400, method='POST', path='/e/e1/api/v2/apiTokens', violations=violations)
    sent = ['InstallerDownload', 'hub.read', 'x.y']
    assert refused_names(ENVIRONMENT_SCOPE, sent, error) == refused
    text = refusal_message(ENVIRONMENT_SCOPE, 'api_tokens[0].scopes', sent, error)
    assert text.startswith('api_tokens[0].scopes: the cluster refused environment token scope') and message in text
