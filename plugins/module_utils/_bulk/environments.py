# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_environments' logic: a whole list of environments, their API tokens and group permissions.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

One listing of the environments plans every item (the planner of _model/environment_plan over an
index of it; items that would meet on one environment stop the run before any write); the items that need writes run as
jobs, at most `parallel` at a time (_bulk_executor: starting at `parallel`, fewer while the cluster answers
429 or 503, more again when it recovers), each with the steps dynatrace_environment and
dynatrace_api_token use for one item; then the permissions are granted one item after the other
from ONE listing of the groups (a group is read-modify-written as a whole, so two writers of one
group at once would lose each other's change). One item failing never stops or hides the others.

Requests: steady state (nothing to do, every token recorded in the token folder) is the listing of
the environments (1 request per 1,000), one GET per declared environment whose quotas or storage are compared and
whose page came without them (a cursor that drops the include flags: every page but the first), plus the
listing of the groups when an item declares permissions. A creation is one PUT; a change one PUT; a
deletion a PUT and a DELETE. Tokens of an item that are not recorded:
the mint of a token-management token (none for an environment created in this run: its creation
answer carries one) and its deletion, one listing of the environment's tokens, one POST per missing
token. Permissions: one PUT per group that lacks some, a POST per group that does not exist.
Check mode sends the reads only (the listings and those GETs).
"""

import time
from functools import partial

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as _api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api.name_refusals import NamesRefusedError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.token_keeper import (
    ROTATE_HINT, TokenFileError, TokenKeeper,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.token_work import TokenWork
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import ENVIRONMENT_SCOPE, needs_confirmation
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import AdaptiveLimit, run_jobs
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.grants import grant_all
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.drift_report import drift_warning
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.group_grants import (
    needs_confirmation_check, settings_errors, settings_flag_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import find_group
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.zone_grants import resolve_zone_items, write_zone_grants
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import split_item_grants
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_plan import (
    environment_params, list_errors, pending_tokens, read_flags, token_file,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import environment_plan as planner
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_plan import drift_lines, label
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_apply import apply_step
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import redact
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import environment_url


def input_errors(params, now_ms=None):
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    return (list_errors(params['environments'] or [], now_ms, params.get('list_name') or 'environments')
            + settings_errors(params.get('groups')))


def ensure_environments(client, params, check_mode=False, warn=None, now_ms=None):
    """Run one dynatrace_environments task; return the module result (without request counters)."""
    warn = warn or (lambda message: None)
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    items = params['environments'] or []
    if not items and not params.get('groups'):
        return with_permission_changes(summary([]), [], None, [])
    run = Run(client, params, check_mode, warn, now_ms)
    if not check_mode:
        run.keeper.prepare()  # before the first request that can answer a secret
    # Sections only where the first page carries them: the declared environments that lack them are read in their
    # own job (Run.item), so the listing costs 1 request per 1,000 environments whatever the cursor keeps.
    environments, dummy = api.list_environments(client, complete=False, **read_flags(items))
    if needs_confirmation_check(params.get('groups')):
        # A cluster_admin change without confirm_cluster_admin stops the run before its first write (the
        # listing is read once: grant_all uses it).
        run.groups_listing = _api_groups.list_groups(client)
        errors = settings_flag_errors(run.groups_listing, params.get('groups'), find_group)
        if errors:
            raise DynatraceError('; '.join(errors))
    steps = plan_all(items, environments, params['update_existing'], params.get('list_name') or 'environments')
    jobs = [partial(run.item, item, step) for item, step in zip(items, steps)]
    limit = AdaptiveLimit(params['parallel'])
    run_adaptive = partial(run_jobs, congestion=lambda: client.gate.pushbacks, limit=limit)
    results = run_confirming_names_first(items, jobs, params['parallel'], check_mode, run_adaptive)
    run.grant_all(items, results)
    for result in results:
        if result.get('drift'):
            warn(drift_warning(result['name'], result['drift'],
                               'environments_update_existing' if params.get('list_name') == 'environments_list'
                               else 'update_existing'))
    return dict(with_permission_changes(summary(results), results, run, environments),
                concurrency=dict(limit=params['parallel'], lowest=limit.lowest, final=limit.limit, backoffs=limit.backoffs))


def unconfirmed_scopes(item):
    """The token scopes of an item that some clusters may not know: the server must confirm them."""
    return needs_confirmation(ENVIRONMENT_SCOPE, [scope for token in item.get('api_tokens') or []
                                                  for scope in token.get('scopes') or ()])


def refused_names(outcome):
    """The names the cluster refused in an item's outcome (its failure, or one of its API tokens'), or None."""
    if isinstance(outcome.error, NamesRefusedError):
        return outcome.error.names
    tokens = [] if outcome.failed else (outcome.value or {}).get('api_tokens') or []
    names = [name for entry in tokens for name in entry.get('refused_names') or ()]
    return names or None


def run_confirming_names_first(items, jobs, parallel, check_mode, run_many=run_jobs):
    """The results of every item's job, in list order, with nothing half-applied when the cluster refuses a name.

    Scopes a cluster may not know (newer or undocumented ones) are confirmed by the server's answer for the first
    item that uses them, which runs alone before any other write. When the cluster refuses names there, every
    other item that uses unconfirmed scopes is not attempted (it would be refused the same way after its
    environment was written); the others run.
    """
    first = next((position for position, item in enumerate(items) if unconfirmed_scopes(item)), None)
    if first is None or check_mode:
        return [_outcome_result(item, outcome) for item, outcome in zip(items, run_many(jobs, parallel))]
    (probe,) = run_jobs([jobs[first]], 1)
    refused = refused_names(probe)
    held = set(position for position, item in enumerate(items)
               if refused is not None and position != first and unconfirmed_scopes(item))
    rest = [position for position in range(len(items)) if position != first and position not in held]
    outcomes = dict(zip(rest, run_many([jobs[position] for position in rest], parallel)))
    outcomes[first] = probe
    results = []
    for position, item in enumerate(items):
        if position in held:
            results.append(dict(name=label(item), changed=False, failed=True, msg=(
                'not attempted: the cluster refused scopes %s of %s, and this item uses scopes it has not confirmed '
                '(%s); nothing of this item was written. Correct the scopes and run again.'
                % (', '.join(refused), label(items[first]), ', '.join(unconfirmed_scopes(item))))))
        else:
            results.append(_outcome_result(item, outcomes[position]))
    return results


def plan_all(items, environments, update_existing, list_name='environments'):
    """The Step of every item from the one listing; items that would meet on one environment stop the run here."""
    sight = planner.IndexSight(environments)
    steps = [planner.plan(environment_params(item, update_existing), sight) for item in items]
    conflicts = planner.conflicting_items(items, steps, list_name)
    if conflicts:
        raise DynatraceError('items of %s conflict, so nothing was changed: %s' % (list_name, '; '.join(conflicts)))
    return steps


def _outcome_result(item, outcome):
    if outcome.failed:
        return dict(name=label(item), changed=False, failed=True, msg=_message(outcome.error))
    return outcome.value


def _message(error):
    """An item's failure as text; an unexpected error is redacted like a DynatraceError (its text may quote a token)."""
    return str(error) if isinstance(error, DynatraceError) else redact('%s: %s' % (type(error).__name__, error))


class Run:
    """The settings one task's items share."""

    def __init__(self, client, params, check_mode, warn, now_ms):
        self.client, self.check_mode, self.warn, self.now_ms = client, check_mode, warn, now_ms
        self.update_existing = params['update_existing']
        self.create_token = params.get('create_token', True)  # the default of an item's create_token
        self.recorded = list(params.get('recorded_token_files') or [])
        self.token_dir = params.get('token_dir')
        self.keeper = TokenKeeper(self.token_dir, client.base_url, now_ms, warn)
        self.verify = params.get('verify_tokens')
        self.parallel = params['parallel']
        self.groups = params.get('groups') or []
        self.groups_listing = None  # read before the first write when a cluster_admin change needs confirming
        self.elsewhere = []
        self.group_results = []  # groups created or whose LDAP/SSO names change, and groups that failed

    def item(self, item, step):
        """The environment step of one item, then its API tokens; the result of the item."""
        params = environment_params(item, self.update_existing)
        if step.kind in (planner.CONVERGE, planner.ADOPT, planner.RENAME):
            step.environment = self.sections(item, step.environment)
        # A token-management token only where something keeps it (the result, the token folder); a new environment's
        # own token then also creates its API tokens (no mint). Without it, its API tokens get a minted one, deleted.
        params['create_token'] = self.create_token if item.get('create_token') is None else item['create_token']
        result, adopted = self.environment(params, step)
        result = dict(result, name=label(item))
        token = result.pop('token_management_token', None)
        if token:
            result['token_management_token'] = token
            self.keep_management_token(result)
        created = step.kind == planner.CREATE and not adopted
        born = None if created else (step.environment or {}).get('creationDate')
        if adopted and item.get('api_tokens'):
            result.update(self.adopted(item, result['environment_id']))
        elif step.kind in planner.KEEPS and item.get('api_tokens'):
            keep_tokens(result, self.tokens(item, result['environment_id'], token, created, born))
        if result.get('environment_id') and params['state'] == 'present':
            result['environment_url'] = environment_url(self.client, result['environment_id'])
            result['paas_token_file'] = paas_token_file(item, result['environment_id'])
            if self.token_dir and not self.check_mode:
                self.hand_off(item, result, born)
        for entry in result.get('api_tokens') or []:
            entry.pop('live', None)  # the listing's view, for the hand-off only
        return result

    def keep_management_token(self, result):
        """The token-management token of a new environment to its file, the moment the creation answered it."""
        if self.check_mode or not self.token_dir:
            return
        try:
            result['token_file'] = self.keeper.keep(result['environment_id'], result['token_management_token'])
            result['token_file_written'] = True
        except TokenFileError as exc:
            result.update(token_file_written=False, token_file_problem=str(exc))
            self.warn(str(exc))

    def hand_off(self, item, result, born):
        """The PaaS token for OneAgent: created in this run, or a file checked against its manifest, its expiry and
        the live token when this run listed them; else none, and the reason is said."""
        paas = paas_token(item)
        if paas is None:
            return
        entry = dict((t['name'], t) for t in result.get('api_tokens') or []).get(paas['name'], {})
        if entry.get('token'):
            result['oneagent_paas_token'] = entry['token']
            return
        live = entry.get('live')
        secret, problem = self.keeper.handoff_secret(result['environment_id'], paas['name'], born, live)
        result['oneagent_paas_token'] = secret
        if problem:
            result['oneagent_handoff_problem'] = problem
            self.warn('The PaaS token %r of %s is not handed to OneAgent: its file %s (%s). %s.'
                      % (paas['name'], result['name'], result['paas_token_file'], problem, ROTATE_HINT))

    def sections(self, item, environment):
        """The listed environment with the quotas and storage the item manages (one GET when its page lacked them)."""
        complete = api.with_sections(self.client, environment, **read_flags([item]))
        if complete is None:
            raise DynatraceError('environment %s (%s) was deleted while this run read it: run again'
                                 % (environment.get('name'), environment['id']))
        return complete

    def environment(self, params, step):
        """The item's environment step: (result, adopted), adopted when a creating PUT only updated it."""
        return apply_step(self.client, params, step, self.check_mode, self.warn)

    @staticmethod
    def adopted(item, environment_id):
        """The API tokens of an environment this run's PUT did not create: left to the run that did.

        A creating PUT answered 204: it updated an environment that another run created at the same moment
        (or an earlier attempt whose answer was lost). That run creates the API tokens with the token of its answer;
        creating them here too could make each one twice, since token names are not unique. So the item fails,
        asking for a run again, which finds the tokens and makes only those still missing.
        """
        return dict(failed=True, api_tokens=[dict(name=t['name'], changed=False, state='skipped',
                                                  file=token_file(environment_id, t['name']))
                                             for t in item['api_tokens']],
                    msg='environment %s was created at the same moment by another run (or by an earlier attempt whose '
                        'answer was lost), so its API tokens are left to that run, to make none of them twice: run '
                        'again to check them and create any still missing' % environment_id)

    def tokens(self, item, environment_id, token_management_token, created=False, born=None):
        """Ensure the declared API tokens that the token folder does not record; one session for all of them.

        With a token folder, a token counts as recorded when its file's manifest vouches for it (this cluster, this
        environment, the declared scopes, not expired); in an environment this run created, no file can be current.
        """
        if self.token_dir:
            pending = [t for t in item['api_tokens']
                       if created or self.verify or not self.keeper.records(environment_id, t, born)]
        else:
            pending = pending_tokens(item, environment_id, self.recorded, self.verify)
        names = set(token['name'] for token in pending)
        results = [dict(name=t['name'], changed=False, state='recorded', file=token_file(environment_id, t['name']))
                   for t in item['api_tokens'] if t['name'] not in names]
        if pending and self.check_mode:
            results += [dict(name=t['name'], changed=False, state='unknown', file=token_file(environment_id, t['name']),
                             msg='not recorded in the token folder: check mode cannot look it up without minting a '
                                 'token-management token, which is a write; the real run looks it up and creates it '
                                 'when missing') for t in pending]
        elif pending:
            update = item.get('update_existing')
            update = self.update_existing if update is None else update
            work = TokenWork(self, environment_id, born, update, created)
            results += work.ensure(token_management_token, pending)
        return sorted(results, key=lambda t: t['name'])

    def grant_all(self, items, results):
        """Permissions from one groups listing, one write per group, each group decided merge or replace.

        The environments this run manages are those of the items that did not fail and are present; replace
        revokes only there (or everywhere with replace_scope cluster). The groups are read only when some item
        declares permissions or the groups setting names a group. Management zones are first resolved by name
        (before any group write; an item naming an unknown zone fails), then the environment permissions, then
        the zone permissions from one read of every group's zones.
        """
        managed = [(item, result) for item, result in zip(items, results)
                   if not result.get('failed') and result.get('environment_id') and item.get('state', 'present') == 'present']
        if not self.groups and not any(item.get('permissions') for item, dummy in managed):
            return
        split = [(split_item_grants(item.get('permissions') or {}), result) for item, result in managed]
        zone_items = [(result['environment_id'], zones) for (dummy, zones), result in split if zones]
        zone_index, resolved, zone_errors = resolve_zone_items(self.client, zone_items, self.warn, self.parallel)
        for dummy, result in split:
            if result['environment_id'] in zone_errors:
                result.update(failed=True, msg=zone_errors[result['environment_id']])
        split = [(grants, result) for grants, result in split if not result.get('failed')]
        groups = self.groups_listing if self.groups_listing is not None else _api_groups.list_groups(self.client)
        granted = grant_all(self.client, groups, [(result['environment_id'], environment or {})
                                                  for (environment, dummy), result in split],
                            self.check_mode, self.warn, self.parallel, settings=self.groups, report=self.group_results)
        zoned = write_zone_grants(self.client, groups, resolved, zone_index, self.check_mode, self.warn, self.parallel)
        by_id = dict((result['environment_id'], result) for dummy, result in split)
        for environment_id, outcomes in granted.items():
            result = by_id.get(environment_id)
            if result is None:  # replace_scope cluster: an environment outside the list
                self.elsewhere.extend(dict(outcome, environment_id=environment_id) for outcome in outcomes)
                continue
            self._record(result, outcomes, zoned.get(environment_id, []))

    def _record(self, result, outcomes, zone_outcomes):
        """One item's permission outcomes (environment and zones) into its result; a merged group's undeclared
        grants are warned about."""
        if outcomes:
            result['permissions'] = outcomes
        if zone_outcomes:
            result['management_zone_permissions'] = zone_outcomes
        failed = [outcome['msg'] for outcome in outcomes + zone_outcomes if outcome.get('failed')]
        if failed:
            result.update(failed=True, msg='permissions: %s' % '; '.join(failed))
        result['changed'] = result['changed'] or any(outcome['changed'] for outcome in outcomes + zone_outcomes)
        for outcome in outcomes:
            if outcome.get('undeclared'):
                self.warn('environment %s: group %s holds %s there, which the list does not declare (kept: the '
                          'group is merged; permissions_mode replace in its groups setting revokes it)'
                          % (result['name'], outcome['group'], ', '.join(outcome['undeclared'])))


def with_permission_changes(summarised, results, run, environments):
    """The module result with one diff per changed group (by environment name) and the changes outside the list.

    RV(diff) gains one before/after per changed group, so check mode and --diff show exactly what would be granted
    and revoked; RV(permissions_elsewhere) lists the changes on environments outside the list (replace_scope
    cluster); RV(groups) the groups created or whose LDAP/SSO names change, and those that failed.
    """
    elsewhere = run.elsewhere if run else []
    whole = run.group_results if run else []
    names = dict((environment['id'], environment.get('name') or environment['id']) for environment in environments)
    names.update((result['environment_id'], result['name']) for result in results if result.get('environment_id'))
    changes = [(result['environment_id'], outcome) for result in results for outcome in result.get('permissions') or ()]
    changes += [(outcome['environment_id'], outcome) for outcome in elsewhere]
    by_group = dict((outcome['group'], ([], outcome)) for outcome in whole if not outcome.get('failed'))
    for environment_id, outcome in changes:
        if outcome.get('changed') and not outcome.get('failed'):
            by_group.setdefault(outcome['group'], ([], None))[0].append((names.get(environment_id, environment_id), outcome))
    summarised['diff'] = summarised['diff'] + [_group_diff(group, *by_group[group]) for group in sorted(by_group)]
    summarised['permissions_elsewhere'] = elsewhere
    summarised['groups'] = whole
    failed = [outcome for outcome in whole if outcome.get('failed')]
    for outcome in failed:
        summarised['failures']['group %s' % outcome['group']] = outcome['msg']
    summarised['changed'] = summarised['changed'] or any(outcome.get('changed') for outcome in elsewhere + whole)
    return summarised


def _group_diff(group, changed, whole):
    before, after = dict((whole or {}).get('before') or {}), dict((whole or {}).get('after') or {})
    if changed:
        before['permissions'] = dict((name, outcome['before']) for name, outcome in changed)
        after['permissions'] = dict((name, outcome['after']) for name, outcome in changed)
    return dict(before={} if whole and whole.get('created') else before, after=after,
                before_header='group %s' % group, after_header='group %s' % group)


def keep_tokens(result, tokens):
    """The API token results into the item's: what was created stays even when another token failed, and the
    drift of tokens left as they are joins the item's drift."""
    for token in tokens:
        if token.get('drift_kept'):
            result.setdefault('drift', {}).update(token.pop('drift_kept'))
    result['api_tokens'] = tokens
    result['changed'] = result['changed'] or any(t['changed'] for t in tokens)
    failed = [t for t in tokens if t.get('failed')]
    if failed:
        result.update(failed=True, msg='; '.join('api_tokens %s: %s' % (t['name'], t['msg']) for t in failed))


PAAS_SCOPE = 'InstallerDownload'


def summary(results):
    """The module result: per item results in list order, and the views the role reads.

    The views keyed by name use each item's label: its name, or `name (id)` when two items of the list share the name
    (allow_duplicate_name), so no namesake is lost; the `*_by_id` views are keyed by environment id.
    """
    labels = _labels(results)
    failures = dict((labels[n], r['msg']) for n, r in enumerate(results) if r.get('failed'))
    created = [(labels[n], r, dict(id=r['environment_id'], environment_url=r.get('environment_url'),
                                   token_management_token=r.get('token_management_token')))
               for n, r in enumerate(results) if _is_creation(r)]
    tokens = [(labels[n], r, _token_view(r)) for n, r in enumerate(results) if _new_tokens(r)]
    diffs = [dict(r['diff'], before_header=r['diff'].get('before_header', labels[n]),
                  after_header=r['diff'].get('after_header', labels[n])) for n, r in enumerate(results) if r.get('diff')]
    drift = [(labels[n], r, r['drift']) for n, r in enumerate(results) if r.get('drift')]
    handoffs = [(labels[n], r, handoff(r)) for n, r in enumerate(results) if r.get('paas_token_file')]
    return dict(changed=any(r.get('changed') for r in results), outcomes=results, failures=failures,
                created=_by_label(created), created_by_id=_by_id(created, named=True),
                api_tokens_created=_by_label(tokens), api_tokens_created_by_id=_by_id(tokens),
                drift=_by_label(drift), drift_by_id=_by_id(drift), drift_diff=drift_lines(_by_label(drift)), diff=diffs,
                oneagent_handoff=_by_label(handoffs), oneagent_handoff_by_id=_by_id(handoffs, named=True))


def _labels(results):
    """Each result's name, or `name (id)` when several results of the list carry that name."""
    names = [r['name'] for r in results]
    return [('%s (%s)' % (r['name'], r.get('environment_id')) if names.count(r['name']) > 1 and r.get('environment_id')
             else r['name']) for r in results]


def _by_label(entries):
    return dict((label_, value) for label_, dummy, value in entries)


def _by_id(entries, named=False):
    """The entries by environment id; `named`: each value also carries the environment's `name`."""
    return dict((result['environment_id'], dict(value, name=result['name']) if named else value)
                for dummy, result, value in entries)


def _token_view(result):
    return dict((t['name'], dict(id=t['id'], token=t['token'], file=t['file'], scopes=t['scopes']))
                for t in _new_tokens(result))


def handoff(result):
    """The variables the dynatrace.oneagent role reads: the environment URL and the PaaS token (None when unknown)."""
    secret = result.get('oneagent_paas_token')
    if secret is None:
        created = [token['token'] for token in _new_tokens(result) if token['file'] == result['paas_token_file']]
        secret = created[0] if created else None
    return dict(oneagent_environment_url=result['environment_url'], oneagent_paas_token=secret)


def _is_creation(result):
    return (not result.get('failed') and result.get('changed') and result.get('diff', {}).get('before') == {}
            and bool(result.get('environment')))


def _new_tokens(result):
    return [token for token in result.get('api_tokens') or [] if token.get('token')]


def paas_token(item):
    """The item's first token with InstallerDownload (what OneAgent installs with), or None."""
    for token in item.get('api_tokens') or []:
        if PAAS_SCOPE in token['scopes']:
            return token
    return None


def paas_token_file(item, environment_id):
    """The file of the item's PaaS token, or None."""
    token = paas_token(item)
    return token_file(environment_id, token['name']) if token else None
