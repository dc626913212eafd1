"""clusterops.dynatrace.dynatrace_api_token_audit through ansible-playbook against a seeded emulator.

Every finding on tokens made for it, an environment whose tokens cannot be read listed as such, the minted
token-management tokens deleted, the request count per environment, the table at -v, CSV and JSON reports.
"""

import csv
import json
import os
import stat
from pathlib import Path

import yaml

from tests.integration.runner import run_tasks

ENVIRONMENTS = '/api/cluster/v2/environments'
DAY_MS, HOUR_MS = 24 * 3600 * 1000, 3600 * 1000
# name: (scopes, expires_in_ms, age_ms, last_used_ago_ms, the findings expected)
TOKENS = {
    'expired': (['DataExport'], -1000, DAY_MS, HOUR_MS, ['expired']),
    'expiring': (['metrics.read'], 5 * DAY_MS, 10 * DAY_MS, DAY_MS, ['expiring']),
    'unused': (['metrics.read'], 100 * DAY_MS, 60 * DAY_MS, 40 * DAY_MS, ['unused']),
    'never used for long': (['metrics.read'], 100 * DAY_MS, 45 * DAY_MS, None, ['unused']),
    'forever writer': (['metrics.ingest', 'metrics.read'], None, DAY_MS, HOUR_MS, ['never_expires_with_write_scopes']),
    'old manager': (['apiTokens.read', 'apiTokens.write'], 100 * DAY_MS, 2 * HOUR_MS, HOUR_MS,
                    ['token_management_older_than_1h']),
    'clean': (['metrics.read'], 100 * DAY_MS, DAY_MS, HOUR_MS, []),
    'new reader, never used': (['metrics.read'], None, DAY_MS, None, []),
}


def seed(emulator):
    emulator.configure(cluster_tokens_see_environment_tokens=True)  # the reading where minted tokens can be deleted
    audited = emulator.create_environment('audited')
    quiet = emulator.create_environment('quiet')
    broken = emulator.create_environment('broken')
    secrets = []
    for name, (scopes, expires, age, last_used, dummy) in TOKENS.items():
        secrets.append(emulator.create_token(scopes, environment=audited, name=name, expires_in_ms=expires, age_ms=age,
                                             last_used_ago_ms=last_used))
    secrets.append(emulator.create_token(['metrics.read'], environment=quiet, name='fine', expires_in_ms=90 * DAY_MS,
                                         last_used_ago_ms=0))
    emulator.add_fault(method='POST', path='%s/%s/tokenManagementToken' % (ENVIRONMENTS, broken), action='status',
                       status=403)
    emulator.clear_requests()
    return audited, quiet, broken, secrets


def audit_task(**args):
    return {'name': 'audit', 'clusterops.dynatrace.dynatrace_api_token_audit': args}


def test_every_finding_and_the_unreadable_environment_are_reported(emulator, tmp_path):
    audited, quiet, broken, secrets = seed(emulator)
    report = tmp_path / 'tokens.csv'
    run = run_tasks([audit_task(environments=[], report_file=str(report)),
                     audit_task(environments=['audited', 'no-such-environment'], report_file=str(tmp_path / 'r.json'),
                                days=3)], emulator=emulator, verbosity=1)
    assert run.rc == 0, run.stdout[-3000:]
    first = run.results[0]['result']
    found = dict((row['token_name'], row['findings']) for row in first['rows'] if row['environment_id'] == audited)
    assert found == dict((name, spec[4]) for name, spec in TOKENS.items() if spec[4])
    unreadable = [row for row in first['rows'] if row['findings'] == ['environment_unreadable']]
    assert [(row['environment_id'], row['environment_name']) for row in unreadable] == [(broken, 'broken')]
    assert '403' in unreadable[0]['msg']
    assert not [row for row in first['rows'] if row['environment_id'] == quiet]
    assert first['counts'] == {'expired': 1, 'expiring': 1, 'unused': 2, 'never_expires_with_write_scopes': 1,
                               'token_management_older_than_1h': 1, 'environment_unreadable': 1}
    assert first['environments'] == 3 and first['tokens'] == len(TOKENS) + 1

    # Requests: the listing, then per environment the mint, the token listing and the deletion of the minted token.
    log = [(entry['method'], entry['path'].split('/')[-1] if entry['path'].startswith(ENVIRONMENTS) else entry['path'])
           for entry in emulator.requests()]
    first_run = log[:1 + 3 + 3 + 1]
    assert first_run[0] == ('GET', 'environments')
    assert sorted(method for method, dummy in first_run[1:]) == ['DELETE', 'DELETE', 'GET', 'GET', 'POST', 'POST', 'POST']
    # Every minted token was deleted: none is left in any environment.
    assert [t for t in emulator.tokens() if 'dynatrace_api_token_audit' in (t['name'] or '')] == []

    # The report file: 0600, one CSV line per row.
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o600
    with open(report, encoding='utf-8') as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == len(first['rows']) and {'expired', 'environment_unreadable'} <= set(line['findings'] for line in lines)

    # The second task: a 3 days horizon, a JSON report, a name that no environment carries is a row too.
    second = run.results[1]['result']
    assert 'expiring' not in [finding for row in second['rows'] for finding in row['findings']]
    assert ['no-such-environment'] == [row['environment_id'] for row in second['rows']
                                       if row['findings'] == ['environment_unreadable']]
    assert json.loads((tmp_path / 'r.json').read_text())['counts'] == second['counts']

    # At -v the table is in the task output; no secret anywhere.
    assert 'API token audit of 3 environments' in run.stdout and 'never_expires_with_write_scopes' in run.stdout
    assert 'forever writer' in run.stdout
    for secret in secrets:
        assert secret not in run.stdout and secret.split('.')[2] not in run.stdout
        assert secret.split('.')[2] not in report.read_text()


def test_check_mode_writes_no_report_and_a_second_run_is_unchanged(emulator, tmp_path):
    seed(emulator)
    report = tmp_path / 'tokens.csv'
    checked = run_tasks([audit_task(report_file=str(report))], emulator=emulator, check=True)
    assert checked.last_status == 'changed' and not report.exists()
    run = run_tasks([audit_task(report_file=str(report)), audit_task(report_file=str(report))], emulator=emulator)
    assert [result['status'] for result in run.results] == ['changed', 'ok'], run.results


def test_bad_input_is_refused_before_any_request(emulator):
    emulator.clear_requests()
    run = run_tasks([audit_task(days=0, parallel=11)], emulator=emulator)
    assert run.last_status == 'failed'
    assert 'days must be' in run.last['msg'] and 'parallel must be' in run.last['msg']
    assert emulator.requests() == []


def test_minted_tokens_the_cluster_cannot_delete_give_one_warning_and_are_deleted_by_the_next_audit(emulator):
    for name in ('left-a', 'left-b'):
        emulator.create_environment(name)
    first = run_tasks([audit_task()], emulator=emulator)
    assert first.last_status == 'ok'
    warnings = first.last.get('warnings') or []
    assert len(warnings) == 1 and warnings[0].startswith('2 of 2 environments keep the token-management token')
    minted = [t for t in emulator.tokens() if 'dynatrace_api_token_audit' in (t['name'] or '')]
    assert len(minted) == 2
    emulator.configure(clock_offset_ms=11 * 60 * 1000)  # the minted tokens have expired
    emulator.clear_requests()
    second = run_tasks([audit_task()], emulator=emulator)
    assert second.last['counts']['expired'] == 0  # the leftovers are cleaned up, not reported
    left = [t['id'] for t in emulator.tokens() if 'dynatrace_api_token_audit' in (t['name'] or '') and t['expired']]
    assert left == []
    deletes = [entry for entry in emulator.requests() if entry['method'] == 'DELETE' and entry['path'].startswith('/e/')]
    assert len(deletes) == 2


def guide_play():
    """The YAML block of the audit section of docs/getting-started.md, parsed."""
    text = (Path(__file__).resolve().parents[2] / 'docs' / 'getting-started.md').read_text()
    section = text.split('## 8. Audit the API tokens', 1)[1].split('\n## ', 1)[0]
    (play,) = yaml.safe_load(section.split('```yaml\n', 1)[1].split('```', 1)[0])
    return play


def test_the_getting_started_audit_guide_runs_as_written(emulator):
    emulator.configure(cluster_tokens_see_environment_tokens=True)
    team = emulator.create_environment('team-guide')
    emulator.create_token(['metrics.read'], environment=team, name='reader', expires_in_ms=90 * DAY_MS)
    play = guide_play()
    clean = run_tasks(play['tasks'], emulator=emulator)
    assert clean.rc == 0 and [entry['status'] for entry in clean.results] == ['changed', 'ok'], clean.results
    emulator.create_token(['logs.ingest'], environment=team, name='forever')
    flagged = run_tasks(play['tasks'], emulator=emulator)
    assert flagged.rc != 0 and flagged.last_status == 'failed'
    assert 'forever' in flagged.last['msg'] and 'never_expires_with_write_scopes' in flagged.last['msg']
