"""The control API under /_emulator/: not part of Dynatrace, no auth, never logged or faulted."""

import json
from typing import Literal, Optional

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .access import emulator_of
from .defaults import seeded_environments
from .errors import ApiError, constraints_violated, json_response
from .faults import Fault
from .groups import shown
from .latency import parse_latency
from .models import violations_of
from .profiles import FEATURES, shown_quotas, shown_storage
from .scopes import KINDS
from .tokens import TOKEN_FORMAT

router = APIRouter(prefix='/_emulator')


class ControlModel(BaseModel):
    model_config = ConfigDict(extra='forbid')


class ConfigChange(ControlModel):
    license: Optional[Literal['ddu', 'classic', 'dps']] = None
    deny_features: Optional[list[Literal[FEATURES]]] = None
    clock_offset_ms: Optional[int] = None
    cluster_version: Optional[str] = Field(None, pattern=r'^\d+\.\d+\.\d+\.\d{8}-\d{6}$')
    unlimited_storage: Optional[Literal['null', 'zero']] = None
    cursor_keeps_includes: Optional[bool] = None
    latency: Optional[str] = None
    implied_view_security_problems: Optional[bool] = None
    cluster_tokens_see_environment_tokens: Optional[bool] = None
    reuse_deleted_ids: Optional[bool] = None
    zone_permissions_replace: Optional[bool] = None
    zone_implied_view_security_problems: Optional[bool] = None
    zone_visibility_delay_ms: Optional[int] = Field(None, ge=0)
    write_capacity: Optional[int] = Field(None, ge=0)
    group_read_model: Optional[Literal['current', 'spec2021']] = None
    group_names_ignore_case: Optional[bool] = None
    tag_filter_matching: Optional[Literal['exact', 'loose']] = None
    token_cursor_keeps_fields: Optional[bool] = None
    new_environment_api_delay_ms: Optional[int] = Field(None, ge=0, le=60_000)
    new_environment_api_status: Optional[Literal[404, 503]] = None
    user_repository: Optional[Literal['internal', 'ldap', 'sso']] = None


class SeedRequest(ControlModel):
    count: int = Field(ge=0, le=100_000)
    name_prefix: Optional[str] = None


class TokenRequest(ControlModel):
    """A token for tests: `token` registers that value, else one is generated; `environment` makes it an environment token."""

    token: Optional[str] = None
    scopes: list[str] = Field(min_length=1)
    environment: Optional[str] = None
    name: str = 'Test token'
    owner: str = 'admin'
    expires_in_ms: Optional[int] = None  # negative: already expired
    age_ms: int = Field(0, ge=0)  # created this long ago
    last_used_ago_ms: Optional[int] = Field(None, ge=0)  # last used this long ago; None: never used


async def parsed(request, model):
    try:
        return model.model_validate(json.loads(await request.body()))
    except ValidationError as error:
        raise constraints_violated(violations_of(error)) from error
    except ValueError as error:
        raise ApiError(400, 'The body is not valid JSON.') from error


@router.post('/reset')
async def reset(request: Request):
    emulator_of(request).reset()
    return Response(status_code=204)


@router.get('/requests')
async def requests_received(request: Request):
    return json_response(emulator_of(request).request_log)


@router.delete('/requests')
async def clear_requests(request: Request):
    emulator_of(request).request_log.clear()
    return Response(status_code=204)


@router.post('/faults')
async def add_faults(request: Request):
    """One fault object or a list of them; all are checked before any is queued."""
    try:
        body = json.loads(await request.body())
        faults = [Fault.model_validate(item) for item in (body if isinstance(body, list) else [body])]
    except ValidationError as error:
        raise constraints_violated(violations_of(error)) from error
    except ValueError as error:
        raise ApiError(400, 'The body is not valid JSON.') from error
    if any(fault.action == 'status' and fault.status is None for fault in faults):
        raise ApiError(400, 'A fault with action "status" needs a status.')
    if any(fault.action == 'preempt' and fault.body is None for fault in faults):
        raise ApiError(400, 'A fault with action "preempt" needs a body: the JSON the other client sends.')
    for fault in faults:
        emulator_of(request).faults.add(fault)
    return json_response({'queued': len(faults)}, 201)


@router.delete('/faults')
async def clear_faults(request: Request):
    emulator_of(request).faults.clear()
    return Response(status_code=204)


def settings_json(settings):
    return {'license': settings.license, 'deny_features': sorted(settings.deny_features),
            'clock_offset_ms': settings.clock_offset_ms, 'cluster_version': settings.cluster_version,
            'unlimited_storage': settings.unlimited_storage, 'cursor_keeps_includes': settings.cursor_keeps_includes,
            'latency': f'read={settings.read_latency_ms}ms,write={settings.write_latency_ms}ms',
            'implied_view_security_problems': settings.implied_view_security_problems,
            'cluster_tokens_see_environment_tokens': settings.cluster_tokens_see_environment_tokens,
            'reuse_deleted_ids': settings.reuse_deleted_ids, 'write_capacity': settings.write_capacity,
            'zone_permissions_replace': settings.zone_permissions_replace,
            'zone_implied_view_security_problems': settings.zone_implied_view_security_problems,
            'zone_visibility_delay_ms': settings.zone_visibility_delay_ms,
            'user_repository': settings.user_repository}


@router.post('/config')
async def configure(request: Request):
    updates = (await parsed(request, ConfigChange)).model_dump(exclude_unset=True, exclude_none=True)
    if 'deny_features' in updates:
        updates['deny_features'] = frozenset(updates['deny_features'])
    if 'latency' in updates:
        try:
            updates.update(parse_latency(updates.pop('latency')))
        except ValueError as error:
            raise ApiError(400, str(error)) from error
    emulator = emulator_of(request)
    emulator.configure(**updates)
    return json_response(settings_json(emulator.settings))


@router.get('/config')
async def current_config(request: Request):
    return json_response(settings_json(emulator_of(request).settings))


@router.post('/seed')
async def seed(request: Request):
    """Create `count` realistic environments at once (random ids, so seeding twice never collides)."""
    wanted = await parsed(request, SeedRequest)
    emulator = emulator_of(request)
    envs = seeded_environments(wanted.count, emulator.now_ms(), wanted.name_prefix, seed=None)
    for env in envs:
        emulator.store.put(env)
    emulator.save()
    return json_response({'ids': [env['id'] for env in envs]}, 201)


@router.get('/environments')
async def environments(request: Request):
    """The stored environments with quotas and storage, as the license and version show them (unlimited as null)."""
    emulator = emulator_of(request)
    settings = emulator.settings
    return json_response([dict(env, quotas=shown_quotas(env['quotas'], settings),
                               storage=shown_storage(env['storage'], settings, api_reading=False))
                          for env in emulator.store.all()])


@router.get('/groups')
async def groups(request: Request):
    """The stored user groups, as GET /api/v1.0/onpremise/groups answers them."""
    emulator = emulator_of(request)
    return json_response([shown(emulator, group) for group in emulator.groups.values()])


@router.get('/users')
async def users(request: Request):
    """The stored users as GET /users answers them, each with `passwordSha256` (null when no password was set)."""
    emulator = emulator_of(request)
    return json_response([dict(user, passwordSha256=emulator.user_passwords.get(user['id']))
                          for user in sorted(emulator.users.values(), key=lambda user: user['id'])])


@router.get('/tokens')
async def tokens(request: Request):
    """Every token's metadata (never a secret): id, name, kind, environment, scopes, owner, dates, expired."""
    emulator = emulator_of(request)
    return json_response([token.metadata(emulator.now_ms()) for token in emulator.tokens.all()])


@router.post('/tokens')
async def add_token(request: Request):
    """A cluster token, or an environment token of an existing environment, with exactly these scopes."""
    wanted = await parsed(request, TokenRequest)
    emulator = emulator_of(request)
    kind = 'environment' if wanted.environment else 'cluster'
    if wanted.token is not None and not TOKEN_FORMAT.match(wanted.token):
        raise ApiError(400, 'token must have the format dt0c01.<24 upper-case letters or digits>.<64 of them>.')
    if wanted.environment and emulator.store.get(wanted.environment) is None:
        raise ApiError(400, f'Environment {wanted.environment} does not exist.')
    unknown = sorted(set(wanted.scopes) - KINDS[kind])
    if unknown:
        raise ApiError(400, f'Not scopes of a {kind} token: {", ".join(unknown)}.')
    token = emulator.issue_token(wanted.scopes, wanted.environment, wanted.name, wanted.expires_in_ms,
                                 wanted.owner, wanted.token)
    if wanted.age_ms or wanted.last_used_ago_ms is not None:
        now = emulator.now_ms()
        token.created_ms = token.modified_ms = now - wanted.age_ms
        token.last_used_ms = None if wanted.last_used_ago_ms is None else now - wanted.last_used_ago_ms
        emulator.save()
    return json_response({'id': token.id, 'token': token.value}, 201)
