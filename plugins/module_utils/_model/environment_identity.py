# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which environment a task means: the id a new environment gets, and the conflicts that stop a task.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure model (no client, no request), shared by dynatrace_environment and the environments role's
filter, so that both refuse the same cases with the same words.

The API has no idempotency key for POST, but PUT /environments/{id} is an upsert and any
[a-zA-Z0-9_-]{1,70} is an id. A new environment is therefore created with PUT under an id derived
from its name: a resent or concurrent create of the same name lands on the same id and updates
(204) instead of making a second environment.
"""

import uuid

# Fixed for ever: changing it would give existing names new ids, and re-opens the duplicate window.
CREATION_NAMESPACE = uuid.UUID('9c17f1ca-51fa-5e4d-8f22-065a79795da6')


def creation_id(name):
    """The id of a new environment of this exact name: its UUID-5 under the collection's namespace."""
    return str(uuid.uuid5(CREATION_NAMESPACE, name))


def _ids(environments):
    return ', '.join(sorted(str(environment.get('id')) for environment in environments))


def ambiguous_name(name, matches):
    return ('name %r matches %d environments (ids: %s); set environment_id to choose one'
            % (name, len(matches), _ids(matches)))


def id_name_mismatch(environment_id, name, environment, absent=False):
    """environment_id and name were both given and belong to different environments (or none to the name)."""
    advice = ('give the name it carries, or leave name out' if absent else
              'give the name it carries, leave name out, or set rename: true (with update_existing: true) to rename it')
    return ('environment_id %r and name %r do not agree: environment %s is named %r. Nothing was %s: %s.'
            % (environment_id, name, environment_id, environment.get('name'), 'deleted' if absent else 'changed',
               advice))


def name_taken(environment_id, name, holders):
    """Creating environment_id would make a second environment of a name that others already carry."""
    return ('environment_id %r does not exist, and creating it would make a second environment named %r: '
            '%s already carr%s that name (id%s: %s). Nothing was created: address the existing environment '
            'by its environment_id, or choose another name.'
            % (environment_id, name, 'one environment' if len(holders) == 1 else '%d environments' % len(holders),
               'ies' if len(holders) == 1 else 'y', '' if len(holders) == 1 else 's', _ids(holders)))


def rename_taken(environment_id, name, holders):
    return ('environment %s cannot be renamed to %r: environment %s already carries that name. Nothing was changed.'
            % (environment_id, name, _ids(holders)))


def renamed(name, environment):
    """The environment this collection created for `name` (its creation id) now carries another name."""
    return ('no environment is named %r, but environment %s, which carries the id this collection gives to a new '
            'environment of that name, is named %r: it was renamed. Nothing was changed; it is not renamed back and '
            'no second environment is created. Rename it back to %r, declare it by its current name, or give '
            'environment_id to create a separate environment named %r.'
            % (name, environment.get('id'), environment.get('name'), name, name))
