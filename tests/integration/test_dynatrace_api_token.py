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
    # The environment's creation (its lookup, the read of its creation id, the PUT), then the token task alone.
    assert calls(emulator)[3:] == [('GET', '%s/%s' % (ENVIRONMENTS, env_id)), ('GET', tokens_path(env_id)),
                                   ('POST', tokens_path(env_id))]
    assert [t['scopes'] for t in api_tokens(emulator, env_id) if t['name'] == 'ingest'] == [['logs.ingest', 'metrics.ingest']]


def test_check_mode_creates_nothing_and_returns_no_secret(world):
    manager = world.environment_token(world.env_id, scopes=['apiTokens.read', 'apiTokens.write'], name='manager')
    status, result = run_module('dynatrace_api_token', world, check=True, **token_task(token_management_token=manager))
    assert status == 'changed' and 'token' not in result and 'would be created' in result['msg'], result
    assert [t['name'] for t in api_tokens(world, world.env_id)] == ['manager'] and minted(world) == []
    assert [m for m, p in calls(world) if p.startswith('/e/')] == ['GET']

    run_module('dynatrace_api_token', world, **token_task())
    world.clear_requests()
    for args in (dict(rotate=True), dict(state='absent'), dict(update_existing=True, scopes=['DataExport'])):
        status, result = run_module('dynatrace_api_token', world, check=True,
                                    **token_task(token_management_token=manager, **args))
        assert status == 'changed' and 'token' not in result, (args, result)
    assert [m for m, p in calls(world) if p.startswith('/e/')] == ['GET'] * 3
    assert len(api_tokens(world, world.env_id)) == 2 and minted(world) == []


def test_check_mode_without_a_token_management_token_mints_nothing_and_says_unknown(world):
    """A mint is a write: check mode does none, so what it cannot read it reports as unknown, not as a change."""
    for args in (dict(), dict(state='absent'), dict(rotate=True)):
        world.clear_requests()
        status, result = run_module('dynatrace_api_token', world, check=True, **token_task(**args))
        assert status == 'ok' and result['unknown'] is True and 'cannot tell' in result['msg'], (args, result)
        assert calls(world) == [('GET', ENVIRONMENTS)], calls(world)  # the environment lookup only
    assert api_tokens(world, world.env_id) == [] and minted(world) == []


BAD_INPUT = [
    (dict(scopes=['InstallerDownload', 'metrics ingest']), ["scopes: 'metrics ingest' is not a well-formed", 'case-sensitive']),
    (dict(scopes=['PaaSIntegration']), ['scopes: PaaSIntegration is not a scope', 'InstallerDownload']),
    (dict(scopes=['ServiceProviderAPI']), ['scopes: ServiceProviderAPI is a scope of cluster tokens']),
    (dict(scopes=[]), ['scopes must name at least one scope']),
    (dict(scopes=None), ['scopes must name at least one scope']),
    (dict(expiration='2020-01-01'), ["expiration '2020-01-01' is in the past"]),
    (dict(expiration='next tuesday'), ["expiration 'next tuesday' cannot be parsed", 'now+30d']),
    (dict(expiration='now+0d'), ["expiration 'now+0d' cannot be parsed"]),
    (dict(expiration='now+90s'), ["expiration 'now+90s' cannot be parsed", 'unit m, h, d, w, M or y']),
    (dict(expiration='2027-02-30'), ["expiration '2027-02-30' cannot be parsed"]),
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


def test_lost_answer_of_a_create_that_happened_is_replaced_never_duplicated(world):
    world.add_fault(method='POST', path=tokens_path(world.env_id), action='drop_after_commit')
    status, result = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'changed' and result['token'].startswith(result['token_id'] + '.'), result
    assert any('secret was lost with the answer' in warning for warning in result['warnings']), result
    (stored,) = api_tokens(world, world.env_id)
    assert stored['id'] == result['token_id']
    inside = [(entry['method'], entry['path'], entry['status']) for entry in world.requests() if entry['path'].startswith('/e/')]
    lost_id = [p for m, p, s in inside if m == 'DELETE'][0].rsplit('/', 1)[-1]
    assert inside == [('GET', tokens_path(world.env_id), 200), ('POST', tokens_path(world.env_id), None),
                      ('GET', tokens_path(world.env_id), 200), ('DELETE', tokens_path(world.env_id, '/' + lost_id), 204),
                      ('POST', tokens_path(world.env_id), 201)]
    assert lost_id != result['token_id'] and minted(world) == []


def test_lost_answer_of_a_create_that_did_not_happen_is_sent_again(world):
    world.add_fault(method='POST', path=tokens_path(world.env_id), action='reset')
    status, result = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'changed' and result['token'].startswith('dt0c01.'), result
    assert len(api_tokens(world, world.env_id)) == 1
    inside = [(m, p) for m, p in calls(world) if p.startswith('/e/')]
    assert inside == [('GET', tokens_path(world.env_id)), ('POST', tokens_path(world.env_id)),
                      ('GET', tokens_path(world.env_id)), ('POST', tokens_path(world.env_id))]


def test_minted_token_is_deleted_when_the_task_fails(world):
    world.add_fault(method='POST', path=tokens_path(world.env_id), action='status', status=400)
    status, result = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'failed' and 'HTTP 400' in result['msg'], result
    assert calls(world)[-1][0] == 'DELETE' and calls(world)[-1][1].startswith('/api/cluster/v2/tokens/dt0c01.')
    assert minted(world) == [] and api_tokens(world, world.env_id) == []


def test_minted_token_left_to_expire_where_the_cluster_cannot_delete_it_then_cleaned_up(world):
    world.configure(cluster_tokens_see_environment_tokens=False)
    status, first = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'changed', first
    (left,) = minted(world)
    assert first['minted_token_management_token'] == dict(id=left['id'], deleted=False,
                                                          expires=first['minted_token_management_token']['expires'])
    assert left['expires_ms'] - left['created_ms'] == 600000
    warning = [w for w in first['warnings'] if 'could not be deleted' in w][0]
    assert left['id'] in warning and 'HTTP 404' in warning and 'expires at' in warning
    assert 'dt0c01.' not in warning.replace(left['id'], '')  # no secret, no other token

    world.configure(clock_offset_ms=11 * 60 * 1000)  # the leftover has expired
    world.clear_requests()
    status, second = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'ok' and second['expired_minted_tokens_deleted'] == [left['id']], second
    assert ('DELETE', tokens_path(world.env_id, '/' + left['id'])) in calls(world)
    assert [t['id'] for t in minted(world)] == [second['minted_token_management_token']['id']]
    # Said once: the listing showed that this cluster keeps minted tokens, so the second run does not warn again.
    assert not [w for w in second.get('warnings') or [] if 'could not be deleted' in w], second

    # dynatrace_api_token_info deletes what an earlier task left to expire, as the warning promised.
    world.configure(clock_offset_ms=22 * 60 * 1000)
    status, info = run_module('dynatrace_api_token_info', world, environment_name='team-a')
    assert status == 'ok' and info['expired_minted_tokens_deleted'] == [second['minted_token_management_token']['id']]
    assert [t['id'] for t in minted(world)] == [info['minted_token_management_token']['id']]
    assert not [t for t in info['api_tokens'] if t['name'].startswith(MINTED_PREFIX)]


def test_refused_mint_names_the_scope_and_the_option(world):
    provider_only = world.create_token(['ServiceProviderAPI'], name='provider only')
    status, result = run_module('dynatrace_api_token', world, api_token=provider_only, **token_task())
    assert status == 'failed', result
    assert 'EnvironmentTokenManagement' in result['msg'] and 'token_management_token' in result['msg']
    assert result['status'] == 403 and minted(world) == []


def test_token_management_token_of_another_environment_is_refused_naming_the_option(world):
    other = world.create_environment('team-other')
    foreign = world.environment_token(other, scopes=['apiTokens.read', 'apiTokens.write'])
    status, result = run_module('dynatrace_api_token', world, token_management_token=foreign, **token_task())
    assert status == 'failed' and result['status'] == 401, result
    assert 'token_management_token was not accepted in environment %s' % world.env_id in result['msg']
    assert foreign.split('.')[2] not in result['msg']
    reader = world.environment_token(world.env_id, scopes=['apiTokens.read'])
    status, result = run_module('dynatrace_api_token', world, token_management_token=reader, **token_task())
    assert status == 'failed' and result['status'] == 403 and 'apiTokens.write' in result['msg'], result


def test_expired_token_is_drift_and_update_existing_replaces_it(world):
    world.environment_token(world.env_id, scopes=['InstallerDownload'], name='paas', expires_in_ms=1)
    status, result = run_module('dynatrace_api_token', world, **token_task())
    assert status == 'ok' and result['drift'] == {'expired': {'current': True, 'desired': False}}, result
    status, result = run_module('dynatrace_api_token', world, update_existing=True, **token_task())
    assert status == 'changed' and result['token'].startswith('dt0c01.') and result['replaced_token_id'], result
    (stored,) = api_tokens(world, world.env_id)
    assert stored['id'] == result['token_id'] and stored['expires_ms'] is None


def test_info_lists_metadata_without_secrets_or_the_minted_token(world):
    created = run_module('dynatrace_api_token', world, **token_task(expiration='now+30d'))[1]
    run_module('dynatrace_api_token', world, **token_task(name='ingest', scopes=['metrics.ingest', 'logs.ingest']))
    world.clear_requests()
    status, result = run_module('dynatrace_api_token_info', world, environment_name='team-a')
    assert status == 'ok' and result['changed'] is False, result
    by_name = dict((token['name'], token) for token in result['api_tokens'])
    assert sorted(by_name) == ['ingest', 'paas']
    paas = by_name['paas']
    assert paas['id'] == created['token_id'] and paas['scopes'] == ['InstallerDownload'] and paas['expired'] is False
    assert paas['expiration_date'].endswith('Z') and paas['owner'] and paas['creation_date']
    assert created['token'] not in repr(result) and created['token'].split('.')[2] not in repr(result)
    assert len(world.requests()) == 4 and minted(world) == []
    status, result = run_module('dynatrace_api_token_info', world, environment_id=world.env_id, name='ingest')
    assert [token['name'] for token in result['api_tokens']] == ['ingest']
