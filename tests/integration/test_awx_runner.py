"""The AWX credential type of docs/awx/credential_type.yml, run as AWX runs a job.

The credential's injectors are rendered under AWX's rules (tests/integration/awx.py: a boolean the credential
does not set is False, Jinja templates for env and file injectors), the private data dir is laid out as AWX
lays it out (project/, inventory/hosts, env/envvars, env/extravars, env/settings), the collection is installed
from its built tarball, and `ansible-runner run` (process isolation off) runs the job against an emulator
whose certificate is signed by a throwaway CA that nothing trusts by default.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration import awx
from tests.integration.secret_scan import TOKEN_PATTERN

BIN = Path(sys.executable).parent

PLAYBOOK = [{
    'name': 'Provision through the Dynatrace Managed cluster credential',
    'hosts': 'localhost',
    'gather_facts': False,
    'tasks': [
        {'name': 'Read the environments of the cluster',
         'clusterops.dynatrace.dynatrace_environment_info': {},
         'register': 'existing'},
        {'name': 'Create the environment awx-job',
         'clusterops.dynatrace.dynatrace_environment': {'name': 'awx-job'},
         'register': 'created',
         'no_log': True},
        {'name': 'Keep the token of the new environment',
         'ansible.builtin.copy': {'content': '{{ created.token_management_token }}', 'dest': '{{ token_file }}',
                                  'mode': '0600'},
         'when': 'created.token_management_token is defined',
         'no_log': True},
        {'name': 'Run the role with the same credential',
         'ansible.builtin.include_role': {'name': 'clusterops.dynatrace.environments'},
         'vars': {'environments_list': [{'name': 'awx-job'}, {'name': 'awx-role', 'create_token': False}]}},
    ],
}]


@pytest.fixture(scope='module')
def installed_collection(collection_tarball, tmp_path_factory):
    """The collection installed from its tarball, as a project's collections/requirements.yml installs it (AWX
    puts it in the job's requirements_collections folder)."""
    target = tmp_path_factory.mktemp('awx-collection') / 'requirements_collections'
    # Only the target on the collections path: the checkout's own tree would count as installed already.
    subprocess.run([str(BIN / 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', str(target),
                    str(collection_tarball)], check=True, capture_output=True, text=True, timeout=120,
                   env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(target)))
    assert (target / 'ansible_collections' / 'clusterops' / 'dynatrace' / 'MANIFEST.json').is_file()
    return target


@pytest.fixture(scope='module')
def credential_type():
    definition = awx.load_credential_type()
    awx.validate(definition)
    return definition


def run_job(tmp_path, credential_type, inputs, collections_path):
    """Inject the credential, lay out the private data dir, run the job; return (status, rc, artifacts, env)."""
    pdd = tmp_path / 'pdd'
    env = awx.inject(credential_type, inputs, pdd)[0]
    awx.write_private_data_dir(pdd, PLAYBOOK, env, collections_path,
                               extravars={'awx_job_id': 42, 'token_file': str(tmp_path / 'awx-job.token')})
    completed = subprocess.run([str(BIN / 'ansible-runner'), 'run', str(pdd), '-p', 'site.yml', '--ident', 'job'],
                               capture_output=True, text=True, timeout=300, check=False,
                               env={'PATH': '%s:/usr/bin:/bin' % BIN, 'HOME': str(tmp_path), 'LANG': 'C.UTF-8'})
    artifacts = pdd / 'artifacts' / 'job'
    assert (artifacts / 'status').exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    return (artifacts / 'status').read_text().strip(), int((artifacts / 'rc').read_text()), artifacts, env


def job_output(artifacts):
    """What AWX shows and stores of a job: its events and stdout (not the runner's own `command` file, whose
    environment AWX keeps only in the hidden form of build_safe_env)."""
    texts = [path.read_text(encoding='utf-8') for path in sorted((artifacts / 'job_events').glob('*.json'))]
    return texts, (artifacts / 'stdout').read_text(encoding='utf-8')


def events_of(texts, event):
    return [json.loads(text) for text in texts if json.loads(text)['event'] == event]


def test_the_credential_type_is_valid_and_hides_the_token_in_the_job_environment(credential_type, tmp_path):
    env, safe_env = awx.inject(credential_type, {'url': 'https://dt.example.com', 'api_token': 'dt0c01.X.Y'},
                               tmp_path)
    assert safe_env['DYNATRACE_API_TOKEN'] == '**********'
    assert awx.hidden_in_job_env('DYNATRACE_API_TOKEN')
    # Omitted boolean (False in AWX) and omitted CA: verification on, system trust store.
    assert env['DYNATRACE_VALIDATE_CERTS'] == 'true'
    assert env['DYNATRACE_CA_PATH'] == ''
    env = awx.inject(credential_type, {'url': 'u', 'api_token': 't', 'skip_tls_verify': True}, tmp_path)[0]
    assert env['DYNATRACE_VALIDATE_CERTS'] == 'false'


def test_an_omitted_boolean_turned_verification_off_in_the_type_this_replaces(tmp_path):
    """The earlier guide's type: `validate_certs` with `default: true` injected as is. AWX renders it False for a
    credential made without it (API, awx.awx.credential, configuration as code)."""
    old = {'inputs': {'fields': [{'id': 'url', 'type': 'string', 'label': 'URL'},
                                 {'id': 'api_token', 'type': 'string', 'label': 'Token', 'secret': True},
                                 {'id': 'validate_certs', 'type': 'boolean', 'label': 'Verify', 'default': True}]},
           'injectors': {'env': {'DYNATRACE_VALIDATE_CERTS': '{{ validate_certs }}'}}}
    env = awx.inject(old, {'url': 'u', 'api_token': 't'}, tmp_path)[0]
    assert env['DYNATRACE_VALIDATE_CERTS'] == 'False'


def test_job_with_the_ca_from_the_credential_succeeds_with_verification_on(
        emulator_factory, credential_type, installed_collection, tmp_path):
    cluster = emulator_factory(tls=True)
    inputs = {'url': cluster.url, 'api_token': cluster.token, 'ca_bundle': Path(cluster.ca_path).read_text()}
    status, rc, artifacts, env = run_job(tmp_path, credential_type, inputs, installed_collection)
    events, stdout = job_output(artifacts)
    assert (status, rc) == ('successful', 0), stdout[-4000:]
    assert env['DYNATRACE_VALIDATE_CERTS'] == 'true'
    assert Path(env['DYNATRACE_CA_PATH']).read_text() == inputs['ca_bundle']
    assert Path(env['DYNATRACE_CA_PATH']).parent == tmp_path / 'pdd' / 'env'
    assert not [e for e in events_of(events, 'runner_on_ok') if e['event_data'].get('res', {}).get('warnings')]
    # The module, the role and the token file all worked over verified TLS.
    assert sorted(environment['name'] for environment in cluster.environments()) == ['awx-job', 'awx-role']
    created_token = (tmp_path / 'awx-job.token').read_text()
    assert TOKEN_PATTERN.fullmatch(created_token)
    # No secret in what AWX shows and stores of the job.
    secrets = [cluster.token, cluster.token.rsplit('.', 1)[1], created_token, created_token.rsplit('.', 1)[1]]
    for text in events + [stdout]:
        assert not [secret for secret in secrets if secret in text]
        assert not TOKEN_PATTERN.search(text)
    # The creation that returned a token is displayed without its result; the role names what it created.
    job_id = next(e['id'] for e in cluster.environments() if e['name'] == 'awx-job')
    assert 'awx-role' in stdout and job_id not in stdout, stdout


def test_job_without_the_ca_fails_although_the_credential_sets_no_verification_field(
        emulator_factory, credential_type, installed_collection, tmp_path):
    cluster = emulator_factory(tls=True)
    # As awx.awx.credential or the API creates it: neither the CA nor the skip_tls_verify field.
    inputs = {'url': cluster.url, 'api_token': cluster.token}
    status, rc, artifacts, env = run_job(tmp_path, credential_type, inputs, installed_collection)
    events, stdout = job_output(artifacts)
    assert (status, rc) == ('failed', 2), stdout[-4000:]
    (failure,) = events_of(events, 'runner_on_failed')
    assert failure['event_data']['task'] == 'Read the environments of the cluster'
    assert 'certificate verify failed' in failure['event_data']['res']['msg']
    assert env['DYNATRACE_VALIDATE_CERTS'] == 'true'
    # The handshake failed: no request reached the cluster, nothing was created.
    assert cluster.requests() == [] and cluster.environments() == []
    for text in events + [stdout]:
        assert cluster.token not in text and not TOKEN_PATTERN.search(text)
