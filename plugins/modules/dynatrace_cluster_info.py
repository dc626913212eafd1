#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_cluster_info
short_description: Read the version, the time and the nodes of a Dynatrace Managed cluster
version_added: 1.0.0
description:
  - Reads the version of a Dynatrace cluster and its clock through the Environment API v1, and optionally its
    nodes through the Cluster API v1.
  - The version is returned as sent and split into its parts, so playbooks can compare it with the
    C(version) test on RV(version_info.short).
  - The clock skew, RV(time_skew_ms), is the cluster time minus the controller's clock at the midpoint of the
    time request, so clock drift between the cluster and the controller can be caught (token expiry dates and
    time windows depend on it).
  - "Requests per run: 2 (version and time), 3 with O(include_nodes=true)."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
attributes:
  check_mode:
    support: full
    description: Reads only, so check mode runs the same requests and returns the same result.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
options:
  environment_id:
    description:
      - Environment whose Environment API v1 answers, on the Managed path C(<url>/e/<environment_id>/api/v1/...).
      - When not given, the environment id of an C(/e/<environment-id>) path pasted into O(url) is used; when O(url)
        has none either, the URL is used as it is (C(<url>/api/v1/...)), which also serves SaaS-style
        environment URLs.
      - Pattern C([a-zA-Z0-9_-]{1,70}).
    type: str
  include_nodes:
    description:
      - Also read the cluster nodes (Cluster API v1, C(/api/v1.0/onpremise/cluster)) into RV(nodes).
      - This call needs a cluster token with scope C(ServiceProviderAPI), while the version needs an environment token
        with scope C(DataExport); O(api_token) must be accepted by both.
    type: bool
    default: false
notes:
  - The cluster version needs an API token with scope C(DataExport); a 403 answer is reported with the missing scope.
seealso:
  - module: clusterops.dynatrace.dynatrace_environment_info
  - module: clusterops.dynatrace.dynatrace_environment
'''

EXAMPLES = r'''
- name: Read the cluster version and clock
  clusterops.dynatrace.dynatrace_cluster_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_environment_token }}"
    environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
  register: cluster

- name: Require a recent cluster
  ansible.builtin.assert:
    that:
      - cluster.version_info.short is ansible.builtin.version('1.280', '>=')
    fail_msg: "Cluster {{ cluster.version }} is older than 1.280"

- name: Require the cluster clock to be within 30 seconds of the controller's
  ansible.builtin.assert:
    that:
      - cluster.time_skew_ms | abs < 30000
    fail_msg: "The cluster clock is {{ cluster.time_skew_ms }} ms off ({{ cluster.time }})"

- name: List the cluster nodes (the token must also be a cluster token with ServiceProviderAPI)
  clusterops.dynatrace.dynatrace_cluster_info:
    url: https://dynatrace.example.com/e/4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
    api_token: "{{ vault_dynatrace_token }}"
    include_nodes: true
  register: cluster

- name: Show the nodes that are not running
  ansible.builtin.debug:
    msg: "{{ cluster.nodes | rejectattr('operation_state', 'equalto', 'RUNNING') | map(attribute='cluster_member_address') }}"
'''

RETURN = r'''
environment_id:
  description: The environment whose API answered (O(environment_id), else the one pasted into O(url)); null for none.
  returned: always
  type: str
  sample: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
version:
  description: The cluster version as the server sends it (major.minor.patch.build).
  returned: always
  type: str
  sample: 1.236.0.20220203-192004
version_info:
  description:
    - The parts of RV(version). Every part is null when the version does not look like C(major.minor[.patch[.build]]).
  returned: always
  type: dict
  contains:
    major:
      description: Major version.
      type: int
      sample: 1
    minor:
      description: Minor version.
      type: int
      sample: 236
    patch:
      description: Patch version, 0 when the server sends none.
      type: int
      sample: 0
    build:
      description: Build part (timestamp), null when the version has none.
      type: str
      sample: 20220203-192004
    short:
      description: C(major.minor.patch), for the C(version) test.
      type: str
      sample: 1.236.0
    full:
      description: The whole version string.
      type: str
      sample: 1.236.0.20220203-192004
time_ms:
  description: The cluster time in UTC milliseconds since the epoch.
  returned: always
  type: int
  sample: 1643916004123
time:
  description: The cluster time in ISO 8601, UTC, with milliseconds.
  returned: always
  type: str
  sample: "2022-02-03T19:20:04.123Z"
time_skew_ms:
  description:
    - The cluster time minus the controller's clock at the midpoint of the time request, in milliseconds.
      Positive when the cluster clock is ahead. The precision is about half the request's round trip.
  returned: always
  type: int
  sample: 12
nodes:
  description: The cluster nodes, with snake_case keys.
  returned: when O(include_nodes=true)
  type: list
  elements: dict
  sample:
    - id: 1
      cluster_member_address: 10.0.0.11
      operation_state: RUNNING
      build_version: 1.236.0.20220203-192004
retries:
  description: Requests sent again after a transient failure.
  returned: always
  type: int
  sample: 0
waited_seconds:
  description: Seconds spent waiting before retries.
  returned: always
  type: float
  sample: 0.0
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusterops.dynatrace.plugins.module_utils._cluster_info import cluster_info, validate_cluster_info_options
from ansible_collections.clusterops.dynatrace.plugins.module_utils._module import connection_argument_spec, run


def argument_spec():
    return connection_argument_spec(
        environment_id=dict(type='str'),
        include_nodes=dict(type='bool', default=False),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: cluster_info(client, environment_id=module.params['environment_id'],
                                            include_nodes=module.params['include_nodes']),
        input_errors=validate_cluster_info_options(module.params))


if __name__ == '__main__':
    main()
