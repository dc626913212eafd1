"""FastAPI dependencies: the emulator state, token checks and the /e/{env} environment check."""

from fastapi import Request

from .errors import ApiError
from .tokens import check_token, token_from_header

ANY_SCOPE = None


def emulator_of(request: Request):
    return request.app.state.emulator


def require(scope, in_environment=False):
    """A dependency that enforces a token scope (ANY_SCOPE: any valid token).

    Order of checks: missing header (401), unknown /e/{env} environment (404), token and scope (403).
    """
    def check(request: Request):
        emulator = emulator_of(request)
        token = token_from_header(request.headers.get('authorization'))
        environment = request.path_params.get('env') if in_environment else None
        if in_environment and emulator.store.get(environment) is None:
            raise ApiError(404, f'Environment {environment} not found.')
        check_token(token, emulator.tokens, scope, environment, emulator.now_ms())
        return emulator
    return check
