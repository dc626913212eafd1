# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A live sight of the cluster for the planner (_model/environment_plan): every read it asks for is a request.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

dynatrace_environment plans one item through it, so it reads only what the item's path needs, in the
order the planner asks: a GET by id, or the lookup by name (all pages, exact comparison).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.environment_lookup import find_by_name


class LiveSight:
    """Reads the environment the planner asks about; `flags` (include_consumption, include_storage) for the item's own."""

    def __init__(self, client, include_consumption=False, include_storage=False):
        self.client = client
        self.flags = dict(include_consumption=include_consumption, include_storage=include_storage)

    def by_id(self, environment_id):
        return api.get_environment(self.client, environment_id, **self.flags)

    def by_name(self, name):
        return find_by_name(self.client, name, **self.flags)

    def holders(self, name):
        """Other environments of the name: only their ids matter, so no section is read."""
        return find_by_name(self.client, name)
