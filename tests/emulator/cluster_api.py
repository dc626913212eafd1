"""Cluster API v2: /api/cluster/v2/environments."""

import re

from fastapi import APIRouter, Depends, Request, Response

from . import ENVIRONMENT_TOKEN_SCOPES
from .access import cluster_token
from .cursor import decode_cursor, encode_cursor
from .defaults import new_environment, new_id
from .errors import ApiError, constraints_violated, json_body, json_response, violation
from .models import ID_PATTERN, Environment, TokenRequest, validate
from .profiles import incoming, shown_quotas, shown_storage
from .rules import apply_body, policy_violations
from .store import SORTS
from .tokens import UNIT_MS

router = APIRouter(prefix='/api/cluster/v2')
provider_token = cluster_token('ServiceProviderAPI')
CREATED_TOKEN_LIFETIME_MS = 24 * 3_600_000  # the token of createToken, like the console's, lives a day
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


def present(env, quotas, storage, settings):
    """An environment as the API shows it: quotas and storage only when asked for, in the cluster's profile."""
    shown = {key: env[key] for key in ('name', 'id', 'trial', 'state', 'tags', 'creationDate')}
    if quotas:
        shown['quotas'] = shown_quotas(env['quotas'], settings)
    if storage:
        shown['storage'] = shown_storage(env['storage'], settings)
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
        query = decode_cursor(key, 'environments')
        if query.get('quotas') and emulator.settings.license == 'dps':
            raise ApiError(422, DPS_422)
        return query
    sort = request.query_params.get('sort')
    if sort is not None and sort not in SORTS:
        raise query_violation('sort', 'must be one of name, -name, creationDate, -creationDate')
    return {'list': 'environments', 'filter': request.query_params.get('filter'), 'sort': sort,
            'pageSize': page_size(request), 'quotas': consumption_flag(request, emulator),
            'storage': flag(request, 'includeStorageInfo'), 'after': None}


def next_query(query, last, settings):
    """The query the next page's cursor carries; without cursor_keeps_includes it drops the include flags."""
    following = dict(query, after=last)
    if not settings.cursor_keeps_includes:
        following.pop('quotas', None)
        following.pop('storage', None)
    return following


@router.get('/environments')
async def list_environments(request: Request, emulator=Depends(provider_token)):
    query = list_query(request, emulator)
    total, envs, last = emulator.store.page(query, emulator.settings.tag_filter_matching == 'loose')
    settings = emulator.settings
    return json_response({
        'totalCount': total,
        'pageSize': query['pageSize'],
        'nextPageKey': encode_cursor(next_query(query, last, settings)) if last else None,
        'environments': [present(env, query.get('quotas'), query.get('storage'), settings) for env in envs],
    })


def one_per_field(first, others):
    """`first` and those of `others` on fields `first` does not already name (one violation per field)."""
    named = [found['path'] for found in first]
    return first + [found for found in others
                    if not any(found['path'] == path or found['path'].startswith(path + '.') for path in named)]


def check_environment_body(body, stored, emulator, id_rule):
    """All violations of one body are reported together; nothing is stored when there is any."""
    if not isinstance(body, dict):
        raise constraints_violated(validate(Environment, body))
    violations = one_per_field(id_rule(body) + policy_violations(body, stored, emulator.settings),
                               validate(Environment, body))
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
    """Store a new environment (zero usage); the 201 answer of POST and of a creating PUT."""
    env = apply_body(new_environment(body['name'], env_id, emulator.now_ms()), incoming(body, emulator.settings))
    emulator.store.put(env)
    answer = {'id': env['id'], 'name': env['name']}
    if flag(request, 'createToken'):
        token = emulator.issue_token(ENVIRONMENT_TOKEN_SCOPES, env['id'], 'Token management token',
                                     CREATED_TOKEN_LIFETIME_MS, request.state.token.owner)
        answer['tokenManagementToken'] = token.value
    emulator.save()
    location = str(request.base_url).rstrip('/') + f'/api/cluster/v2/environments/{env["id"]}'
    return json_response(answer, 201, {'Location': location})


@router.post('/environments')
async def create_environment(request: Request, emulator=Depends(provider_token)):
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
async def get_environment(request: Request, env_id: str, emulator=Depends(provider_token)):
    quotas, storage = consumption_flag(request, emulator), flag(request, 'includeStorageInfo')
    return json_response(present(stored_or_404(emulator, env_id), quotas, storage, emulator.settings))


@router.put('/environments/{env_id}')
async def put_environment(request: Request, env_id: str, emulator=Depends(provider_token)):
    """An upsert: 204 when it updated, 201 when it created the environment with this id."""
    flag(request, 'createToken')
    if not re.match(ID_PATTERN, env_id):
        raise constraints_violated([violation('id', 'must match "[a-zA-Z0-9_-]{1,70}"', 'PATH')])
    body = await json_body(request)
    # No await from here on: concurrent PUTs of one id act one after the other, like inserts of one
    # primary key, so exactly one of them creates (201) and the others update (204).
    stored = emulator.store.get(env_id)
    if stored is None and not emulator.settings.reuse_deleted_ids and env_id in emulator.deleted_ids:
        raise constraints_violated([violation('id', 'must not be the ID of a deleted environment', 'PATH')])
    check_environment_body(body, stored, emulator, lambda sent: put_id_violations(sent, env_id))
    if stored is None:
        return create(request, emulator, body, env_id)
    emulator.store.put(apply_body(stored, incoming(body, emulator.settings)))
    emulator.save()
    return Response(status_code=204)


@router.delete('/environments/{env_id}')
async def delete_environment(env_id: str, emulator=Depends(provider_token)):
    env = stored_or_404(emulator, env_id)
    if env['state'] == 'ENABLED':
        raise ApiError(400, f'Environment {env_id} is ENABLED: disable it (state DISABLED) before deleting it.')
    emulator.delete_environment(env_id)
    return Response(status_code=204)


@router.post('/environments/{env_id}/tokenManagementToken')
async def create_token_management_token(request: Request, env_id: str,
                                        emulator=Depends(cluster_token('EnvironmentTokenManagement'))):
    stored_or_404(emulator, env_id)
    body = await json_body(request)
    violations = validate(TokenRequest, body)
    if violations:
        raise constraints_violated(violations)
    expires = body.get('expiresIn')
    lifetime = expires['value'] * UNIT_MS[expires.get('unit')] if expires else None
    if lifetime is not None and lifetime <= 0:
        raise constraints_violated([violation('expiresIn.value', 'must be greater than 0')])
    token = emulator.issue_token(ENVIRONMENT_TOKEN_SCOPES, env_id, body['name'], lifetime, request.state.token.owner)
    return json_response({'token': token.value}, 201, {'Location': token.id})
