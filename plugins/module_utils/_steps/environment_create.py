# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Creating one environment so that no timing makes a second one of the same name.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Steps shared by every caller that has already read the environments and found the name free (the
module after its lookup, a caller after its own listing). A new environment is created with
PUT /environments/{id} under the creation id of its name (_environment_identity): the transport
may resend that PUT after a lost answer, and a concurrent create of the same name lands on the
same id, so the server makes it once and answers the others 204. Two guards:
- the creation id is read first: when it carries another name, a person renamed the environment,
  and the task fails instead of renaming it back (find_created);
- a cluster that refuses the id (the id of a deleted environment) gets a POST instead, with the
  lost-answer handling of post_without_duplicates, and a warning (create_with_id).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import (
    api_to_options, desired_view, options_to_create_body,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id, renamed
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_lookup import find_by_name
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError, ResponseLostError

MINT_TOKEN_HINT = ('mint one with POST /api/cluster/v2/environments/%s/tokenManagementToken '
                   '(a cluster token with scope EnvironmentTokenManagement)')


def find_created(client, name, include_consumption=False, include_storage=False):
    """The environment under the creation id of `name`, or None; fails when it carries another name.

    Found with this name, it was created since the caller's read (a concurrent run, or an earlier run
    whose answer was lost): the caller treats it as existing.
    """
    environment = api.get_environment(client, creation_id(name), include_consumption, include_storage)
    if environment is not None and environment.get('name') != name:
        raise DynatraceError(renamed(name, environment))
    return environment


def planned_creation(params, environment_id):
    """The module result of creating the environment of `params` with this id (what check mode reports)."""
    predicted = api_to_options(dict(options_to_create_body(params), id=environment_id))
    return dict(changed=True, environment_id=environment_id, environment=predicted, drift={},
                diff=dict(before={}, after=desired_view(dict(params, enabled=predicted['enabled']))))


def create_with_id(client, params, environment_id, check_mode=False, warn=None, post_when_refused=False):
    """Create the environment of `params` with PUT under `environment_id`; return the module result.

    `post_when_refused`: when the cluster refuses the id (a creation id the cluster will not reuse),
    create it with a POST instead. An explicit environment_id is never replaced by another id.
    """
    return create_telling_adoption(client, params, environment_id, check_mode, warn, post_when_refused)[0]


def create_telling_adoption(client, params, environment_id, check_mode=False, warn=None, post_when_refused=False):
    """As create_with_id; return (module result, adopted).

    adopted: the PUT answered 204, so it updated an environment that was created just before it (by a concurrent
    run, or by an earlier attempt whose answer was lost) instead of creating it.
    """
    warn = warn or (lambda message: None)
    result = planned_creation(params, environment_id)
    if check_mode:
        return result, False
    body = options_to_create_body(params)
    try:
        created, token = api.create_environment_with_id(client, environment_id, body, params['create_token'])
    except api.IdRefusedError as refused:
        if not post_when_refused:
            raise refused.reworded('the cluster refuses to create an environment with id %s (%s); an id of a deleted '
                                   'environment may not be reusable: choose another environment_id'
                                   % (environment_id, refused.message))
        warn('The cluster refused to create environment %r under id %s (%s), so it was created with a POST and '
             'an id the cluster chose. Such a create is not idempotent: a concurrent run creating the same name '
             'at the same moment could make a second one.' % (params['name'], environment_id, refused.message))
        created = True
        environment_id, token = post_without_duplicates(client, params, body, warn)
    except DynatraceError as exc:
        raise _unknown_outcome(exc, environment_id)
    if not created and params['create_token']:
        warn('Environment %s was created by a concurrent run, or by an earlier attempt whose answer was lost, just '
             'before this create request, which then updated it. Its token-management token came back in that '
             'other answer only: %s.' % (environment_id, MINT_TOKEN_HINT % environment_id))
    result['environment_id'] = environment_id
    result['environment']['environment_id'] = environment_id
    if params['create_token'] and token:
        result['token_management_token'] = token
    return result, not created


def _unknown_outcome(exc, environment_id):
    """A creating PUT that got no answer at all (or a gateway's): it may have been acted on; say that a rerun is safe."""
    if exc.status is not None and exc.status not in (502, 504):
        return exc
    return exc.reworded('%s. The environment may or may not have been created; running the task again is safe: it '
                        'finds environment %s if it exists and creates no second one' % (exc.message, environment_id))


def post_without_duplicates(client, params, body, warn, attempts=2):
    """POST the environment; when an answer is lost, find out what happened instead of guessing.

    Only for a cluster that refuses the creation id. After a lost answer the name is looked up
    again (the caller's read found none): one match means the POST worked, so the environment is
    adopted (its token is lost with the answer); no match means it did not, so it is sent again;
    several mean another run created one at the same time, which only a person can sort out.
    """
    for dummy in range(attempts):
        try:
            return api.create_environment(client, body, create_token=params['create_token'])
        except ResponseLostError as lost:
            last_loss = lost
            matches = find_by_name(client, params['name'])
        if len(matches) == 1:
            environment_id = matches[0]['id']
            if params['create_token']:
                warn('The answer to the create request was lost (%s), but environment %r was created with id %s '
                     'and is adopted. Its token-management token was lost with the answer: %s.'
                     % (last_loss.message, params['name'], environment_id, MINT_TOKEN_HINT % environment_id))
            return environment_id, None
        if len(matches) > 1:
            raise DynatraceError('the answer to the create request was lost, and %d environments named %r exist now '
                                 '(ids: %s): another run created one at the same time. Delete the extra one.'
                                 % (len(matches), params['name'], ', '.join(sorted(m['id'] for m in matches))))
    raise DynatraceError('the create request for %r was sent %d times and each answer was lost; no environment of '
                         'that name exists. Check the network path to the cluster.' % (params['name'], attempts),
                         method='POST', path=last_loss.path, attempts=attempts)
