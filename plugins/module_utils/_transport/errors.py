# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of the transport layer, and how error answers and connection failures become their messages.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Part of the transport layer (with _http.py): no Ansible import, no other module_utils import.
"""

import json
import re

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.options import token_error

# Every Dynatrace token has the shape dt0<letter><2 digits>.<public part>.<secret part> (dt0c01 for API
# tokens). The public part identifies the token and is kept; the secret is what must never be shown.
TOKEN_PATTERN = re.compile(r'(dt0[a-z][0-9]{2}\.[A-Za-z0-9]+)\.[A-Za-z0-9]+')
REDACTED = '********'
# An error body is summarised to this many characters, after redaction.
GIST_LENGTH = 160


# A piece of a configured value long enough to be told from an ordinary word: redacted wherever it shows up alone.
_PIECE = re.compile(r'[A-Za-z0-9_-]{8,}')


def token_problem(value, option='api_token'):
    """Why `value` cannot be a token, as a message naming `option` that shows none of the value; None when usable.

    Leading and trailing whitespace is tolerated (a vault file ends with a line break) and stripped by the client;
    what is inside is checked by options.token_error, the one rule of the transport.
    """
    text = '' if value is None else str(value).strip()
    if not text:
        return '%s must not be empty: give a Dynatrace API token (dt0c01....)' % option
    return token_error(text, option)


def secret_pieces(value):
    """What redaction must remove for a configured token, however malformed: the value as given and stripped, each
    of its lines and words, and each run of token characters of 8 or more (a secret split by a line break, a
    space or a dot is still found piece by piece)."""
    if not value:
        return ()
    text = str(value)
    pieces = set([text, text.strip()])
    pieces.update(text.split())
    pieces.update(_PIECE.findall(text))
    return tuple(sorted((piece for piece in pieces if len(piece) >= 8), key=len, reverse=True))


def redact(text, secrets=()):
    """`text` without any token secret: every dt0c01-shaped token loses its secret part, and each of
    `secrets` (the configured API token and its secret, a URL's user part) is removed wherever it appears."""
    text = TOKEN_PATTERN.sub(r'\1.' + REDACTED, str(text))
    for value in sorted((value for value in secrets if value), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


class DynatraceError(Exception):
    """Any failure talking to Dynatrace, with everything a user needs to act on it.

    The message never contains a token secret: the client redacts what it knows (the configured
    token), and every text of the error is redacted of token shapes once more when shown.
    """

    def __init__(self, message, status=None, method=None, path=None, violations=None, attempts=1):
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.violations = [(redact(where), redact(what)) for where, what in violations or []]
        self.attempts = attempts

    def reworded(self, message):
        """This error with `message` instead of its own, its status, request, violations and attempts kept.

        The one way a layer adds context to an error it passes on (build `message` from `self.message`); the new text
        is redacted like the first. Returns the error, for `raise exc.reworded(...)`.
        """
        self.message = redact(message)
        self.args = (self.message,)
        return self

    def __str__(self):
        where = ' '.join(part for part in (self.method, self.path) if part)
        text = self.message
        if where:
            status = ' failed with HTTP %s' % self.status if self.status else ' failed'
            text = '%s%s: %s' % (where, status, text)
        if self.violations:
            text += ' Constraint violations: %s.' % '; '.join('%s: %s' % pair for pair in self.violations)
        if self.attempts > 1:
            text += ' (after %d attempts)' % self.attempts
        return redact(text)

    def to_result(self):
        """Fields for fail_json, so playbooks can branch on the status."""
        return dict(status=self.status, method=self.method, path=self.path,
                    constraint_violations=[dict(path=p, message=m) for p, m in self.violations])


class ResponseLostError(DynatraceError):
    """A request that is not safe to repeat was sent, but its outcome is unknown.

    Raised for a POST whose connection dropped or timed out after sending, or that a gateway
    answered with 502/504. The caller must find out whether the server acted on it.
    """


class ConnectionOptionError(ValueError):
    """A connection option (url, api_token, ca_path) is unusable; the message names the option and the rule."""


def parse_error_body(status, content_type, text):
    """Return (message, violations) from an error response body.

    Understands the Dynatrace error envelope, a JSON list of envelopes, and summarises anything
    else (a proxy's HTML page) in one line instead of dumping it.
    """
    payload = None
    text = text or ''
    if 'json' in (content_type or '').lower() or text.lstrip()[:1] in ('{', '['):
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
    envelopes = payload if isinstance(payload, list) else [payload]
    messages, violations = [], []
    for envelope in envelopes:
        error = envelope.get('error') if isinstance(envelope, dict) else None
        if not isinstance(error, dict):
            continue
        if error.get('message'):
            messages.append(str(error['message']))
        for violation in error.get('constraintViolations') or []:
            if isinstance(violation, dict):
                violations.append((str(violation.get('path') or '(request)'), str(violation.get('message') or '')))
    if messages or violations:
        return ' '.join(messages) or 'request rejected', violations
    return summarize_non_json(status, content_type, text), []


def summarize_non_json(status, content_type, text):
    """One line describing a body that is not a Dynatrace error envelope."""
    text = text or ''
    title = re.search(r'<title[^>]*>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
    if title:
        gist = title.group(1)
    else:
        gist = re.sub(r'<[^>]+>', ' ', text)
    gist = ' '.join(gist.split())[:GIST_LENGTH]
    kind = (content_type or 'no content type').split(';')[0]
    if not gist:
        return 'empty response body (%s)' % kind
    return 'unexpected %s response, not a Dynatrace API answer (a proxy or gateway in between?): %s' % (kind, gist)


def describe_connection_error(exc):
    """A short reason for a requests connection error, without urllib3's nested repr."""
    text = str(exc)
    errno = re.search(r'\[Errno -?\d+\] ([^\'")\]]+)', text)
    if errno:
        return errno.group(1).strip()
    openssl = re.search(r'\[(?:SSL|X509)(?:: [A-Z_]+)?\] ([^\'"(]+)', text)
    if openssl:
        return openssl.group(1).strip()
    for needle in ('Connection refused', 'Connection reset', 'Connection aborted', 'Read timed out',
                   'timed out', 'Name or service not known', 'RemoteDisconnected', 'IncompleteRead'):
        if needle.lower() in text.lower():
            return needle
    return type(exc).__name__
