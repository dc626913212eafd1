"""The secret lifecycle of the environments role's token folder (docs/reliability.md, "The secret lifecycle").

Each test is one class of defect: a folder that cannot be written, names that collide, a folder of another
cluster, an environment deleted and created again under the same id, a refused token next to created ones, an
expired file, a file of release 1.0.0. Files are compared with the live tokens through the API's lookup (the
emulator's control API never gives a secret).
"""

import json
import stat
import os

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.test_role_onboarding import HANDOFF, INGEST, PAAS, api_requests, run_role, sha256, warnings
from tests.integration.token_truth import token_id_of

LISTING = ('GET', '/api/cluster/v2/environments')


def live(emulator, env_id, name):
    return [t for t in emulator.tokens() if t.get('environment') == env_id and t['name'] == name]


def failure_message(run):
    return json.dumps([entry['result'].get('msg') for entry in run.results if entry['status'] == 'failed'])


def test_a_token_folder_that_cannot_be_written_fails_before_any_request(emulator, tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text('not a folder')
    run = run_role(emulator, [{'name': 'unwritable', 'api_tokens': [PAAS]}], environments_token_dir=str(blocker / 'tokens'))
    assert run.rc != 0
    assert 'cannot hold the secrets this run may create' in failure_message(run), run
    assert api_requests(emulator) == [] and emulator.environments() == []


def test_token_names_that_differ_in_one_character_get_a_file_each(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    tokens = [{'name': 'log ingest', 'scopes': ['logs.ingest']}, {'name': 'log_ingest', 'scopes': ['logs.ingest']}]
    assert run_role(emulator, [{'name': 'names', 'api_tokens': tokens}], environments_token_dir=str(token_dir)).rc == 0
    env_id = creation_id('names')
    for name, file_name in (('log ingest', '%s.log%%20ingest.token'), ('log_ingest', '%s.log_ingest.token')):
        (token,) = live(emulator, env_id, name)
        assert token_id_of(emulator, env_id, (token_dir / (file_name % env_id)).read_text()) == token['id'], name


def test_a_folder_of_another_cluster_is_refused_before_any_request(emulator, emulator_factory, tmp_path):
    token_dir = tmp_path / 'tokens'
    assert run_role(emulator, [{'name': 'prod-team', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir)).rc == 0
    before = dict((path.name, path.read_text()) for path in token_dir.iterdir())
    staging = emulator_factory()
    run = run_role(staging, [{'name': 'prod-team', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir))
    assert run.rc != 0 and 'holds token files of another cluster' in failure_message(run), run
    assert api_requests(staging) == [] and staging.environments() == []
    assert dict((path.name, path.read_text()) for path in token_dir.iterdir()) == before


def test_an_environment_deleted_and_created_again_gets_new_tokens_and_the_old_files_move_aside(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    team = {'name': 'reborn', 'api_tokens': [PAAS, INGEST]}
    assert run_role(emulator, [team], environments_token_dir=str(token_dir)).rc == 0
    env_id = creation_id('reborn')
    assert run_role(emulator, [{'name': 'reborn', 'state': 'absent'}]).rc == 0
    assert emulator.environments() == []
    run = run_role(emulator, [team], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    (paas,) = live(emulator, env_id, 'paas')
    (ingest,) = live(emulator, env_id, 'ingest')
    secret = (token_dir / ('%s.paas.token' % env_id)).read_text()
    assert token_id_of(emulator, env_id, secret) == paas['id']
    assert token_id_of(emulator, env_id, (token_dir / ('%s.ingest.token' % env_id)).read_text()) == ingest['id']
    assert len(list(token_dir.glob('%s.paas.token.replaced-*[0-9]' % env_id))) == 1  # the old secret is not destroyed
    (handoff,) = run.by_task(HANDOFF)
    assert handoff['msg']['paas_sha256']['reborn'] == sha256(secret)


def test_a_refused_token_keeps_the_secrets_created_before_and_after_it(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    env_id = creation_id('partly')
    refused = {'name': 'refused', 'scopes': ['ReadConfig']}
    # The server refuses the second token POST of the item (the first passes, after no delay).
    path = '/e/%s/api/v2/apiTokens' % env_id
    emulator.add_fault(method='POST', path=path, action='delay', seconds=0)
    emulator.add_fault(method='POST', path=path, action='status', status=400, content_type='application/json',
                       body='{"error": {"code": 400, "message": "Token refused by policy"}}')
    run = run_role(emulator, [{'name': 'partly', 'api_tokens': [PAAS, refused, INGEST]}],
                   environments_token_dir=str(token_dir))
    assert run.rc != 0 and 'api_tokens refused' in failure_message(run) and 'refused by policy' in failure_message(run), run
    for name in ('paas', 'ingest'):
        (token,) = live(emulator, env_id, name)
        assert token_id_of(emulator, env_id, (token_dir / ('%s.%s.token' % (env_id, name))).read_text()) == token['id']
    assert not live(emulator, env_id, 'refused') and not (token_dir / ('%s.refused.token' % env_id)).exists()
    # The environment's own token-management token is kept too.
    assert (token_dir / ('%s.token' % env_id)).read_text().startswith('dt0c01.')


def test_an_expired_file_is_not_handed_off_and_says_why(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    assert run_role(emulator, [{'name': 'stale', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir)).rc == 0
    manifest_path = token_dir / ('%s.paas.token.json' % creation_id('stale'))
    manifest = json.loads(manifest_path.read_text())
    manifest['expires_ms'] = 1000  # as if the token had expired long ago
    manifest_path.write_text(json.dumps(manifest))
    run = run_role(emulator, [{'name': 'stale', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir))
    assert run.rc == 0, run
    (handoff,) = run.by_task(HANDOFF)
    assert handoff['msg']['paas_sha256']['stale'] == sha256('None') or handoff['msg']['paas_sha256']['stale'] is None
    warned = ' '.join(warnings(run))
    assert 'not handed to OneAgent' in warned and 'expired' in warned and 'rotate: true' in warned, warned


def test_a_file_without_manifest_is_vouched_for_by_the_cluster_once(emulator, tmp_path):
    token_dir = tmp_path / 'tokens'
    assert run_role(emulator, [{'name': 'legacy', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir)).rc == 0
    env_id = creation_id('legacy')
    manifest_path = token_dir / ('%s.paas.token.json' % env_id)
    manifest_path.unlink()  # as release 1.0.0 wrote it
    run = run_role(emulator, [{'name': 'legacy', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir))
    assert run.rc == 0 and not [w for w in warnings(run) if "rotate" in w], failure_message(run) + json.dumps(warnings(run))
    assert manifest_path.exists() and stat.S_IMODE(os.stat(manifest_path).st_mode) == 0o600
    assert len(live(emulator, env_id, 'paas')) == 1
    emulator.clear_requests()
    assert run_role(emulator, [{'name': 'legacy', 'api_tokens': [PAAS]}], environments_token_dir=str(token_dir)).rc == 0
    assert api_requests(emulator) == [LISTING]
