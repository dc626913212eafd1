"""The control API under /_emulator/: not part of Dynatrace, no auth, never logged or faulted."""

import json
from typing import Optional

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .access import emulator_of
from .defaults import seeded_environments
from .errors import ApiError, constraints_violated, json_response
from .faults import Fault
from .models import violations_of
from .state import FEATURES, LICENSES
from .tokens import Token

router = APIRouter(prefix='/_emulator')


class ControlModel(BaseModel):
    model_config = ConfigDict(extra='forbid')


class ConfigChange(ControlModel):
    license: Optional[str] = Field(None, pattern='^(classic|dps)$')
    deny_features: Optional[list[str]] = None
    clock_offset_ms: Optional[int] = None
    cluster_version: Optional[str] = Field(None, pattern=r'^\d+\.\d+\.\d+\.\d{8}-\d{6}$')


class SeedRequest(ControlModel):
    count: int = Field(ge=0, le=100_000)
    name_prefix: Optional[str] = None


class TokenRegistration(ControlModel):
    token: str = Field(min_length=1)
    scopes: list[str]
    environment: Optional[str] = None


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
    for fault in faults:
        emulator_of(request).faults.add(fault)
    return json_response({'queued': len(faults)}, 201)


@router.delete('/faults')
async def clear_faults(request: Request):
    emulator_of(request).faults.clear()
    return Response(status_code=204)


@router.post('/config')
async def configure(request: Request):
    change = await parsed(request, ConfigChange)
    unknown = set(change.deny_features or ()) - set(FEATURES)
    if unknown or (change.license and change.license not in LICENSES):
        raise ApiError(400, f'Unknown features {sorted(unknown)}; features are {", ".join(FEATURES)}.')
    updates = change.model_dump(exclude_unset=True, exclude_none=True)
    if 'deny_features' in updates:
        updates['deny_features'] = frozenset(updates['deny_features'])
    emulator = emulator_of(request)
    emulator.configure(**updates)
    settings = emulator.settings
    return json_response({'license': settings.license, 'deny_features': sorted(settings.deny_features),
                          'clock_offset_ms': settings.clock_offset_ms, 'cluster_version': settings.cluster_version})


@router.post('/seed')
async def seed(request: Request):
    """Create `count` realistic environments at once (random ids, so seeding twice never collides)."""
    wanted = await parsed(request, SeedRequest)
    emulator = emulator_of(request)
    envs = seeded_environments(wanted.count, emulator.now_ms(), wanted.name_prefix, emulator.unavailable(), seed=None)
    for env in envs:
        emulator.store.put(env)
    emulator.save()
    return json_response({'ids': [env['id'] for env in envs]}, 201)


@router.get('/environments')
async def environments(request: Request):
    return json_response(emulator_of(request).store.all())


@router.post('/tokens')
async def add_token(request: Request):
    wanted = await parsed(request, TokenRegistration)
    emulator_of(request).add_token(Token(wanted.token, frozenset(wanted.scopes), wanted.environment))
    return Response(status_code=201)
