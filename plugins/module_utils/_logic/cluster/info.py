# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_cluster_info's logic: version, time and clock skew, optionally the nodes, each with the token of its kind.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

A Managed cluster has two kinds of token and no token that is both: a cluster token (api_token) works on
/api/cluster/... and /api/v1.0/onpremise/... only, an environment token (environment_api_token) only under
its own /e/{id}/.... So each call here uses the token of its kind, and a refused token is named by its option.
"""

import re
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import cluster as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.case import keys_to_snake
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import environment_id_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    SCOPE_DATA_EXPORT, SCOPE_SERVICE_PROVIDER, DynatraceError,
)

CLUSTER_TOKEN_HINT = ('api_token must be a cluster token (Cluster Management Console, Settings, API tokens, or '
                      'POST /api/cluster/v2/tokens) with the scope %s. An environment token is refused on the cluster '
                      'API: give that one as environment_api_token.' % SCOPE_SERVICE_PROVIDER)


def environment_token_hint(environment_id):
    where = 'environment %s' % environment_id if environment_id else 'the environment of url'
    return ('environment_api_token must be a token of %s (created in that environment, or with POST '
            '/e/<id>/api/v2/apiTokens) with the scope %s. A cluster token is refused under /e/<id>: give that one '
            'as api_token.' % (where, SCOPE_DATA_EXPORT))


def validate_cluster_info_options(params):
    """Return the list of input errors of dynatrace_cluster_info's options (before any request)."""
    errors = environment_id_errors(params.get('environment_id'))
    if not params.get('api_token') and not params.get('environment_api_token'):
        errors.append('one of api_token (a cluster token) or environment_api_token (an environment token) is required')
    for option in ('api_token', 'environment_api_token'):
        if params.get(option) is not None and not str(params[option]).strip():
            errors.append('%s must not be empty' % option)
    if params.get('include_nodes') and not params.get('api_token'):
        errors.append('include_nodes needs api_token: the nodes come from the Cluster API, which takes a cluster token '
                      'with the scope %s' % SCOPE_SERVICE_PROVIDER)
    if params.get('environment_id') and not params.get('environment_api_token'):
        errors.append('environment_id needs environment_api_token (a token of that environment with the scope %s), '
                      'which reads the version and the clock inside the environment; with api_token alone leave '
                      'environment_id out' % SCOPE_DATA_EXPORT)
    return errors


def primary_token_option(params):
    """The option whose token the module's client is built with: the cluster token when there is one."""
    return 'api_token' if params.get('api_token') else 'environment_api_token'


def token_clients(client, params):
    """(cluster client or None, environment client or None) from the client built with primary_token_option."""
    if primary_token_option(params) == 'environment_api_token':
        return None, client
    environment_token = params.get('environment_api_token')
    return client, client.with_token(environment_token, 'environment_api_token') if environment_token else None


VERSION_PATTERN = re.compile(r'^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:[.-](.+?))?\s*$')


def parse_version(version):
    """Split a cluster version such as 1.236.0.20220203-192004 into its parts.

    Returns major, minor, patch (integers, patch 0 when absent), build (string, or None when the version has
    no build part), short (major.minor.patch, for the version test) and full (the string as sent). A version
    that does not look like major.minor[.patch[.build]] gives None for every part but full.
    """
    text = str(version)
    match = VERSION_PATTERN.match(text)
    if not match:
        return dict(major=None, minor=None, patch=None, build=None, short=None, full=text)
    major, minor, patch = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return dict(major=major, minor=minor, patch=patch, build=match.group(4),
                short='%d.%d.%d' % (major, minor, patch), full=text.strip())


def iso_utc(epoch_ms):
    """ISO 8601 UTC with milliseconds and Z, from epoch milliseconds: 2022-02-03T19:20:04.123Z."""
    seconds, millis = divmod(int(epoch_ms), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def _with_token_option(option, hint, call, *args):
    """Run one API call; a 401 or 403 says which token option to fix and what it must be."""
    try:
        return call(*args)
    except DynatraceError as exc:
        if exc.status in (401, 403):
            refused = 'was not accepted' if exc.status == 401 else 'lacks a scope'
            raise exc.reworded('%s %s. %s Server message: %s' % (option, refused, hint, exc.message))
        raise


def _clock_from_environment(environment, environment_id):
    hint = environment_token_hint(environment_id)
    version = _with_token_option('environment_api_token', hint, api.get_cluster_version, environment, environment_id)
    cluster_ms, local_midpoint_ms = _with_token_option('environment_api_token', hint, api.get_cluster_time, environment,
                                                       environment_id)
    return version, cluster_ms, local_midpoint_ms, dict(time_precision='millisecond', time_source='environment_time_api')


def _clock_from_cluster(cluster):
    version, cluster_ms, local_midpoint_ms = _with_token_option('api_token', CLUSTER_TOKEN_HINT, api.get_product_version,
                                                                cluster)
    return version, cluster_ms, local_midpoint_ms, dict(time_precision='second', time_source='date_header')


def cluster_info(cluster, environment, environment_id=None, include_nodes=False):
    """The result of dynatrace_cluster_info (its requests: the module documentation, "Requests per run").

    `cluster` and `environment` are the clients of the cluster token and of the environment token (either may
    be None). With an environment client the version and the clock come from inside the environment
    (millisecond clock), else from the cluster's product version and the Date header of its answer (seconds).
    """
    if environment is not None:
        # The client run() built from url knows a pasted /e/<id> (a client made with_token does not).
        environment_id = environment_id or (cluster or environment).url_environment_id
        version, cluster_ms, local_midpoint_ms, clock = _clock_from_environment(environment, environment_id)
    else:
        environment_id = None
        version, cluster_ms, local_midpoint_ms, clock = _clock_from_cluster(cluster)
    result = dict(changed=False, environment_id=environment_id, version=version, version_info=parse_version(version),
                  time_ms=cluster_ms, time=iso_utc(cluster_ms), time_skew_ms=cluster_ms - local_midpoint_ms, **clock)
    if include_nodes:
        nodes = _with_token_option('api_token', CLUSTER_TOKEN_HINT, api.get_cluster_nodes, cluster)
        result['nodes'] = keys_to_snake(nodes)
    return result
