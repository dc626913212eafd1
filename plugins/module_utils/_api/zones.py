# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Management zones inside an environment: one function per Dynatrace call, the client as first argument.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The client is an environment client (a token of that environment with ReadConfig): a cluster token
cannot read inside an environment. The config API answers the zones' legacy numeric ids, which are
the ids the group permission API (/groups/managementZones) takes; the Settings API's objectIds are not.
"""

from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError

SCOPE_READ_CONFIG = 'ReadConfig'


def zones_path(environment_id):
    return '/e/%s/api/config/v1/managementZones' % quote(str(environment_id), safe='')


def list_zones(client, environment_id):
    """GET /e/{id}/api/config/v1/managementZones: [{id, name}] of every zone (the legacy ids, as strings)."""
    path = zones_path(environment_id)
    answer = client.request('GET', path, scope=SCOPE_READ_CONFIG).body
    values = answer.get('values') if isinstance(answer, dict) else None
    if not isinstance(values, list) or not all(isinstance(zone, dict) and zone.get('id') is not None
                                               and isinstance(zone.get('name'), str) for zone in values):
        raise DynatraceError('the management zone listing is not {"values": [{"id", "name"}]}', status=200,
                             method='GET', path=path)
    return [dict(id=str(zone['id']), name=zone['name']) for zone in values]
