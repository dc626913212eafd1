"""API tokens the emulator accepts, and the checks each call makes on the Authorization header."""

import secrets
import string
from dataclasses import dataclass, field

from .errors import ApiError

ALPHABET = string.ascii_uppercase + string.digits
UNIT_MS = {'DAYS': 86_400_000, 'HOURS': 3_600_000, 'MINUTES': 60_000, 'SECONDS': 1000, 'MILLIS': 1, None: 1}


def generate_token():
    """A new token in the real format dt0c01.<24>.<64>."""
    def part(length):
        return ''.join(secrets.choice(ALPHABET) for position in range(length))
    return f'dt0c01.{part(24)}.{part(64)}'


def public_part(token):
    """The part of a token that is safe to show (used as the token id)."""
    return '.'.join(token.split('.')[:2])


@dataclass
class Token:
    """A token: its scopes, the environment it belongs to (None for cluster tokens) and its expiry."""

    value: str
    scopes: frozenset
    environment: str = None
    expires_at_ms: int = None
    created: bool = field(default=False)  # created through the API, so persisted with the state

    def to_json(self):
        return {'token': self.value, 'scopes': sorted(self.scopes), 'environment': self.environment,
                'expiresAtMs': self.expires_at_ms}

    @classmethod
    def from_json(cls, data):
        return cls(data['token'], frozenset(data['scopes']), data.get('environment'), data.get('expiresAtMs'), True)


def token_from_header(header):
    """The token of an `Authorization: Api-Token <token>` header; 401 when missing or of another scheme."""
    if not header:
        raise ApiError(401, 'Missing authorization parameter.')
    scheme, token = header.split(' ', 1) if ' ' in header else (header, '')
    if scheme.lower() != 'api-token' or not token.strip():
        raise ApiError(401, "Unsupported authorization scheme; send 'Authorization: Api-Token <token>'.")
    return token.strip()


def check_token(token, known, scope, environment, now_ms):
    """403 unless the token is known, alive, valid for the environment and has the scope (None: any scope)."""
    found = known.get(token)
    if found is None:
        raise ApiError(403, 'Token Authentication failed: unknown token.')
    if found.expires_at_ms is not None and now_ms >= found.expires_at_ms:
        raise ApiError(403, 'Token Authentication failed: the token has expired.')
    # An environment's token only works inside that environment (`environment` is None outside /e/{env}).
    if None not in (found.environment, environment) and found.environment != environment:
        raise ApiError(403, 'Token Authentication failed: the token is not valid for this environment.')
    if scope is not None and scope not in found.scopes:
        raise ApiError(403, f'Token is missing required scope: {scope}.')
