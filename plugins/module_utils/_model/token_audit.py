# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The token audit's pure model: what is wrong with a token, the rows of the report, its table, CSV and JSON.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

No client, no request: it reads token metadata as Environment API v2 lists it (never a secret: the
API sends none there) and the clock the caller passes.
"""

import csv
import io
import json

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import iso_to_ms

DAY_MS = 24 * 3600 * 1000
HOUR_MS = 3600 * 1000

# The findings, in the order the report shows them.
EXPIRED = 'expired'
EXPIRING = 'expiring'
UNUSED = 'unused'
NEVER_EXPIRES_WITH_WRITE = 'never_expires_with_write_scopes'
OLD_TOKEN_MANAGEMENT = 'token_management_older_than_1h'
UNREADABLE = 'environment_unreadable'
FINDINGS = (EXPIRED, EXPIRING, UNUSED, NEVER_EXPIRES_WITH_WRITE, OLD_TOKEN_MANAGEMENT, UNREADABLE)

# A scope that changes something: the API's *.write, *.ingest, *.create and *.install scopes, and the older
# environment scopes that write (configuration, data import, token management).
WRITE_SUFFIXES = ('.write', '.ingest', '.create', '.install')
WRITE_SCOPES = frozenset(('WriteConfig', 'TenantTokenManagement', 'DataImport', 'LogImport', 'CaptureRequestData',
                          'ExternalSyntheticIntegration', 'RumJavaScriptTagManagement'))
# Scopes that create or change tokens: a token that holds one manages tokens (what a token-management token holds).
TOKEN_MANAGEMENT_SCOPES = frozenset(('apiTokens.write', 'TenantTokenManagement'))
COLUMNS = ('environment_id', 'environment_name', 'token_id', 'token_name', 'owner', 'findings', 'enabled',
           'creation_date', 'expiration_date', 'last_used_date', 'scopes', 'msg')


def is_write_scope(scope):
    return scope in WRITE_SCOPES or scope.endswith(WRITE_SUFFIXES)


def _ms(text):
    if not text:
        return None
    try:
        return iso_to_ms(str(text))
    except ValueError:
        return None


def findings(token, now_ms, days):
    """What the audit reports of one token (API shape), in FINDINGS order; empty when nothing is wrong.

    expired: its expiration date has passed. expiring: it expires within `days`. unused: not used for `days`
    (never used counts from its creation, so a token made yesterday is not unused). A token without expiration
    that holds a write scope; a token that manages tokens (apiTokens.write or TenantTokenManagement) made more
    than an hour ago (token-management tokens are meant to live minutes).
    """
    found = []
    expires, scopes = _ms(token.get('expirationDate')), set(token.get('scopes') or [])
    if expires is not None and expires <= now_ms:
        found.append(EXPIRED)
    elif expires is not None and expires <= now_ms + days * DAY_MS:
        found.append(EXPIRING)
    last_use = _ms(token.get('lastUsedDate')) or _ms(token.get('creationDate'))
    if last_use is not None and last_use < now_ms - days * DAY_MS:
        found.append(UNUSED)
    if expires is None and any(is_write_scope(scope) for scope in scopes):
        found.append(NEVER_EXPIRES_WITH_WRITE)
    created = _ms(token.get('creationDate'))
    if scopes & TOKEN_MANAGEMENT_SCOPES and created is not None and created < now_ms - HOUR_MS:
        found.append(OLD_TOKEN_MANAGEMENT)
    return found


def token_row(environment, token, found):
    """One row of the report: the token's metadata (never a secret) and its findings."""
    return dict(environment_id=environment['id'], environment_name=environment.get('name'), token_id=token.get('id'),
                token_name=token.get('name'), owner=token.get('owner'), findings=list(found),
                enabled=token.get('enabled'), creation_date=token.get('creationDate'),
                expiration_date=token.get('expirationDate'), last_used_date=token.get('lastUsedDate'),
                scopes=sorted(token.get('scopes') or []), msg=None)


def unreadable_row(environment, message):
    """The row of an environment whose tokens could not be read: listed, never skipped."""
    row = dict((column, None) for column in COLUMNS)
    row.update(environment_id=environment['id'], environment_name=environment.get('name'), findings=[UNREADABLE],
               scopes=[], msg=message)
    return row


def counts(rows):
    """How many rows carry each finding (every finding named, 0 included)."""
    return dict((finding, sum(1 for row in rows if finding in row['findings'])) for finding in FINDINGS)


def table(rows, limit=200):
    """The report as aligned text lines, one per row (the first `limit` rows; a last line says how many more)."""
    headers = ('environment', 'token', 'owner', 'findings', 'expires', 'last used')
    lines = [(_environment_label(row), _token_label(row), row['owner'] or '', ','.join(row['findings']),
              row['expiration_date'] or ('-' if row['token_id'] else ''), row['last_used_date'] or '')
             for row in rows[:limit]]
    widths = [max([len(header)] + [len(line[index]) for line in lines]) for index, header in enumerate(headers)]
    text = ['  '.join(value.ljust(width) for value, width in zip(line, widths)).rstrip()
            for line in [headers, tuple('-' * width for width in widths)] + lines]
    if len(rows) > limit:
        text.append('... and %d more rows (all of them in the report file and in the rows result)' % (len(rows) - limit))
    return text


def _environment_label(row):
    return '%s (%s)' % (row['environment_name'], row['environment_id']) if row['environment_name'] else row['environment_id']


def _token_label(row):
    if not row['token_id']:
        return 'not read: %s' % row['msg']
    return '%s (%s)' % (row['token_name'], row['token_id'])


def render(rows, report_format, summary=None):
    """The report file's text: CSV (one line per row, lists joined by spaces) or JSON (summary and rows)."""
    if report_format == 'json':
        return json.dumps(dict(summary or {}, rows=rows), indent=2, sort_keys=True) + '\n'
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(value):
    """A CSV cell. A token name is anyone's text: one that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ''
    text = ' '.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ('=', '+', '-', '@', '\t', '\r') else text
