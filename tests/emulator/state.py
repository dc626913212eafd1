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
from .rules import unavailable_fields
from .store import Store
from .tokens import Token

LICENSES = ('classic', 'dps')
FEATURES = ('dem', 'synthetic', 'log_monitoring')


@dataclass(frozen=True)
class Settings:
    """What `POST /_emulator/config` may change at run time."""

    license: str = 'classic'
    deny_features: frozenset = frozenset()
    clock_offset_ms: int = 0
    cluster_version: str = DEFAULT_CLUSTER_VERSION


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
        self.tokens = {}
        self.faults = FaultQueue()
        self.request_log = []
        self.reset()

    def now_ms(self):
        """The emulated cluster clock, off the host's by the configured offset."""
        return int(time.time() * 1000) + self.settings.clock_offset_ms

    def unavailable(self):
        return unavailable_fields(self.settings.deny_features)

    def _initial_snapshot(self):
        """Environments and created tokens from the state file, or freshly seeded environments."""
        path = self.options.state_file
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                return handle.read()
        envs = seeded_environments(self.options.seed_environments, int(time.time() * 1000),
                                   unavailable=unavailable_fields(self.options.settings.deny_features))
        return json.dumps({'environments': envs, 'tokens': []})

    def reset(self):
        """Back to the start state: environments, tokens, settings, faults and request log."""
        snapshot = json.loads(self.start_snapshot)
        self.settings = self.options.settings
        self.store = Store(snapshot['environments'])
        self.tokens = {value: Token(value, frozenset(scopes)) for value, scopes in self.options.tokens.items()}
        for data in snapshot['tokens']:
            self.tokens[data['token']] = Token.from_json(data)
        self.faults.clear()
        self.request_log = []
        self.save()

    def configure(self, **changes):
        self.settings = replace(self.settings, **changes)

    def add_token(self, token):
        self.tokens[token.value] = token
        if token.created:
            self.save()

    def save(self):
        """Write the state file atomically (a crash never leaves half a file behind)."""
        path = self.options.state_file
        if not path:
            return
        data = {'environments': self.store.all(), 'tokens': [t.to_json() for t in self.tokens.values() if t.created]}
        folder = os.path.dirname(os.path.abspath(path))
        handle, temporary = tempfile.mkstemp(dir=folder, prefix='.emulator-state-', suffix='.tmp')
        with os.fdopen(handle, 'w', encoding='utf-8') as output:
            json.dump(data, output)
        os.replace(temporary, path)
