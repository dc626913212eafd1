"""FastAPI dependencies: the emulator state, the tenant of /e/{env}/..., and the token checks.

Order of checks: the tenant of /e/{env} (404 "failed to resolve tenant"), the Authorization header
(401), the token (401), the scope (403). The authenticated token is kept in `request.state.token`.
"""

from fastapi import Request

from .dates import parse_date
from .errors import ApiError
from .tokens import authenticate

TENANT_NOT_FOUND = 'failed to resolve tenant'


def emulator_of(request: Request):
    return request.app.state.emulator


def resolve_tenant(emulator, env_id):
    """404 `failed to resolve tenant <id>` (the words of real clusters) for an unknown environment id.

    Switch `new_environment_api_delay_ms`: whether a just-created environment's API answers at once is not
    published; with a delay, it answers `new_environment_api_status` (404 as unknown, or 503) that long.
    """
    environment = emulator.store.get(env_id) if env_id is not None else None
    if environment is None:
        raise ApiError(404, f'{TENANT_NOT_FOUND} {env_id}' if env_id else TENANT_NOT_FOUND)
    delay = emulator.settings.new_environment_api_delay_ms
    if delay and emulator.now_ms() - parse_date(environment['creationDate']) < delay:
        if emulator.settings.new_environment_api_status == 503:
            raise ApiError(503, 'Service Unavailable')
        raise ApiError(404, f'{TENANT_NOT_FOUND} {env_id}')


def cluster_token(*scopes):
    """A dependency for /api/cluster/... and /api/v1.0/onpremise/...: a cluster token with one of `scopes`."""
    def check(request: Request):
        emulator = emulator_of(request)
        request.state.token = authenticate(emulator.tokens, request.headers.get('authorization'), 'cluster', None,
                                           scopes, emulator.now_ms())
        return emulator
    return check


def environment_token(*scopes):
    """A dependency for /e/{env}/...: the tenant exists and a token of that environment has one of `scopes`."""
    def check(request: Request):
        emulator = emulator_of(request)
        env_id = request.path_params.get('env')
        resolve_tenant(emulator, env_id)
        request.state.token = authenticate(emulator.tokens, request.headers.get('authorization'), 'environment',
                                           env_id, scopes, emulator.now_ms())
        return emulator
    return check
