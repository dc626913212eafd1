# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cluster facts, one function per call: product version and nodes (Cluster API v1, a cluster token), cluster
version and time (Environment API v1 under /e/{id}, an environment token).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

import time
from email.utils import mktime_tz, parsedate_tz
from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    SCOPE_DATA_EXPORT, SCOPE_SERVICE_PROVIDER, DynatraceError, summarize_non_json,
)

NODES_PATH = '/api/v1.0/onpremise/cluster'
PRODUCT_VERSION_PATH = '/api/v1.0/onpremise/nodeManagement/productVersion'


def environment_api_path(environment_id, suffix):
    """`/e/<id>/api/v1/...` on Managed; the URL as it is (an environment URL) without an id."""
    prefix = '/e/%s' % quote(environment_id, safe='') if environment_id else ''
    return '%s/api/v1/%s' % (prefix, suffix)


def _explain_tenant(exc, environment_id):
    """A 404 under the Environment API: no such environment, or no environment id where Managed needs one."""
    if exc.status != 404:
        return exc
    if environment_id:
        return exc.reworded('environment %s: the cluster has no environment of that id (%s)' % (environment_id, exc.message))
    return exc.reworded('the Environment API answered 404 (%s) at the URL as it is: a Managed cluster serves it only '
                        'under /e/<environment-id>, so give environment_id' % exc.message)


def _environment_get(client, environment_id, suffix, accept=None):
    path = environment_api_path(environment_id, suffix)
    try:
        return path, client.request('GET', path, scope=SCOPE_DATA_EXPORT, accept=accept).body
    except DynatraceError as exc:
        raise _explain_tenant(exc, environment_id)


def get_cluster_version(client, environment_id=None):
    """The cluster version from GET /e/{id}/api/v1/config/clusterversion (an environment token, DataExport)."""
    path, answer = _environment_get(client, environment_id, 'config/clusterversion')
    if not isinstance(answer, dict) or not answer.get('version'):
        raise DynatraceError('the cluster version answer has no "version"', method='GET', path=path)
    return str(answer['version'])


def get_cluster_time(client, environment_id=None):
    """(cluster_time_ms, local_midpoint_ms) from GET /e/{id}/api/v1/time (text/plain only; DataExport)."""
    started = time.time()
    path, text = _environment_get(client, environment_id, 'time', accept='text/plain')
    finished = time.time()
    try:
        cluster_ms = int(str(text).strip())
    except ValueError:
        raise DynatraceError('the cluster time answer is not a number of milliseconds: %s'
                             % summarize_non_json(200, 'text/plain', str(text)), status=200, method='GET', path=path)
    return cluster_ms, int((started + finished) * 500)


def http_date_ms(value):
    """Epoch milliseconds of an HTTP Date header (second precision), or None when it is missing or malformed."""
    parsed = parsedate_tz(value) if value else None
    return mktime_tz(parsed) * 1000 if parsed else None


def _read_product_version(client):
    started = time.time()
    response = client.request('GET', PRODUCT_VERSION_PATH, scope=SCOPE_SERVICE_PROVIDER)
    finished = time.time()
    answer = response.body
    if not isinstance(answer, dict) or not answer.get('productVersion'):
        raise DynatraceError('the product version answer has no "productVersion"', method='GET', path=PRODUCT_VERSION_PATH)
    return str(answer['productVersion']), response, int((started + finished) * 500)


def get_product_version(client):
    """(version, date_ms, local_midpoint_ms) from GET /api/v1.0/onpremise/nodeManagement/productVersion.

    A cluster token (ServiceProviderAPI). date_ms is the answer's Date header, the cluster clock to the second.
    """
    version, response, local_midpoint_ms = _read_product_version(client)
    date_ms = http_date_ms(response.headers.get('Date'))
    if date_ms is None:
        raise DynatraceError('the product version answer has no valid HTTP Date header (%r), so the cluster clock is '
                             'unknown; environment_id with environment_api_token reads it from /api/v1/time instead'
                             % response.headers.get('Date'), status=response.status, method='GET', path=PRODUCT_VERSION_PATH)
    return version, date_ms, local_midpoint_ms


def product_version_or_none(client):
    """The cluster version for an error message, or None when the cluster does not tell (the message goes on)."""
    try:
        return _read_product_version(client)[0]
    except DynatraceError:
        return None


def get_cluster_nodes(client):
    """The nodes from GET /api/v1.0/onpremise/cluster (a cluster token, ServiceProviderAPI)."""
    answer = client.request('GET', NODES_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    if not isinstance(answer, list):
        raise DynatraceError('the cluster node answer is not a list', method='GET', path=NODES_PATH)
    return answer
