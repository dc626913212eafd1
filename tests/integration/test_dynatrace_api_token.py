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
    """The options of a task on token 'paas' of team-a; an option given as None is left out."""
    options = dict(dict(environment_name='team-a', name='paas', scopes=['InstallerDownload']), **args)
    return dict((key, value) for key, value in options.items() if value is not None)


def the(run, label):
    """(status, result) of the one task of that name."""
    (entry,) = [entry for entry in run.results if entry['task'] == label]
    return entry['status'], entry['result']


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


def test_different_scopes_are_drift_reported_without_a_write_then_updated_in_place(world):
    run_module('dynatrace_api_token', world, **token_task())
    (before,) = api_tokens(world, world.env_id)
    world.clear_requests()
    status, result = run_module('dynatrace_api_token', world, **token_task(scopes=['InstallerDownload', 'DataExport']))
    assert status == 'ok' and result['changed'] is False, result
    assert result['drift'] == {'scopes': {'current': ['InstallerDownload'], 'desired': ['DataExport', 'InstallerDownload']}}
    assert 'update_existing' in result['msg'] and 'token' not in result
    assert [m for m, p in calls(world)] == ['GET', 'POST', 'GET', 'DELETE']  # no write inside the environment

    world.clear_requests()
    status, result = run_module('dynatrace_api_token', world, update_existing=True,
                                **token_task(scopes=['InstallerDownload', 'DataExport']))
    assert status == 'changed' and 'token' not in result and 'keeps its secret' in result['msg'], result
    (after,) = api_tokens(world, world.env_id)
    assert after['id'] == before['id'] and after['scopes'] == ['DataExport', 'InstallerDownload']
    put = [entry for entry in world.requests() if entry['method'] == 'PUT']
    assert [(e['path'], e['body']) for e in put] == [(tokens_path(world.env_id, '/' + before['id']),
                                                      {'scopes': ['DataExport', 'InstallerDownload']})]
    assert len(world.requests()) == 5


def test_rotate_creates_the_new_token_before_deleting_the_old_one(world):
    first = run_module('dynatrace_api_token', world, **token_task())[1]
    world.clear_requests()
    status, result = run_module('dynatrace_api_token', world, rotate=True, **token_task(expiration='now+7d'))
    assert status == 'changed', result
    assert result['replaced_token_id'] == first['token_id'] and result['token_id'] != first['token_id']
    assert result['token'].startswith(result['token_id'] + '.')
    (stored,) = api_tokens(world, world.env_id)
    assert stored['id'] == result['token_id']
    inside = [(m, p) for m, p in calls(world) if p.startswith('/e/')]
    assert inside == [('GET', tokens_path(world.env_id)), ('POST', tokens_path(world.env_id)),
                      ('DELETE', tokens_path(world.env_id, '/' + first['token_id']))]
    assert len(world.requests()) == 6 and minted(world) == []


def test_absent_deletes_the_token_then_changes_nothing(world):
    created = run_module('dynatrace_api_token', world, **token_task())[1]
    world.clear_requests()
    status, result = run_module('dynatrace_api_token', world, environment_name='team-a', name='paas', state='absent')
    assert status == 'changed' and result['token_id'] == created['token_id'], result
    assert api_tokens(world, world.env_id) == [] and minted(world) == []
    assert ('DELETE', tokens_path(world.env_id, '/' + created['token_id'])) in calls(world)
    assert len(world.requests()) == 5
    world.clear_requests()
    status, result = run_module('dynatrace_api_token', world, environment_name='team-a', name='paas', state='absent')
    assert status == 'ok' and result['changed'] is False and len(world.requests()) == 4


def test_token_management_token_from_environment_creation_needs_no_mint(emulator):
    tasks = [
        {'name': 'environment', 'clusterops.dynatrace.dynatrace_environment': {'name': 'team-b'},
         'register': 'team', 'no_log': True},
        {'name': 'token', MODULE: {'environment_id': '{{ team.environment_id }}', 'name': 'ingest',
                                   'token_management_token': '{{ team.token_management_token }}',
                                   'scopes': ['metrics.ingest', 'logs.ingest']}},
    ]
    run = run_tasks(tasks, emulator=emulator)
    (result,) = run.by_task('token')
    assert result['changed'] is True and result['token'].startswith('dt0c01.'), run
    assert 'minted_token_management_token' not in result
    env_id = result['environment_id']
    assert calls(emulator)[2:] == [('GET', '%s/%s' % (ENVIRONMENTS, env_id)), ('GET', tokens_path(env_id)),
                                   ('POST', tokens_path(env_id))]
    assert [t['scopes'] for t in api_tokens(emulator, env_id) if t['name'] == 'ingest'] == [['logs.ingest', 'metrics.ingest']]


def test_check_mode_creates_nothing_and_returns_no_secret(world):
    status, result = run_module('dynatrace_api_token', world, check=True, **token_task())
    assert status == 'changed' and 'token' not in result and 'would be created' in result['msg'], result
    assert api_tokens(world, world.env_id) == [] and minted(world) == []
    assert [m for m, p in calls(world) if p.startswith('/e/')] == ['GET']

    run_module('dynatrace_api_token', world, **token_task())
    world.clear_requests()
    for args in (dict(rotate=True), dict(state='absent'), dict(update_existing=True, scopes=['DataExport'])):
        status, result = run_module('dynatrace_api_token', world, check=True, **token_task(**args))
        assert status == 'changed' and 'token' not in result, (args, result)
    assert [m for m, p in calls(world) if p.startswith('/e/')] == ['GET'] * 3
    assert len(api_tokens(world, world.env_id)) == 1 and minted(world) == []


BAD_INPUT = [
    (dict(scopes=['InstallerDownload', 'MadeUp.scope']), ['scopes MadeUp.scope', 'not scopes of an environment token']),
    (dict(scopes=['installerdownload']), ['scopes installerdownload', 'case-sensitive']),
    (dict(scopes=['ServiceProviderAPI']), ['scopes ServiceProviderAPI', 'cluster tokens']),
    (dict(scopes=[]), ['scopes must name at least one scope']),
    (dict(scopes=None), ['scopes must name at least one scope']),
    (dict(expiration='2020-01-01'), ["expiration '2020-01-01' is in the past"]),
    (dict(expiration='next tuesday'), ["expiration 'next tuesday' cannot be parsed", 'now+30d']),
    (dict(expiration='now+0d'), ["expiration 'now+0d' cannot be parsed"]),
    (dict(expiration='2027-02-30'), ["expiration '2027-02-30' cannot be parsed"]),
    (dict(name='x' * 101), ['name must be at most 100 characters, got 101']),
    (dict(name='  '), ['name must not be empty']),
    (dict(environment_name=None, environment_id='bad id!'), ["environment_id 'bad id!' does not match [a-zA-Z0-9_-]{1,70}"]),
    (dict(environment_name=''), ['environment_name must not be empty']),
    (dict(rotate='sometimes'), ["argument 'rotate' is of type"]),
    (dict(environment_id='x'), ['mutually exclusive: environment_name|environment_id']),
]


def test_bad_input_fails_before_any_request(world):
    """Every case in one playbook (ignore_errors), each failing with the option and the rule, and no request at all."""
    tasks = [{'name': 'case %d' % index, MODULE: token_task(**args), 'ignore_errors': True}
             for index, (args, dummy) in enumerate(BAD_INPUT)]
    run = run_tasks(tasks, emulator=world)
    for index, (args, words) in enumerate(BAD_INPUT):
        status, result = the(run, 'case %d' % index)
        assert status == 'failed', (args, result)
        for word in words:
            assert word in result['msg'], (args, word, result['msg'])
    assert world.requests() == []


@pytest.mark.parametrize('args, words', [
    (dict(environment_name='team-z'), ['environment_name', 'team-z', 'no environment']),
    (dict(environment_name='TEAM-A'), ['environment_name', 'TEAM-A', 'no environment']),
    (dict(environment_name=None, environment_id='no-such-id'), ['environment_id', 'no-such-id', 'no environment']),
])
def test_an_environment_that_does_not_exist_fails_before_any_write(world, args, words):
    status, result = run_module('dynatrace_api_token', world, **token_task(**args))
    assert status == 'failed', result
    for word in words:
        assert word in result['msg'], (word, result['msg'])
    assert [m for m, p in calls(world)] == ['GET'] and world.tokens() == [t for t in world.tokens() if t['kind'] == 'cluster']


def test_two_tokens_of_one_name_fail_listing_their_ids(world):
    ids = [world.environment_token(world.env_id, scopes=['InstallerDownload'], name='paas').split('.')[1]
           for dummy in range(2)]
    status, result = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'failed' and '2 API tokens' in result['msg'], result
    for token_id in ids:
        assert 'dt0c01.' + token_id in result['msg']
    assert [m for m, p in calls(world) if p.startswith('/e/')] == ['GET'] and minted(world) == []
