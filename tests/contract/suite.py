"""The probes of the contract kit: read-only ones, and one short create/delete cycle on prefixed scratch objects.

Run against a target (the emulator, or a cluster the user names): every answer's shape is kept by probe
name (shape.py); nothing else of an answer is kept. The write cycle runs only with an explicit prefix:
it creates two environments (one by PUT under an id, one by POST with createToken), a token-management
token, an API token with a current scope and a group with a permission, all named with the prefix, and
deletes them in `finally`, even after a failure; what it could not remove is reported.
"""

import json
import re

import requests

from .shape import answer_shape, scrub, strings_in

CLUSTER_V2 = '/api/cluster/v2'
GROUPS = '/api/v1.0/onpremise/groups'
PREFIX_RULE = re.compile(r'^[a-z][a-z0-9-]{2,30}$')
NO_SUCH_ENVIRONMENT = 'contract-no-such-environment'
LIST_FIELDS = '+scopes,+expirationDate,+lastUsedDate,+lastUsedIpAddress,+modifiedDate,+personalAccessToken'
FAKE_TOKEN = 'dt0c01.CONTRACTPROBE0000000000000.' + '0' * 64
TIMEOUT = 30


class Target:
    """Where the probes go: a URL, a cluster token, TLS verification (a CA file or the system's)."""

    def __init__(self, url, cluster_token, ca_path=None, prefix=None):
        self.url = url.rstrip('/')
        self.cluster_token = cluster_token
        self.verify = ca_path or True
        self.prefix = prefix


class Run:
    """One run of the suite: the shapes by probe name, every value seen (never written), what was left behind."""

    def __init__(self, target):
        self.target = target
        self.session = requests.Session()
        self.shapes = {}
        self.known = {target.cluster_token, target.cluster_token.rsplit('.', 1)[-1], target.url}
        if target.prefix:
            self.known.add(target.prefix)
        self.leftovers = []

    def call(self, probe, method, path, token=None, **options):
        """Send one request; record its shape under `probe` (None records nothing); return (status, body, text)."""
        headers = dict(options.pop('headers', {}))
        if token is not None:
            headers['Authorization'] = 'Api-Token ' + token
            self.known.update((token, token.rsplit('.', 1)[-1]))
        response = self.session.request(method, self.target.url + path, headers=headers, verify=self.target.verify,
                                        timeout=TIMEOUT, allow_redirects=False, **options)
        body = None
        if response.content and 'json' in response.headers.get('content-type', ''):
            try:
                body = response.json()
            except ValueError:
                body = None
        self.known.update(strings_in(body))
        if 'json' not in response.headers.get('content-type', '') and response.text.strip():
            self.known.add(response.text.strip())
        if probe:
            self.shapes[probe] = answer_shape(response.status_code, response.headers.get('content-type'),
                                              response.headers, body, response.text, self.known)
        return response.status_code, body, response.text

    def cluster(self, probe, method, path, **options):
        return self.call(probe, method, path, token=self.target.cluster_token, **options)

    def recording(self, cluster_version, kind):
        """The recording of this run: no value of the cluster, only shapes (the version names the file). Error texts
        are scrubbed once more with every value seen in the whole run."""
        probes = {}
        for name, shape in sorted(self.shapes.items()):
            shape = dict(shape)
            if 'error' in shape:
                shape['error'] = scrub(shape['error'], self.known - {cluster_version})
                shape['violations'] = sorted(scrub(text, self.known - {cluster_version}) for text in shape['violations'])
            probes[name] = shape
        return {'cluster_version': cluster_version, 'target': kind, 'probes': probes}


def cluster_version(run):
    status, body, dummy = run.cluster('product_version', 'GET', '/api/v1.0/onpremise/nodeManagement/productVersion')
    version = body.get('productVersion') if status == 200 and isinstance(body, dict) else None
    return version if isinstance(version, str) and re.match(r'^\d+\.\d+\.\d+\.\d{8}-\d{6}$', version) else 'unknown'


def read_only_probes(run):
    """Versions, the listing with every flag and a cursor, groups, and the errors of unknown ids and bad tokens."""
    version = cluster_version(run)
    _learn_names(run)
    listing = {'pageSize': 1, 'sort': 'name', 'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true',
               'includeUncachedConsumptionInfo': 'true'}
    status, body, dummy = run.cluster('environments_every_flag', 'GET', CLUSTER_V2 + '/environments', params=listing)
    key = body.get('nextPageKey') if status == 200 and isinstance(body, dict) else None
    if key:
        run.known.add(key)
        run.cluster('environments_next_page', 'GET', CLUSTER_V2 + '/environments', params={'nextPageKey': key})
        run.cluster('environments_cursor_with_page_size', 'GET', CLUSTER_V2 + '/environments',
                    params={'nextPageKey': key, 'pageSize': 1})
    run.cluster('environments_plain', 'GET', CLUSTER_V2 + '/environments', params={'pageSize': 1})
    run.cluster('environment_unknown', 'GET', '%s/environments/%s' % (CLUSTER_V2, NO_SUCH_ENVIRONMENT))
    run.cluster('groups', 'GET', GROUPS)
    run.call('no_authorization', 'GET', CLUSTER_V2 + '/environments')
    run.call('unknown_token', 'GET', CLUSTER_V2 + '/environments', token=FAKE_TOKEN)
    run.cluster('tenant_unknown', 'GET', '/e/%s/api/v1/time' % NO_SUCH_ENVIRONMENT, headers={'Accept': 'text/plain'})
    return version


def _learn_names(run):
    """Read (without recording) every environment's and group's values, so no error text can carry them."""
    params = {'pageSize': 1000}
    for dummy in range(100):
        status, body, dummy = run.cluster(None, 'GET', CLUSTER_V2 + '/environments', params=params)
        if status != 200 or not isinstance(body, dict) or not body.get('nextPageKey'):
            break
        params = {'nextPageKey': body['nextPageKey']}
    run.cluster(None, 'GET', GROUPS)


def write_cycle(run, report):
    """Create the prefixed scratch objects, probe them, and delete them in `finally` (leftovers to `report`)."""
    made = {'environments': [], 'groups': [], 'api_tokens': [], 'cluster_tokens': []}
    try:
        _create_and_probe(run, made)
    finally:
        _clean_up(run, made)
        for leftover in run.leftovers:
            report('could not remove %s' % leftover)


def _create_and_probe(run, made):
    prefix = run.target.prefix
    put_id = '%s-put' % prefix
    status, dummy, dummy = run.cluster('environment_create_by_put', 'PUT', '%s/environments/%s' % (CLUSTER_V2, put_id),
                                       json={'name': '%s put' % prefix, 'state': 'DISABLED'})
    if status in (200, 201, 204):
        made['environments'].append((put_id, '%s put' % prefix))
    run.cluster('environment_get', 'GET', '%s/environments/%s' % (CLUSTER_V2, put_id))
    status, body, dummy = run.cluster('environment_create_by_post', 'POST', CLUSTER_V2 + '/environments',
                                      params={'createToken': 'true'}, json={'name': '%s post' % prefix})
    if status != 201 or not isinstance(body, dict) or not body.get('id'):
        return
    env_id, management = body['id'], body.get('tokenManagementToken')
    made['environments'].append((env_id, '%s post' % prefix))
    status, body, dummy = run.cluster('token_management_token', 'POST', '%s/environments/%s/tokenManagementToken'
                                      % (CLUSTER_V2, env_id), json={'name': '%s tmt' % prefix,
                                                                    'expiresIn': {'value': 300, 'unit': 'SECONDS'}})
    if status == 201 and isinstance(body, dict) and body.get('token'):
        made['cluster_tokens'].append(body['token'].rsplit('.', 1)[0])
        management = management or body['token']
    if management:
        _api_token_probes(run, made, env_id, management)
    _group_probes(run, made, env_id)


def _api_token_probes(run, made, env_id, management):
    tokens = '/e/%s/api/v2/apiTokens' % env_id
    status, body, dummy = run.call('api_token_create', 'POST', tokens, token=management, json={
        'name': '%s probe' % run.target.prefix, 'scopes': ['DataExport', 'metrics.ingest'], 'expirationDate': 'now+1h'})
    if status != 201 or not isinstance(body, dict) or not body.get('token'):
        return
    made['api_tokens'].append((env_id, body['id'], management))
    probe_token = body['token']
    run.call('environment_time', 'GET', '/e/%s/api/v1/time' % env_id, token=probe_token, headers={'Accept': 'text/plain'})
    run.call('environment_cluster_version', 'GET', '/e/%s/api/v1/config/clusterversion' % env_id, token=probe_token)
    run.call('api_tokens_list', 'GET', tokens, token=management, params={'pageSize': 100, 'fields': LIST_FIELDS})
    run.call('api_token_get', 'GET', '%s/%s' % (tokens, body['id']), token=management)
    run.call('api_token_lookup_any_scope', 'POST', tokens + '/lookup', token=probe_token, json={'token': probe_token})
    run.call('api_token_unknown_scope', 'POST', tokens, token=management,
             json={'name': '%s refused' % run.target.prefix, 'scopes': ['contractProbe.noSuchScope']})


def _group_probes(run, made, env_id):
    name = '%s-group' % run.target.prefix
    status, body, dummy = run.cluster('group_create', 'POST', GROUPS, json={
        'name': name, 'isClusterAdminGroup': False, 'accessRight': {'VIEWER': [env_id]}})
    if isinstance(body, dict) and body.get('id'):
        made['groups'].append(body['id'])
        run.cluster('group_get', 'GET', '%s/%s' % (GROUPS, body['id']))
    run.cluster('group_unknown_permission', 'POST', GROUPS, json={
        'name': name + '-refused', 'isClusterAdminGroup': False, 'accessRight': {'CONTRACT_NO_SUCH_PERMISSION': [env_id]}})


def _clean_up(run, made):
    """Delete what the cycle made, newest first; every failure is a leftover, none stops the rest."""
    prefix = run.target.prefix
    status, groups, dummy = run.cluster(None, 'GET', GROUPS)
    for group in groups if status == 200 and isinstance(groups, list) else []:
        if isinstance(group, dict) and str(group.get('name', '')).startswith(prefix) and group.get('id') not in made['groups']:
            made['groups'].append(group['id'])  # a refused create that the cluster made after all
    for env_id, token_id, management in made['api_tokens']:
        _remove(run, 'api_token_delete', 'DELETE', '/e/%s/api/v2/apiTokens/%s' % (env_id, token_id),
                'API token %s' % token_id, token=management)
    for group_id in made['groups']:
        _remove(run, 'group_delete', 'DELETE', '%s/%s' % (GROUPS, group_id), 'group %s' % group_id)
    for token_id in made['cluster_tokens']:
        _remove(run, None, 'DELETE', '%s/tokens/%s' % (CLUSTER_V2, token_id), 'token-management token %s' % token_id,
                gone=(404,))
    for env_id, name in made['environments']:
        run.cluster('environment_disable', 'PUT', '%s/environments/%s' % (CLUSTER_V2, env_id),
                    json={'name': name, 'state': 'DISABLED'})
        _remove(run, 'environment_delete', 'DELETE', '%s/environments/%s' % (CLUSTER_V2, env_id), 'environment %s' % env_id)


def _remove(run, probe, method, path, what, token=None, gone=()):
    try:
        status, dummy, dummy = run.call(probe, method, path, token=token or run.target.cluster_token)
    except requests.RequestException as exc:
        run.leftovers.append('%s (%s)' % (what, type(exc).__name__))
        return
    if status not in (200, 204) + tuple(gone):
        run.leftovers.append('%s (HTTP %s)' % (what, status))


def run_suite(target, kind, report=print):
    """Run every probe against `target`; return (recording, leftovers). Without a prefix nothing is written."""
    run = Run(target)
    version = read_only_probes(run)
    if target.prefix:
        write_cycle(run, report)
    else:
        report('no prefix given: the read-only probes ran, nothing was created')
    return run.recording(version, kind), run.leftovers


def write_recording(folder, recording, name=None):
    """tests/contract/recordings/<cluster version>.json (sorted, stable); returns its path."""
    import os  # pylint: disable=import-outside-toplevel
    path = os.path.join(folder, '%s.json' % (name or recording['cluster_version']))
    text = json.dumps(recording, indent=1, sort_keys=True)
    text = re.sub(r'\[\n\s*("[a-z]+")\n\s*\]', r'[\1]', text)  # a list of one type on one line
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text + '\n')
    return path
