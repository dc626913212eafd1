# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The management zones of the environments a run names, read inside each environment.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

A cluster token cannot read inside an environment. For each environment either the user gives a token
of it with ReadConfig (zone_read_tokens), or the token chain of dynatrace_api_token runs: a short-lived
token-management token minted with the cluster token (TokenSession), with it a short-lived ReadConfig
token, the zone listing, then both tokens deleted (the read token by the token-management token, that
one by the cluster token), also when the listing fails. Requests per environment: 1 with a given token,
5 with the chain (mint, create, list, delete, delete). Neither token's secret leaves this module.
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api_tokens
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import zones as api_zones
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import TokenSession, minted_name
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import ZoneIndex, resolve_zone_entries

PURPOSE = 'management zone lookup'
# The read token lives for minutes (relative expiration units are m h d w M y): harmless if a failure leaves it.
READ_TOKEN_EXPIRATION = 'now+10m'


def given_tokens_by_id(zone_read_tokens, environment_index):
    """({environment id: token}, errors) of the zone_read_tokens option (keys: environment names or ids)."""
    tokens, errors = {}, []
    for reference in sorted(zone_read_tokens or {}):
        environment_id, error = environment_index.resolve(reference)
        if error:
            errors.append('zone_read_tokens: %s' % error)
        else:
            tokens[environment_id] = zone_read_tokens[reference]
    return tokens, errors


def read_zone_index(cluster, environment_ids, given_tokens=None, warn=None):
    """A ZoneIndex of every environment id given (each listed once)."""
    index = ZoneIndex()
    for environment_id in sorted(set(environment_ids)):
        index.add(environment_id, list_environment_zones(cluster, environment_id, (given_tokens or {}).get(environment_id),
                                                         warn))
    return index


def list_environment_zones(cluster, environment_id, given_token=None, warn=None):
    """[{id, name}] of one environment's zones, with the given token or through the token chain."""
    if given_token:
        return _list_with(cluster, cluster.with_token(given_token), environment_id, given=True)
    with TokenSession(cluster, environment_id, purpose=PURPOSE, warn=warn) as session:
        created = api_tokens.create_api_token(session.client, environment_id, {
            'name': minted_name(PURPOSE, time.time()), 'scopes': [api_zones.SCOPE_READ_CONFIG],
            'expirationDate': READ_TOKEN_EXPIRATION})
        try:
            return _list_with(cluster, cluster.with_token(created['token']), environment_id, given=False)
        finally:
            if not api_tokens.delete_api_token(session.client, environment_id, created['id']) and warn:
                warn('the ReadConfig token %s made to list the management zones of environment %s was gone before it '
                     'was deleted' % (created['id'], environment_id))


def _list_with(cluster, reader, environment_id, given):
    try:
        return api_zones.list_zones(reader, environment_id)
    except DynatraceError as exc:
        if exc.status in (401, 403):
            raise exc.reworded('%s (listing the management zones of environment %s needs a token of that environment '
                               'with ReadConfig: %s)' % (exc.message, environment_id, 'the one zone_read_tokens gives'
                                                         if given else 'the token this run created for it'))
        raise
    finally:
        cluster.retry_count += reader.retry_count
        cluster.waited_seconds += reader.waited_seconds


def resolve_zone_permissions(cluster, entries, environment_index, zone_read_tokens=None, warn=None, option='management_zone_permissions'):
    """(resolved entries, ZoneIndex) of a management_zone_permissions option; a DynatraceError before any write.

    Unknown or ambiguous environments fail before any zone is listed; then the zones of the named environments are
    listed once each, and an unknown zone, or a name two zones carry, fails naming the environment and the zone.
    """
    tokens, errors = given_tokens_by_id(zone_read_tokens, environment_index)
    environment_ids = []
    for position, entry in enumerate(entries):
        environment_id, error = environment_index.resolve(entry['environment'])
        if error:
            errors.append('%s[%d] (zone %r): %s' % (option, position, entry['management_zone'], error))
        else:
            environment_ids.append(environment_id)
    if errors:
        raise DynatraceError('; '.join(errors))
    zone_index = read_zone_index(cluster, environment_ids, tokens, warn)
    resolved, errors = resolve_zone_entries(entries, environment_index, zone_index, option)
    if errors:
        raise DynatraceError('; '.join(errors))
    return resolved, zone_index
