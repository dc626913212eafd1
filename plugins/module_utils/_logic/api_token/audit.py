# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_api_token_audit's logic: the API tokens of every environment, what is wrong with them.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

One listing of the environments (1 request per 1,000), then per environment, up to `parallel` at once
(fewer while the cluster answers 429 or 503): the mint of a short-lived token-management token, one
listing of its tokens (per 10,000 tokens) and the deletion of the minted token: 3 requests per
environment, plus one DELETE per expired token an earlier task minted and could not delete. An
environment whose tokens cannot be read is a row of the report, never left out.
"""

import os
import time
from functools import partial

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api_environments
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api_tokens
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import token_audit as model
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import LIST_FIELDS
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import TokenSession
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError

REPORT_FORMATS = ('csv', 'json')


def audit_errors(params):
    """The input errors, each naming the option and the rule."""
    errors = []
    if isinstance(params.get('days'), bool) or not isinstance(params.get('days'), int) or params['days'] < 1:
        errors.append('days must be a whole number of days, 1 or more, got %r' % (params.get('days'),))
    parallel = params.get('parallel')
    if isinstance(parallel, bool) or not isinstance(parallel, int) or not 1 <= parallel <= 10:
        errors.append('parallel must be a whole number from 1 (one environment at a time) to 10, got %r' % (parallel,))
    if params.get('report_format') and not params.get('report_file'):
        errors.append('report_format needs report_file: the file to write the report to')
    return errors


def report_format(params):
    """csv or json: report_format when given, else from the file's extension (.json), else csv."""
    if params.get('report_format'):
        return params['report_format']
    return 'json' if str(params.get('report_file') or '').lower().endswith('.json') else 'csv'


def select(environments, wanted):
    """(the environments to audit, the wanted names or ids no environment carries); all when nothing is wanted."""
    if not wanted:
        return sorted(environments, key=lambda env: (env.get('name') or '', env['id'])), []
    chosen, missing = [], []
    for entry in wanted:
        found = [env for env in environments if env['id'] == entry or env.get('name') == entry]
        if not found:
            missing.append(entry)
        chosen.extend(env for env in found if env not in chosen)
    return chosen, missing


def environment_rows(cluster, environment, now_ms, days, warn):
    """The rows of one environment: every token with a finding, and how many tokens it holds.

    The token minted to read them is left out; so are expired tokens minted by earlier tasks of the collection that
    could not be deleted then (a cluster whose tokens API does not reach environment tokens): they are deleted now,
    one request each, so the chain of short-lived tokens does not pile up.
    """
    session = TokenSession(cluster, environment['id'], None, 'dynatrace_api_token_audit', warn)
    with session:
        tokens = api_tokens.list_api_tokens(session.client, environment['id'], LIST_FIELDS)
        cleaned = set(session.delete_expired_leftovers(tokens))
    tokens = [token for token in tokens if not session.is_minted(token) and token.get('id') not in cleaned]
    rows = []
    for token in tokens:
        found = model.findings(token, now_ms, days)
        if found:
            rows.append(model.token_row(environment, token, found))
    return rows, len(tokens)


def token_audit(cluster, params, check_mode=False, warn=None, now_ms=None):
    """Run one dynatrace_api_token_audit task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    environments, dummy = api_environments.list_environments(cluster)
    chosen, missing = select(environments, params.get('environments'))
    leftovers = []  # one warning for all environments, not one each
    jobs = [partial(environment_rows, cluster, env, now_ms, params['days'], leftovers.append) for env in chosen]
    rows, tokens_read = [], 0
    for environment, outcome in zip(chosen, run_jobs(jobs, params['parallel'],
                                                     congestion=lambda: cluster.gate.pushbacks)):
        if outcome.failed:
            rows.append(model.unreadable_row(environment, _message(outcome.error)))
        else:
            rows.extend(outcome.value[0])
            tokens_read += outcome.value[1]
    rows.extend(model.unreadable_row(dict(id=entry), 'no environment of that id or name on the cluster')
                for entry in missing)
    if leftovers:
        warn('%d of %d environments keep the token-management token minted for this audit until it expires (10 '
             'minutes after it was minted); the next audit or token task deletes it then. The first: %s'
             % (len(leftovers), len(chosen), leftovers[0]))
    summary = dict(environments=len(chosen) + len(missing), tokens=tokens_read, days=params['days'],
                   counts=model.counts(rows))
    result = dict(summary, changed=False, rows=rows, table=model.table(rows))
    if params.get('report_file'):
        result['report_file'] = params['report_file']
        text = model.render(rows, report_format(params), summary)
        result['changed'] = _differs(params['report_file'], text)
        if result['changed'] and not check_mode:
            write_report(params['report_file'], text)
    return result


def _message(error):
    return str(error) if isinstance(error, DynatraceError) else '%s: %s' % (type(error).__name__, error)


def _differs(path, text):
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read() != text
    except (IOError, OSError):
        return True


def write_report(path, text):
    """The report to `path`, readable by its owner only (who holds which token is worth keeping to oneself)."""
    temporary = '%s.%d.tmp' % (path, os.getpid())
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
        handle.write(text)
    os.replace(temporary, path)
