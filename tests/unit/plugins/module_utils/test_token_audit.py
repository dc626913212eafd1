"""Unit tests of the token audit's pure model: findings, rows, table, CSV and JSON.

Over real HTTP against a seeded emulator: tests/integration/test_dynatrace_api_token_audit.py.
"""

import csv
import io
import json
import time

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import token_audit as model

NOW_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
DAY = 24 * 3600 * 1000


def date(offset_ms):
    return time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime((NOW_MS + offset_ms) / 1000))


def token(**fields):
    base = dict(id='dt0c01.ABC', name='t', owner='admin', enabled=True, creationDate=date(-DAY), scopes=['metrics.read'],
                expirationDate=date(100 * DAY), lastUsedDate=date(-3600 * 1000))
    base.update(fields)
    return base


@pytest.mark.parametrize('fields, expected', [
    ({}, []),
    ({'expirationDate': date(-1)}, ['expired']),
    ({'expirationDate': date(29 * DAY)}, ['expiring']),
    ({'expirationDate': date(31 * DAY)}, []),
    ({'lastUsedDate': date(-31 * DAY)}, ['unused']),
    ({'lastUsedDate': None, 'creationDate': date(-31 * DAY)}, ['unused']),
    ({'lastUsedDate': None}, []),  # made yesterday, not used yet: not unused
    ({'expirationDate': None}, []),  # never expires, reads only
    ({'expirationDate': None, 'scopes': ['logs.ingest']}, ['never_expires_with_write_scopes']),
    ({'expirationDate': None, 'scopes': ['WriteConfig']}, ['never_expires_with_write_scopes']),
    ({'scopes': ['apiTokens.write'], 'creationDate': date(-2 * 3600 * 1000)}, ['token_management_older_than_1h']),
    ({'scopes': ['TenantTokenManagement'], 'creationDate': date(-30 * 60 * 1000)}, []),
    ({'expirationDate': date(-1), 'lastUsedDate': date(-40 * DAY), 'creationDate': date(-50 * DAY)}, ['expired', 'unused']),
])
def test_findings(fields, expected):
    assert model.findings(token(**fields), NOW_MS, 30) == expected


def test_an_unreadable_environment_is_a_row_with_its_reason():
    row = model.unreadable_row(dict(id='e1', name='team'), 'HTTP 403')
    assert row['findings'] == ['environment_unreadable'] and row['msg'] == 'HTTP 403' and row['token_id'] is None
    assert model.counts([row])['environment_unreadable'] == 1 and model.counts([row])['expired'] == 0


def test_the_table_aligns_and_names_every_row():
    rows = [model.token_row(dict(id='e1', name='team'), token(name='old'), ['expired']),
            model.unreadable_row(dict(id='e2', name='other'), 'HTTP 403')]
    lines = model.table(rows)
    assert lines[0].split() == ['environment', 'token', 'owner', 'findings', 'expires', 'last', 'used']
    assert 'old (dt0c01.ABC)' in lines[2] and 'not read: HTTP 403' in lines[3]
    assert model.table(rows, limit=1)[-1].startswith('... and 1 more rows')


def test_csv_quotes_what_a_spreadsheet_would_run_and_json_carries_the_summary():
    rows = [model.token_row(dict(id='e1', name='team'), token(name='=HYPERLINK("x")'), ['unused'])]
    text = model.render(rows, 'csv')
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed[0]['token_name'] == '\'=HYPERLINK("x")' and parsed[0]['scopes'] == 'metrics.read'
    assert json.loads(model.render(rows, 'json', dict(days=30)))['days'] == 30
