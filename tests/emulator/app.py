"""The FastAPI application: the emulated APIs, the control API and the error envelope on every error."""

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from . import api_tokens, cluster_api, cluster_tokens, control, groups, users, v1_api, zones
from .errors import ApiError, envelope, error_response, json_response
from .middleware import EmulatorMiddleware
from .models import violations_of


async def api_error(_request, error):
    return error_response(error)


async def http_error(_request, error):
    return json_response(envelope(error.status_code, str(error.detail)), error.status_code, error.headers)


async def request_validation_error(_request, error):
    violations = violations_of(error)
    for found in violations:  # FastAPI paths read like 'path.env_id'; report where the bad value was
        location, path = found['path'].split('.', 1) if '.' in found['path'] else (found['path'], '')
        found.update(path=path, parameterLocation={'query': 'QUERY', 'path': 'PATH', 'header': 'HEADER'}.get(location, 'PAYLOAD_BODY'))
    return json_response(envelope(400, 'Constraints violated.', violations), 400)


async def unexpected_error(_request, _error):
    return json_response(envelope(500, 'Internal server error.'), 500)


def create_app(emulator):
    """The ASGI application for one emulator state."""
    app = FastAPI(title='Dynatrace Managed API emulator', docs_url=None, redoc_url=None, openapi_url=None)
    app.state.emulator = emulator
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, request_validation_error)
    app.add_exception_handler(Exception, unexpected_error)
    for module in (cluster_api, cluster_tokens, zones, groups, users, v1_api, api_tokens, control):  # zones before groups/{id}
        app.include_router(module.router)
    app.include_router(v1_api.tail_router)  # the catch-all 404s come last
    app.add_middleware(EmulatorMiddleware, emulator=emulator)
    return app
