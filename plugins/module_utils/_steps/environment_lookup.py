# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding environments by exact name: the server filter, every page, then the exact comparison.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.filters import name_filter


def find_by_name(client, name, include_consumption=False, include_storage=False):
    """Every environment whose name is exactly `name` (case-sensitive), over all pages."""
    environments, dummy = api.list_environments(client, filter_expression=name_filter(name),
                                                include_consumption=include_consumption, include_storage=include_storage)
    return [environment for environment in environments if environment.get('name') == name]
