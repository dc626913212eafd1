"""Scan ansible-playbook output for Dynatrace token secrets and user passwords.

Usage: python -m tests.integration.secret_scan OUTPUT.log [more logs]   (exit 1 and a report when it finds any;
12 characters in a row of a known secret count)

A Dynatrace token is `dt0c01.<24 public characters>.<64 secret characters>`. The public part is safe to show; the
secret never is, with one exception: a module returns the token-management token of an environment it created
(`token_management_token`), and a task result is where a test reads it. So a created token may appear only as
the value of a `token_management_token` key of a task result (a json_lines `TASK_RESULT` line, or a line
`"token_management_token": "..."` of a result that the default callback prints at -v and above), or of a
`<registered>.token_management_token` key that a debug task shows on purpose; the same goes for the `token` key
that dynatrace_api_token returns for the API token it created, and for the `token` key of `api_tokens_created` and
the `oneagent_paas_token` key inside `oneagent_handoff` of the result of dynatrace_environments. Anywhere else,
any full token, any known secret and any bare 64-character secret-shaped string is reported.

A user's password has no shape of its own, so every password the suite uses is made by make_password(): it starts
with PASSWORD_PREFIX, and that prefix anywhere in the output is a finding (a password has no allowed place: it is
an input only, never returned).

For output that must hold no secret at all (tests/integration/test_secret_display.py scans what the default
callback shows), `find_leaks(..., allow_results=False)` allows no place, and `secrets=` adds known tokens (those a
run created, planted ones) whose secret parts are also looked for in pieces (`fragment` characters or more).
"""

import json
import random
import re
import string
import sys

from tests.emulator import DEFAULT_TOKEN

TOKEN_PATTERN = re.compile(r'dt0c01\.[A-Za-z0-9]{24}\.([A-Za-z0-9]{64})')
# A bare secret: 64 characters of the token alphabet, at least one a letter, not part of a longer word.
BARE_SECRET_PATTERN = re.compile(r'(?<![A-Za-z0-9])(?=[0-9]*[A-Z])[A-Z0-9]{64}(?![A-Za-z0-9])')
ALLOWED_KEYS = ('token_management_token', 'token')
# A key allowed only inside the result keys that hold it: the hand-off of a dynatrace_environments result (by name and
# by id, and each item's entry of its `outcomes`), not the role's fact of that content (a `debug` of
# `environments_oneagent_handoff` is a finding).
ALLOWED_NESTED_KEYS = {'oneagent_paas_token': ('oneagent_handoff', 'oneagent_handoff_by_id', 'outcomes')}
# `"token_management_token": "..."` or, from a debug task that shows a registered result on purpose,
# `"created.token_management_token": "..."`.
RESULT_LINE_PATTERN = re.compile(r'^\s*"(?:[\w.]+\.)?(?:%s)": "(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})",?\s*$'
                                 % '|'.join(ALLOWED_KEYS))
PLACEHOLDER = '<token_management_token>'
PASSWORD_PREFIX = 'clusterops-pw-'
PASSWORD_PATTERN = re.compile(re.escape(PASSWORD_PREFIX) + r'[A-Za-z0-9]*', re.IGNORECASE)


def make_password(length=20):
    """A user password for a test: PASSWORD_PREFIX and random letters and digits, so the scan knows it anywhere."""
    alphabet = string.ascii_letters + string.digits
    return PASSWORD_PREFIX + ''.join(random.SystemRandom().choice(alphabet) for dummy in range(length))


def _is_allowed(key, item, ancestors):
    if not (isinstance(item, str) and TOKEN_PATTERN.fullmatch(item)):
        return False
    name = str(key).rsplit('.', 1)[-1]
    return name in ALLOWED_KEYS or (name in ALLOWED_NESTED_KEYS and any(place in ancestors for place in ALLOWED_NESTED_KEYS[name]))


def _scrub(value, allowed, ancestors=()):
    """`value` with every token in an allowed place replaced by a placeholder, collecting them in `allowed`."""
    if isinstance(value, dict):
        scrubbed = {}
        for key, item in value.items():
            # Only a token is allowed there: a masked option value (VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) is no secret.
            if _is_allowed(key, item, ancestors):
                allowed.add(item)
                scrubbed[key] = PLACEHOLDER
            else:
                scrubbed[key] = _scrub(item, allowed, ancestors + (str(key),))
        return scrubbed
    if isinstance(value, list):
        return [_scrub(item, allowed, ancestors) for item in value]
    return value


def scrubbed_lines(text, allowed):
    """Each line as it must be free of secrets: task results without their token_management_token values."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('TASK_RESULT '):
            try:
                payload = json.loads(line[len('TASK_RESULT '):])
            except ValueError:
                yield number, line
                continue
            yield number, 'TASK_RESULT ' + json.dumps(_scrub(payload, allowed), sort_keys=True)
            continue
        match = RESULT_LINE_PATTERN.match(line)
        if match:
            allowed.add(match.group(1))
            yield number, line.replace(match.group(1), PLACEHOLDER)
            continue
        yield number, line


def _fragments(secret, length):
    """Every piece of `length` characters of `secret` (the whole secret when it is shorter)."""
    return set(secret[start:start + length] for start in range(max(1, len(secret) - length + 1)))


class _PieceIndex:
    """Which known secrets a line holds a piece of, in one pass over the line.

    A piece of a secret is made of the token alphabet, so it can only sit inside a run of letters and digits; each
    window of the piece length inside such a run is looked up in one table, instead of every piece of every known
    secret being searched in every line (which is hours for the whole suite's output).
    """

    RUN = re.compile(r'[A-Za-z0-9]+')

    def __init__(self, secrets, length):
        self.length = length
        self.owners = {}
        for secret in secrets:
            for piece in _fragments(secret, length):
                self.owners.setdefault(piece, set()).add(secret)
        # Secrets the windows cannot find (shorter than a piece, or with a character outside the alphabet).
        self.others = dict((secret, _fragments(secret, length)) for secret in secrets
                           if len(secret) < length or not self.RUN.fullmatch(secret))

    def pieces_in(self, line):
        """{secret: the pieces of it that the line holds}."""
        found = {}
        for run in self.RUN.finditer(line):
            text = run.group(0)
            for start in range(len(text) - self.length + 1):
                piece = text[start:start + self.length]
                for secret in self.owners.get(piece, ()):
                    found.setdefault(secret, set()).add(piece)
        for secret, pieces in self.others.items():
            held = set(piece for piece in pieces if piece in line)
            if held:
                found.setdefault(secret, set()).update(held)
        return found


def find_leaks(text, api_tokens=(DEFAULT_TOKEN,), allowed=None, allow_results=True, secrets=(), fragment=None):
    """Return [(line number, what, excerpt)] for every secret outside the allowed places.

    `allowed`, when given, is a set that receives the created tokens seen in their allowed places; with
    `allow_results=False` there is no allowed place. `secrets` are more known tokens (or bare secrets); with
    `fragment=N` any N characters in a row of a known secret count as a leak too.
    """
    allowed = set() if allowed is None else allowed
    lines = list(scrubbed_lines(text, allowed)) if allow_results else list(enumerate(text.splitlines(), 1))
    known = dict((token.rsplit('.', 1)[-1], 'API token secret') for token in api_tokens)
    known.update((token.rsplit('.', 1)[-1], 'known secret') for token in secrets)
    known.update((token.rsplit('.', 1)[-1], 'created token secret') for token in allowed)
    index = _PieceIndex(known, fragment) if fragment else None
    leaks = []
    for number, line in lines:
        found = set()
        for match in TOKEN_PATTERN.finditer(line):
            found.add((match.group(1), 'full token'))
        if index:
            for secret, pieces in index.pieces_in(line).items():
                # One finding per secret and line: the whole secret, or else the first piece of it that is there.
                found.add((secret, known[secret]) if secret in line else (min(pieces), known[secret] + ' (part)'))
        else:
            found.update((secret, what) for secret, what in known.items() if secret in line)
        for match in BARE_SECRET_PATTERN.finditer(line):
            found.add((match.group(0), 'secret-shaped string'))
        for match in PASSWORD_PATTERN.finditer(line):
            found.add((match.group(0), 'password'))
        for secret, what in sorted(found):
            start = line.find(secret)
            excerpt = line[max(0, start - 60):start].replace(secret, '<SECRET>') + '<SECRET>'
            leaks.append((number, what, excerpt))
    return leaks


def main(paths):
    total, allowed = 0, set()
    for path in paths:
        with open(path, encoding='utf-8', errors='replace') as handle:
            leaks = find_leaks(handle.read(), allowed=allowed, fragment=12)
        for number, what, excerpt in leaks:
            print('%s:%d: %s: ...%s' % (path, number, what, excerpt))
        total += len(leaks)
    print('secret scan: %d finding(s) in %s; %d created token(s) seen, each only where a task result returns it; '
          'no password (%s...) anywhere' % (total, ', '.join(paths), len(allowed), PASSWORD_PREFIX))
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
