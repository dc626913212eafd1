"""The Dynatrace error envelope and JSON responses with the content type Dynatrace sends."""

import json

from fastapi.responses import JSONResponse

JSON_TYPE = 'application/json; charset=utf-8'


class ApiError(Exception):
    """An error answered with the Dynatrace error envelope."""

    def __init__(self, code, message, violations=None, headers=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.violations = violations or []
        self.headers = headers or {}


def violation(path, message, location='PAYLOAD_BODY'):
    """One constraint violation, as Dynatrace reports it."""
    return {'path': path, 'message': message, 'parameterLocation': location, 'location': None}


def constraints_violated(violations):
    """The 400 Dynatrace answers for invalid input, one violation per field."""
    return ApiError(400, 'Constraints violated.', violations)


def envelope(code, message, violations=None):
    """The error envelope body. constraintViolations only appears when there are some, as on real clusters."""
    error = {'code': code, 'message': message}
    if violations:
        error['constraintViolations'] = violations
    return {'error': error}


def json_response(content, status_code=200, headers=None):
    """A JSON response with the exact content type Dynatrace uses."""
    return JSONResponse(content, status_code=status_code, headers=headers, media_type=JSON_TYPE)


def error_response(error):
    """Turn an ApiError into its response."""
    return json_response(envelope(error.code, error.message, error.violations), error.code, error.headers)


async def json_body(request):
    """The parsed JSON body of a request; a 400 without violations when it is not JSON."""
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, 'Could not parse the request body as JSON.') from error
