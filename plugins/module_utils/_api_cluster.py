# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cluster facts: version and time (Environment API v1) and nodes (Cluster API v1), one function per call.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

import time
from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._http import (
    SCOPE_DATA_EXPORT, SCOPE_SERVICE_PROVIDER, DynatraceError, summarize_non_json,
)

NODES_PATH = '/api/v1.0/onpremise/cluster'


def environment_api_path(environment_id, suffix):
    """`/e/<id>/api/v1/...` on Managed; the URL as it is (SaaS-style) without an id."""
    prefix = '/e/%s' % quote(environment_id, safe='') if environment_id else ''
    return '%s/api/v1/%s' % (prefix, suffix)


def get_cluster_version(client, environment_id=None):
    path = environment_api_path(environment_id, 'config/clusterversion')
    answer = client.request('GET', path, scope=SCOPE_DATA_EXPORT).body
    if not isinstance(answer, dict) or not answer.get('version'):
        raise DynatraceError('the cluster version answer has no "version"', method='GET', path=path)
    return str(answer['version'])


def get_cluster_time(client, environment_id=None):
    """Return (cluster_time_ms, local_midpoint_ms) for clock-skew computation."""
    path = environment_api_path(environment_id, 'time')
    started = time.time()
    text = client.request('GET', path, scope=None, accept='text/plain').body
    finished = time.time()
    try:
        cluster_ms = int(str(text).strip())
    except ValueError:
        raise DynatraceError('the cluster time answer is not a number of milliseconds: %s'
                             % summarize_non_json(200, 'text/plain', str(text)), status=200, method='GET', path=path)
    return cluster_ms, int((started + finished) * 500)


def get_cluster_nodes(client):
    answer = client.request('GET', NODES_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    if not isinstance(answer, list):
        raise DynatraceError('the cluster node answer is not a list', method='GET', path=NODES_PATH)
    return answer
