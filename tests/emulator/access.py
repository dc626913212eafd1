"""FastAPI dependencies: the emulator state, the tenant of /e/{env}/..., and the token checks.

Order of checks: the tenant of /e/{env} (404 "failed to resolve tenant"), the Authorization header
(401), the token (401), the scope (403). The authenticated token is kept in `request.state.token`.
"""

from fastapi import Request

from .errors import ApiError
from .tokens import authenticate

TENANT_NOT_FOUND = 'failed to resolve tenant'


def emulator_of(request: Request):
    return request.app.state.emulator


def resolve_tenant(emulator, env_id):
    """404 `failed to resolve tenant <id>` (the words of real clusters) for an unknown environment id."""
    if env_id is None or emulator.store.get(env_id) is None:
        raise ApiError(404, f'{TENANT_NOT_FOUND} {env_id}' if env_id else TENANT_NOT_FOUND)


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
