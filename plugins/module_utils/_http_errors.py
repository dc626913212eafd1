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


class DynatraceError(Exception):
    """Any failure talking to Dynatrace, with everything a user needs to act on it.

    The message never contains the API token: the client redacts it before raising.
    """

    def __init__(self, message, status=None, method=None, path=None, violations=None, attempts=1):
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.violations = list(violations or [])
        self.attempts = attempts

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
        return text

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
    gist = ' '.join(gist.split())[:160]
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


def redact(text, token):
    """Remove the API token (whole, or its secret part) from any text meant for the user."""
    text = str(text)
    secret = token.rsplit('.', 1)[-1]
    for value in (token, secret):
        if len(value) >= 8:
            text = text.replace(value, '********')
    return text
