# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one planner of an environment item: which environment it means, and which step it needs.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure model (no client, no request). plan() decides for one item (the options of dynatrace_environment,
state and update_existing filled in) through a *sight* of the cluster, an object with three reads:

- by_id(environment_id): the environment of that id (API shape), or None;
- by_name(name): every environment of exactly that name (read with the sections the item manages);
- holders(name): every environment of exactly that name, when only their ids matter.

dynatrace_environment plans through a live sight (_steps/environment_sight.py: each read is a request,
in the order plan() asks); dynatrace_environments and the deprecated filters plan through IndexSight,
an index over one listing. The decisions, their refusals (in the words of _model/environment_identity)
and the item checks therefore exist once; tests/unit/plugins/module_utils/test_environment_plan.py runs
one table of cases through both sights.

Two checks need the whole list (conflicting_items): two items that would land on one environment, or
leave two environments of one name, stop the run before its first write.
"""

import json

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import (
    ambiguous_name, creation_id, id_name_mismatch, name_taken, rename_taken, renamed,
)

# The steps: create it; adopt (a creation of this name appeared since the lookup: compare it); converge (compare,
# update when update_existing); rename (converge, the name included); delete (an enabled environment is disabled
# first: the API refuses to delete it); gone (absent and nothing there); refuse (nothing is sent: message says why).
CREATE, ADOPT, CONVERGE, RENAME, DELETE, GONE, REFUSE = 'create', 'adopt', 'converge', 'rename', 'delete', 'gone', 'refuse'
# The steps that leave an environment in place (and may have API tokens and permissions).
KEEPS = (CREATE, ADOPT, CONVERGE, RENAME)


class Step:
    """What an item needs: `kind` (one of the constants above), the environment it acts on, and why when refused.

    environment: the environment as the sight answered it (converge, adopt, rename, delete); environment_id: the id
    the step acts on (the new id for create); post_when_refused: a creation id the cluster refuses may be replaced by
    a POST (only for an id this collection chose, never for a given environment_id).
    """

    def __init__(self, kind, environment=None, environment_id=None, message=None, post_when_refused=False):
        self.kind = kind
        self.environment = environment
        self.environment_id = environment_id or (environment or {}).get('id')
        self.message = message
        self.post_when_refused = post_when_refused

    def __repr__(self):
        return 'Step(%s, %s%s)' % (self.kind, self.environment_id, ', %r' % self.message if self.message else '')


class IndexSight:
    """A sight over one listing of the environments (API shape): no request."""

    def __init__(self, environments):
        self._by_id = dict((environment['id'], environment) for environment in environments)
        self._by_name = {}
        for environment in environments:
            self._by_name.setdefault(environment.get('name'), []).append(environment)

    def by_id(self, environment_id):
        return self._by_id.get(environment_id)

    def by_name(self, name):
        return list(self._by_name.get(name, []))

    holders = by_name


def item_errors(params):
    """The errors of one item's own options, checked before any request: what needs what, what excludes what."""
    errors = []
    absent = params.get('state') == 'absent'
    if not params.get('name') and not params.get('environment_id'):
        errors.append('name or environment_id is required')
    if params.get('rename') and not (params.get('environment_id') and params.get('name')):
        errors.append('rename: true needs environment_id (the environment) and name (its new name)')
    if params.get('rename') and absent:
        errors.append('rename: true does not go with state: absent')
    if params.get('allow_duplicate_name') and not params.get('environment_id'):
        errors.append('allow_duplicate_name: true needs environment_id (the id of the second environment of the name)')
    if params.get('name_lookup') is False and absent:
        errors.append('name_lookup: false is for state: present only (a deletion always looks the environment up)')
    return errors


def plan(params, sight):
    """The Step of one item; `params` has state and update_existing filled in. The sight's reads run in this order."""
    if params.get('environment_id'):
        return _plan_by_id(params, sight)
    name = params['name']
    if params['state'] == 'absent':
        matches = sight.by_name(name)
        if len(matches) > 1:
            return Step(REFUSE, message=ambiguous_name(name, matches))
        return Step(DELETE, environment=matches[0]) if matches else Step(GONE)
    if params.get('name_lookup', True):
        matches = sight.by_name(name)
        if len(matches) > 1:
            return Step(REFUSE, message=ambiguous_name(name, matches))
        if matches:
            return Step(CONVERGE, environment=matches[0])
    created = sight.by_id(creation_id(name))
    if created is not None and created.get('name') != name:
        return Step(REFUSE, message=renamed(name, created))
    if created is not None:
        return Step(ADOPT, environment=created)
    return Step(CREATE, environment_id=creation_id(name), post_when_refused=True)


def _plan_by_id(params, sight):
    environment_id, name = params['environment_id'], params.get('name')
    environment = sight.by_id(environment_id)
    if environment is not None:
        return _plan_existing(params, environment, sight)
    if params['state'] == 'absent':
        return Step(GONE, environment_id=environment_id)
    if not name:
        return Step(REFUSE, message='environment %s does not exist; name is required to create it' % environment_id)
    if params.get('name_lookup', True) and not params.get('allow_duplicate_name'):
        holders = sight.holders(name)
        if holders:
            return Step(REFUSE, message=name_taken(environment_id, name, holders))
    return Step(CREATE, environment_id=environment_id)


def _plan_existing(params, environment, sight):
    """environment_id found: its name and the item's must agree, unless rename: true asks to rename it."""
    name, absent = params.get('name'), params['state'] == 'absent'
    if name is None or environment.get('name') == name:
        return Step(DELETE if absent else CONVERGE, environment=environment)
    if absent or not params.get('rename'):
        return Step(REFUSE, message=id_name_mismatch(params['environment_id'], name, environment, absent=absent))
    if params['update_existing']:
        holders = [other for other in sight.holders(name) if other['id'] != environment['id']]
        if holders:
            return Step(REFUSE, message=rename_taken(environment['id'], name, holders))
    return Step(RENAME, environment=environment)


def _claims(params, step):
    """What an item's step takes for itself in a run: the environment id it acts on, and the name it leaves."""
    claims = []
    if step.kind == REFUSE:
        return claims
    if step.environment_id:
        claims.append(('environment', step.environment_id))
    if step.kind in KEEPS and not params.get('allow_duplicate_name'):
        claims.append(('name', params.get('name') or step.environment.get('name')))
    return claims


def conflicting_items(items, steps, list_name='environments'):
    """Every pair of items whose steps target one environment, or would leave two environments of one name.

    items: the declared items (for their labels); steps: their Steps, in the same order. Each error names both items.
    """
    errors, seen = [], {}
    for index, (item, step) in enumerate(zip(items, steps)):
        for claim in _claims(item, step):
            if claim not in seen:
                seen[claim] = index
                continue
            other = seen[claim]
            what = ('both target environment %s' % claim[1] if claim[0] == 'environment'
                    else 'would both leave an environment named %r' % claim[1])
            errors.append('%s[%d] (%s) and %s[%d] (%s) %s'
                          % (list_name, other, label(items[other]), list_name, index, label(item), what))
    return errors


def label(item):
    return item.get('name') or item.get('environment_id') or '?'


def drift_headers(name):
    """The headers of drift left as it is (update_existing false): the one wording of the modules' diff and lines."""
    return '%s (current; update_existing is false, nothing changed)' % name, '%s (as declared)' % name


def drift_lines(drift):
    """Drift per label as the lines of a diff (Ansible prints the diff of changed tasks only)."""
    lines = []
    for name in sorted(drift):
        before, after = drift_headers(name)
        lines += ['--- %s' % before, '+++ %s' % after]
        for path in sorted(drift[name]):
            lines += ['-%s: %s' % (path, json.dumps(drift[name][path]['current'], sort_keys=True)),
                      '+%s: %s' % (path, json.dumps(drift[name][path]['desired'], sort_keys=True))]
    return lines
