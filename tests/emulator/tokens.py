"""The one token store: cluster tokens and environment tokens, and the check each call makes.

A cluster token works on /api/cluster/... and /api/v1.0/onpremise/...; an environment token only
under its own /e/{id}/... . Unknown, malformed, expired or disabled tokens and tokens of the wrong kind
or environment all get 401 "Token Authentication failed" (the harsher reading: each environment knows
only its own tokens); a known token without the scope gets 403 naming the scopes that would do.
"""

import re
import secrets
import string
from dataclasses import asdict, dataclass, field

from .errors import ApiError

ALPHABET = string.ascii_uppercase + string.digits
TOKEN_FORMAT = re.compile(r'^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$')
UNIT_MS = {'DAYS': 86_400_000, 'HOURS': 3_600_000, 'MINUTES': 60_000, 'SECONDS': 1000, 'MILLIS': 1, None: 1}
AUTH_FAILED = 'Token Authentication failed'
SECRET_SHOWN_AS = '<secret>'


def generate_token():
    """A new token in the real format dt0c01.<24>.<64>."""
    def part(length):
        return ''.join(secrets.choice(ALPHABET) for position in range(length))
    return f'dt0c01.{part(24)}.{part(64)}'


def public_part(token):
    """The part of a token that is safe to show; it is the token id."""
    return '.'.join(token.split('.')[:2])


def redact(text):
    """A string with every token secret in it replaced (for the request log)."""
    return re.sub(r'(dt0c01\.[A-Z0-9]{24})\.[A-Z0-9]{64}', r'\1.' + SECRET_SHOWN_AS, text)


@dataclass
class Token:
    """A token and its metadata. `environment` is None for cluster tokens."""

    value: str
    scopes: frozenset
    kind: str = 'cluster'
    environment: str = None
    name: str = ''
    owner: str = 'admin'
    created_ms: int = 0
    expires_ms: int = None
    enabled: bool = True
    last_used_ms: int = None
    modified_ms: int = None
    personal: bool = False
    persisted: bool = field(default=True)  # False for command-line tokens: they come back with the options

    @property
    def id(self):
        return public_part(self.value)

    def expired(self, now_ms):
        return self.expires_ms is not None and now_ms >= self.expires_ms

    def to_json(self):
        data = asdict(self)
        data['scopes'] = sorted(self.scopes)
        del data['persisted']
        return data

    @classmethod
    def from_json(cls, data):
        if 'value' not in data:  # a state file written before tokens had kinds: an environment's token
            data = {'value': data['token'], 'scopes': data['scopes'], 'kind': 'environment',
                    'environment': data.get('environment'), 'expires_ms': data.get('expiresAtMs')}
        return cls(**dict(data, scopes=frozenset(data['scopes'])))

    def metadata(self, now_ms):
        """What the control API shows: everything but the secret."""
        data = self.to_json()
        del data['value']
        return dict(data, id=self.id, expired=self.expired(now_ms))


class TokenStore:
    """Every token the emulator knows, by value; ids are the public parts."""

    def __init__(self):
        self.tokens = {}

    def add(self, token):
        self.tokens[token.value] = token
        return token

    def get(self, value):
        return self.tokens.get(value)

    def find(self, id_or_value, kind, environment=None):
        """A token of this kind (and environment) by its id or its secret value."""
        for token in self.tokens.values():
            if id_or_value in (token.id, token.value) and token.kind == kind and token.environment == environment:
                return token
        return None

    def remove(self, token):
        self.tokens.pop(token.value, None)

    def of(self, kind, environment=None):
        return [t for t in self.tokens.values() if t.kind == kind and t.environment == environment]

    def drop_environment(self, env_id):
        """Deleting an environment invalidates its tokens."""
        for token in self.of('environment', env_id):
            self.remove(token)

    def all(self):
        return list(self.tokens.values())


def token_from_header(header):
    """The token of an `Authorization: Api-Token <token>` header; 401 when missing or of another scheme."""
    if not header:
        raise ApiError(401, 'Missing authorization parameter.')
    scheme, token = header.split(' ', 1) if ' ' in header else (header, '')
    if scheme.lower() != 'api-token' or not token.strip():
        raise ApiError(401, "Unsupported authorization scheme; send 'Authorization: Api-Token <token>'.")
    return token.strip()


# A 403 names each scope with its description, as real clusters write it (the descriptions of the published specs).
SCOPE_DESCRIPTIONS = {
    'ServiceProviderAPI': 'Service Provider API', 'ClusterTokenManagement': 'Cluster token management',
    'EnvironmentTokenManagement': '"Token Management" Token creation for existing environments',
    'ControlManagement': 'ControlManagement', 'UnattendedInstall': 'UnattendedInstall',
    'Nodekeeper': 'Nodekeeper access for node management', 'apiTokens.read': 'Read API tokens',
    'apiTokens.write': 'Write API tokens', 'DataExport': 'Access problem and event feed, metrics, and topology',
    'TenantTokenManagement': 'Token management',
}


def authenticate(store, header, kind, environment, scopes, now_ms):
    """The token of this request; 401 unless it is a live token of this kind and environment, 403 without a scope.

    `scopes`: any one of them will do (an empty tuple: any valid token).
    """
    value = token_from_header(header)
    token = store.get(value) if TOKEN_FORMAT.match(value) else None
    if (token is None or token.kind != kind or token.environment != environment or not token.enabled
            or token.expired(now_ms)):
        raise ApiError(401, AUTH_FAILED)
    if scopes and not set(scopes) & token.scopes:
        raise ApiError(403, 'Token is missing required scope. Use one of: ' + ', '.join(
            f'{scope} ({SCOPE_DESCRIPTIONS[scope]})' if scope in SCOPE_DESCRIPTIONS else scope for scope in scopes))
    token.last_used_ms = now_ms
    return token
