"""Cluster API v2: /api/cluster/v2/environments."""

import json
import re

from fastapi import APIRouter, Depends, Request, Response

from . import ENVIRONMENT_TOKEN_SCOPES
from .access import require
from .defaults import new_environment, new_id
from .errors import ApiError, constraints_violated, json_response, violation
from .models import ID_PATTERN, Environment, TokenRequest, validate
from .rules import apply_body, policy_violations
from .store import SORTS, decode_cursor, encode_cursor
from .tokens import UNIT_MS, Token, generate_token, public_part

router = APIRouter(prefix='/api/cluster/v2')
cluster_token = require('ServiceProviderAPI')
LIST_PARAMETERS = ('pageSize', 'sort', 'filter', 'includeConsumptionInfo', 'includeStorageInfo',
                   'includeUncachedConsumptionInfo', 'nextPageKey')
DPS_422 = ('Consumption information is not available under Dynatrace Platform Subscription (DPS) licensing; '
           'request the environments without includeConsumptionInfo and includeUncachedConsumptionInfo.')


def query_violation(name, message):
    return constraints_violated([violation(name, message, 'QUERY')])


def flag(request, name):
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() not in ('true', 'false'):
        raise query_violation(name, 'must be true or false')
    return value.lower() == 'true'


def consumption_flag(request, emulator):
    """Whether quotas are wanted; 422 under DPS, where consumption info does not exist."""
    wanted = flag(request, 'includeConsumptionInfo') or flag(request, 'includeUncachedConsumptionInfo')
    if wanted and emulator.settings.license == 'dps':
        raise ApiError(422, DPS_422)
    return wanted


def present(env, quotas, storage):
    """An environment as the API shows it: quotas and storage only when asked for."""
    shown = {key: env[key] for key in ('name', 'id', 'trial', 'state', 'tags', 'creationDate')}
    if quotas:
        shown['quotas'] = env['quotas']
    if storage:
        shown['storage'] = env['storage']
    return shown


def page_size(request):
    raw = request.query_params.get('pageSize', '100')
    if not raw.lstrip('-').isdigit():
        raise query_violation('pageSize', 'must be an integer')
    if not 1 <= int(raw) <= 1000:
        raise query_violation('pageSize', 'must be between 1 and 1000')
    return int(raw)


def list_query(request, emulator):
    """The query of this page: from the cursor, or from the parameters of a first page."""
    key = request.query_params.get('nextPageKey')
    if key is not None:
        others = sorted({name for name in request.query_params.keys() if name != 'nextPageKey'})
        if others:
            raise query_violation(others[0], 'must be omitted when nextPageKey is set (the key carries the whole query)')
        query = decode_cursor(key)
        if query.get('quotas') and emulator.settings.license == 'dps':
            raise ApiError(422, DPS_422)
        return query
    sort = request.query_params.get('sort')
    if sort is not None and sort not in SORTS:
        raise query_violation('sort', 'must be one of name, -name, creationDate, -creationDate')
    return {'filter': request.query_params.get('filter'), 'sort': sort, 'pageSize': page_size(request),
            'quotas': consumption_flag(request, emulator), 'storage': flag(request, 'includeStorageInfo'), 'offset': 0}


@router.get('/environments')
async def list_environments(request: Request, emulator=Depends(cluster_token)):
    query = list_query(request, emulator)
    total, envs, following = emulator.store.page(query)
    return json_response({
        'totalCount': total,
        'pageSize': query['pageSize'],
        'nextPageKey': encode_cursor(following) if following else None,
        'environments': [present(env, query['quotas'], query['storage']) for env in envs],
    })


async def json_body(request):
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, 'Could not parse the request body as JSON.') from error


def check_environment_body(body, stored, emulator, id_rule):
    """All violations of one body are reported together; nothing is stored when there is any."""
    if not isinstance(body, dict):
        raise constraints_violated(validate(Environment, body))
    violations = validate(Environment, body) + policy_violations(body, stored, emulator.settings)
    id_violations = id_rule(body)
    if id_violations:  # one violation per field: the id rule replaces a pattern error on the same field
        violations = id_violations + [found for found in violations if found['path'] != 'id']
    if violations:
        raise constraints_violated(violations)


def posted_id_violations(body):
    if body.get('id') is not None:
        return [violation('id', 'must not be set: the server assigns the ID of a new environment')]
    return []


def put_id_violations(body, env_id):
    if body.get('id') not in (None, env_id):
        return [violation('id', 'must be the ID of the path or be omitted')]
    return []


def create(request, emulator, body, env_id):
    """Store a new environment; the 201 answer of POST and of a creating PUT."""
    env = apply_body(new_environment(body['name'], env_id, emulator.now_ms(), emulator.unavailable(), emulator.rng),
                     body, emulator.rng)
    emulator.store.put(env)
    answer = {'id': env['id'], 'name': env['name']}
    if flag(request, 'createToken'):
        answer['tokenManagementToken'] = issue_token(emulator, env['id'], None).value
    emulator.save()
    location = str(request.base_url).rstrip('/') + f'/api/cluster/v2/environments/{env["id"]}'
    return json_response(answer, 201, {'Location': location})


def issue_token(emulator, env_id, expires_in_ms):
    token = Token(generate_token(), frozenset(ENVIRONMENT_TOKEN_SCOPES), env_id,
                  None if expires_in_ms is None else emulator.now_ms() + expires_in_ms, created=True)
    emulator.add_token(token)
    return token


@router.post('/environments')
async def create_environment(request: Request, emulator=Depends(cluster_token)):
    flag(request, 'createToken')
    body = await json_body(request)
    check_environment_body(body, None, emulator, posted_id_violations)
    return create(request, emulator, body, new_id())


def stored_or_404(emulator, env_id):
    env = emulator.store.get(env_id)
    if env is None:
        raise ApiError(404, f'Environment {env_id} not found.')
    return env


@router.get('/environments/{env_id}')
async def get_environment(request: Request, env_id: str, emulator=Depends(cluster_token)):
    quotas, storage = consumption_flag(request, emulator), flag(request, 'includeStorageInfo')
    return json_response(present(stored_or_404(emulator, env_id), quotas, storage))


@router.put('/environments/{env_id}')
async def put_environment(request: Request, env_id: str, emulator=Depends(cluster_token)):
    """An upsert: 204 when it updated, 201 when it created the environment with this id."""
    flag(request, 'createToken')
    if not re.match(ID_PATTERN, env_id):
        raise constraints_violated([violation('id', 'must match "[a-zA-Z0-9_-]{1,70}"', 'PATH')])
    body = await json_body(request)
    stored = emulator.store.get(env_id)
    check_environment_body(body, stored, emulator, lambda sent: put_id_violations(sent, env_id))
    if stored is None:
        return create(request, emulator, body, env_id)
    emulator.store.put(apply_body(stored, body, emulator.rng))
    emulator.save()
    return Response(status_code=204)


@router.delete('/environments/{env_id}')
async def delete_environment(env_id: str, emulator=Depends(cluster_token)):
    env = stored_or_404(emulator, env_id)
    if env['state'] == 'ENABLED':
        raise ApiError(400, f'Environment {env_id} is ENABLED: disable it (state DISABLED) before deleting it.')
    emulator.store.delete(env_id)
    emulator.save()
    return Response(status_code=204)


@router.post('/environments/{env_id}/tokenManagementToken')
async def create_token_management_token(request: Request, env_id: str,
                                        emulator=Depends(require('EnvironmentTokenManagement'))):
    stored_or_404(emulator, env_id)
    body = await json_body(request)
    violations = validate(TokenRequest, body)
    if violations:
        raise constraints_violated(violations)
    expires = body.get('expiresIn')
    token = issue_token(emulator, env_id, expires['value'] * UNIT_MS[expires.get('unit')] if expires else None)
    return json_response({'token': token.value}, 201, {'Location': public_part(token.value)})
