"""dynatrace_api_token and dynatrace_api_token_info through ansible-playbook against the emulator.

Every test asserts on the emulator's request log and its token store. Unless a test says otherwise the
emulator's cluster tokens API reaches environment tokens (the reading under which a minted token-management
token can be deleted); test_minted_token_left_to_expire... covers the other reading.
"""

import pytest

from tests.integration.runner import run_module, run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_api_token'
MINTED_PREFIX = 'clusterops.dynatrace '


@pytest.fixture
def world(emulator):
    """The reset emulator with one environment 'team-a' (id in .env_id) and the deletable-mint reading."""
    emulator.configure(cluster_tokens_see_environment_tokens=True)
    emulator.env_id = emulator.create_environment('team-a')
    emulator.clear_requests()
    return emulator


def tokens_path(env_id, suffix=''):
    return '/e/%s/api/v2/apiTokens%s' % (env_id, suffix)


def calls(emulator):
    return [(entry['method'], entry['path']) for entry in emulator.requests()]


def api_tokens(emulator, env_id):
    """The environment's tokens in the emulator's store (metadata), without minted token-management tokens."""
    return [token for token in emulator.tokens()
            if token['environment'] == env_id and not token['name'].startswith(MINTED_PREFIX)]


def minted(emulator):
    return [token for token in emulator.tokens() if token['name'].startswith(MINTED_PREFIX)]


def token_task(**args):
    return dict(dict(environment_name='team-a', name='paas', scopes=['InstallerDownload']), **args)


def minted_calls(env_id, *middle):
    """The request sequence of a minting task: lookup, mint, `middle`, deletion of the minted token."""
    start = [('GET', ENVIRONMENTS), ('POST', '%s/%s/tokenManagementToken' % (ENVIRONMENTS, env_id))]
    return start + list(middle)


def test_create_mints_and_deletes_its_token_then_rerun_changes_nothing(world):
    status, result = run_module('dynatrace_api_token', world, **token_task(expiration='now+30d'))
    assert status == 'changed', result
    assert result['token'].startswith(result['token_id'] + '.')
    (stored,) = api_tokens(world, world.env_id)
    assert (stored['id'], stored['scopes'], stored['kind']) == (result['token_id'], ['InstallerDownload'], 'environment')
    assert 29 * 86400000 < stored['expires_ms'] - stored['created_ms'] <= 30 * 86400000
    log = calls(world)
    mint_id = result['minted_token_management_token']['id']
    assert log == minted_calls(world.env_id, ('GET', tokens_path(world.env_id)), ('POST', tokens_path(world.env_id)),
                               ('DELETE', '/api/cluster/v2/tokens/' + mint_id))
    assert result['minted_token_management_token']['deleted'] is True and minted(world) == []
    mint_body = world.requests()[1]['body']
    assert mint_body['expiresIn'] == {'value': 600, 'unit': 'SECONDS'}
    assert mint_body['name'].startswith('clusterops.dynatrace dynatrace_api_token ')
    assert result['environment_url'] == '%s/e/%s' % (world.url, world.env_id)

    world.clear_requests()
    status, again = run_module('dynatrace_api_token', world, **token_task(expiration='now+30d'))
    assert status == 'ok' and again['changed'] is False and again['drift'] == {}, again
    assert 'token' not in again and 'cannot be read again' in again['msg']
    assert again['token_id'] == result['token_id']
    assert len(calls(world)) == 4 and [m for m, p in calls(world)] == ['GET', 'POST', 'GET', 'DELETE']
    assert len(api_tokens(world, world.env_id)) == 1 and minted(world) == []


def test_created_token_result_is_censored_on_display(world):
    run = run_tasks([{'name': 'create', MODULE: token_task()}], emulator=world)
    (entry,) = run.results
    assert entry['censored'] is True and entry['result']['token'].startswith('dt0c01.')
    assert entry['result']['token'].split('.')[2] not in repr(entry['displayed']), entry['displayed']
