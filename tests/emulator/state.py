"""Everything the emulator holds at run time, its start state, and the optional state file."""

import json
import os
import random
import tempfile
import time
from dataclasses import dataclass, field, replace

from . import DEFAULT_CLUSTER_VERSION, DEFAULT_SCOPES, DEFAULT_TOKEN
from .defaults import seeded_environments
from .faults import FaultQueue
from .store import Store
from .tokens import Token, TokenStore, generate_token


@dataclass(frozen=True)
class Settings:
    """What `POST /_emulator/config` may change at run time (reset returns to the command line's)."""

    license: str = 'ddu'
    deny_features: frozenset = frozenset()
    clock_offset_ms: int = 0
    cluster_version: str = DEFAULT_CLUSTER_VERSION
    unlimited_storage: str = 'zero'  # how an unlimited storage byte limit reads back: 'zero' or 'null'
    cursor_keeps_includes: bool = False  # whether nextPageKey carries includeConsumptionInfo/includeStorageInfo
    read_latency_ms: int = 0
    write_latency_ms: int = 0
    implied_view_security_problems: bool = True  # the server adds VIEW_SECURITY_PROBLEMS next to VIEWER
    # Whether /api/cluster/v2/tokens/{id} also finds environment tokens (a token-management token, say); the
    # spec names only cluster tokens, so the harsher reading (no) is the default.
    cluster_tokens_see_environment_tokens: bool = False
    reuse_deleted_ids: bool = True  # whether a PUT may create an environment with the id of a deleted one
    # Management-zone permissions (zones.py): a PUT replaces every zone of the group (else only the zones it
    # names), the cluster adds VIEW_SECURITY_PROBLEMS next to a zone's VIEWER, and a new zone stays unknown to
    # the permission API for this long.
    zone_permissions_replace: bool = False
    zone_implied_view_security_problems: bool = True
    zone_visibility_delay_ms: int = 0
    # At most this many writes (every method but GET and HEAD) at once; one more is answered 429 with Retry-After.
    # 0: no limit.
    write_capacity: int = 0
    # How a group read answers the account flags: 'current' (isAccessAccount, isManageAccount) or 'spec2021'
    # (hasAccessAccountRole, hasManageAccountAndViewProductUsageRole; the is* fields write-only).
    group_read_model: str = 'current'
    group_names_ignore_case: bool = True  # whether POST /groups compares names without case (406 either way)
    tag_filter_matching: str = 'exact'  # how tag() matches: 'exact', or 'loose' (case-insensitive substrings)
    # Whether later pages of the API token listing keep the `fields` of the first (not published): no, the harsher.
    token_cursor_keeps_fields: bool = False
    # Whether a just-created environment's Environment API answers at once (not published): 0 yes; else for that
    # many ms it answers new_environment_api_status (404 or 503).
    new_environment_api_delay_ms: int = 0
    new_environment_api_status: int = 404
    user_repository: str = 'internal'  # 'ldap' or 'sso': users are managed outside, every user write is a 403


@dataclass
class StartOptions:
    """The command line: the state `POST /_emulator/reset` returns to."""

    tokens: dict = field(default_factory=lambda: {DEFAULT_TOKEN: DEFAULT_SCOPES})
    seed_environments: int = 0
    settings: Settings = Settings()
    state_file: str = None


class Emulator:
    """The run-time state shared by the routes, the middleware and the control API."""

    def __init__(self, options):
        self.options = options
        self.rng = random.Random()
        self.start_snapshot = self._initial_snapshot()
        self.settings = options.settings
        self.store = Store()
        self.tokens = TokenStore()
        self.groups = {}
        self.zone_permissions = {}
        self.users = {}
        self.user_passwords = {}  # user id -> SHA-256 of the first password (never the password itself)
        self.zones = {}
        self.faults = FaultQueue()
        self.request_log = []
        self.deleted_ids = set()
        self.reset()

    def now_ms(self):
        """The emulated cluster clock, off the host's by the configured offset."""
        return int(time.time() * 1000) + self.settings.clock_offset_ms

    def _initial_snapshot(self):
        """Environments, created tokens and groups from the state file, or freshly seeded environments."""
        path = self.options.state_file
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                return handle.read()
        envs = seeded_environments(self.options.seed_environments, int(time.time() * 1000))
        return json.dumps({'environments': envs, 'tokens': [], 'groups': [], 'zonePermissions': {}, 'zones': {},
                           'users': []})

    def reset(self):
        """Back to the start state: environments, tokens, groups, users, settings, faults and request log."""
        snapshot = json.loads(self.start_snapshot)
        self.settings = self.options.settings
        self.store = Store(snapshot['environments'])
        self.tokens = TokenStore()
        for value, scopes in self.options.tokens.items():
            self.tokens.add(Token(value, frozenset(scopes), name='Cluster token (command line)', persisted=False))
        for data in snapshot.get('tokens', []):
            self.tokens.add(Token.from_json(data))
        self.groups = {group['id']: group for group in snapshot.get('groups', [])}
        self.zone_permissions = dict(snapshot.get('zonePermissions', {}))
        self.users = {user['id']: user for user in snapshot.get('users', [])}
        self.user_passwords = dict(snapshot.get('userPasswords', {}))
        self.zones = dict(snapshot.get('zones', {}))
        self.faults.clear()
        self.request_log = []
        self.deleted_ids = set()
        self.save()

    def configure(self, **changes):
        self.settings = replace(self.settings, **changes)

    def issue_token(self, scopes, environment=None, name='', expires_in_ms=None, owner='admin', value=None, **extra):
        """A new token in the store: an environment token when `environment` is set, else a cluster token.

        `extra`: more Token fields (expires_ms for an absolute expiry, personal).
        """
        now = self.now_ms()
        if expires_in_ms is not None:
            extra['expires_ms'] = now + expires_in_ms
        token = Token(value or generate_token(), frozenset(scopes), 'environment' if environment else 'cluster',
                      environment, name, owner, now, modified_ms=now, **extra)
        self.tokens.add(token)
        self.save()
        return token

    def delete_environment(self, env_id):
        """The environment goes, and with it its tokens and every group permission on it."""
        self.store.delete(env_id)
        self.deleted_ids.add(env_id)
        self.tokens.drop_environment(env_id)
        for group in self.groups.values():
            rights = {key: [e for e in ids if e != env_id] for key, ids in group['accessRight'].items()}
            group['accessRight'] = {key: ids for key, ids in rights.items() if ids}
        for permissions in self.zone_permissions.values():
            permissions['mzPermissionsPerEnvironment'] = [
                entry for entry in permissions['mzPermissionsPerEnvironment'] if entry['environmentUuid'] != env_id]
        self.zones.pop(env_id, None)
        self.save()

    def save(self):
        """Write the state file atomically (a crash never leaves half a file behind)."""
        path = self.options.state_file
        if not path:
            return
        data = {'environments': self.store.all(), 'tokens': [t.to_json() for t in self.tokens.all() if t.persisted],
                'groups': list(self.groups.values()), 'zonePermissions': self.zone_permissions,
                'zones': self.zones, 'users': list(self.users.values()), 'userPasswords': self.user_passwords}
        folder = os.path.dirname(os.path.abspath(path))
        handle, temporary = tempfile.mkstemp(dir=folder, prefix='.emulator-state-', suffix='.tmp')
        with os.fdopen(handle, 'w', encoding='utf-8') as output:
            json.dump(data, output)
        os.replace(temporary, path)
