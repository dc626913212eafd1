# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_cluster_info's logic: version, time and clock skew, optionally the nodes.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

import re
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils import _api_cluster as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._case import keys_to_snake
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment import environment_id_errors


def validate_cluster_info_options(params):
    """Return the list of input errors of dynatrace_cluster_info's options."""
    return environment_id_errors(params.get('environment_id'))


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


def cluster_info(client, environment_id=None, include_nodes=False):
    """The result of dynatrace_cluster_info (its requests: the module documentation, "Requests per run")."""
    environment_id = environment_id or client.url_environment_id
    version = api.get_cluster_version(client, environment_id)
    cluster_ms, local_midpoint_ms = api.get_cluster_time(client, environment_id)
    result = dict(changed=False, environment_id=environment_id, version=version, version_info=parse_version(version),
                  time_ms=cluster_ms, time=iso_utc(cluster_ms), time_skew_ms=cluster_ms - local_midpoint_ms)
    if include_nodes:
        result['nodes'] = keys_to_snake(api.get_cluster_nodes(client))
    return result
