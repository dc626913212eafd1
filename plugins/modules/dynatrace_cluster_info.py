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
  - Reads the version and the clock of a Dynatrace Managed cluster, and optionally its nodes, each call with the token
    of its kind. A Managed cluster has two kinds of API token and no token that is both. A cluster token
    (O(api_token)) works on the Cluster API only (C(/api/cluster/...), C(/api/v1.0/onpremise/...)). An environment
    token (O(environment_api_token)) works only inside its own environment (C(/e/<environment-id>/...)).
  - With O(api_token) alone, the version comes from the Cluster API v1
    (C(/api/v1.0/onpremise/nodeManagement/productVersion)) and the cluster clock from the HTTP C(Date) header of that
    answer, to the second (RV(time_precision=second)).
  - With O(environment_api_token) (and O(environment_id), or an C(/e/<environment-id>) in O(url)), the version and the
    clock come from inside the environment, through the Environment API v1 (C(/e/<id>/api/v1/config/clusterversion)
    and C(/e/<id>/api/v1/time)), to the millisecond (RV(time_precision=millisecond)). This is also the path of a user
    who has no cluster token.
  - The version is returned as sent and split into its parts, so playbooks can compare it with the
    C(version) test on RV(version_info.short).
  - The clock skew, RV(time_skew_ms), is the cluster time minus the controller's clock at the midpoint of the
    request that read it, so clock drift between the cluster and the controller can be caught (token expiry dates
    and time windows depend on it).
  - A token the cluster refuses (401) or that lacks the scope (403) fails the task naming the option
    (O(api_token) or O(environment_api_token)), the kind of token it must be and its scope.
  - "Requests per run: with O(api_token) alone, 1 (the product version, whose C(Date) header is the clock), 2 with
    O(include_nodes=true). With O(environment_api_token), 2 (version and time inside the environment), 3 with
    O(include_nodes=true) (the nodes with O(api_token))."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.info_module
options:
  api_token:
    description:
      - "Cluster token, sent as C(Authorization: Api-Token <token>) to the Cluster API: the product version and the
        clock, and the nodes with O(include_nodes=true). It needs the scope C(ServiceProviderAPI) and comes from the
        Cluster Management Console (Settings, API tokens) or from C(POST /api/cluster/v2/tokens)."
      - Not needed when O(environment_api_token) is given and O(include_nodes=false); one of the two is required.
      - Never logged and never part of an error message.
      - If not set, the environment variable E(DYNATRACE_API_TOKEN) is used.
    type: str
    required: false
  environment_api_token:
    description:
      - Environment token of the environment O(environment_id) with the scope C(DataExport), for the Environment API
        v1 inside it (C(/e/<environment-id>/api/v1/...)). It is created inside that environment (Access tokens), or
        with C(POST /e/<environment-id>/api/v2/apiTokens) and a token-management token.
      - When it is given, the version and the clock are read inside the environment (millisecond clock), and
        O(api_token) is used for the nodes only.
      - Never logged and never part of an error message.
      - If not set, the environment variable E(DYNATRACE_ENVIRONMENT_API_TOKEN) is used.
    type: str
  environment_id:
    description:
      - Environment whose Environment API v1 answers, on the Managed path C(<url>/e/<environment_id>/api/v1/...).
        Needs O(environment_api_token), a token of this environment.
      - When not given, the environment id of an C(/e/<environment-id>) path pasted into O(url) is used; when O(url)
        has none either, O(environment_api_token) is sent to C(<url>/api/v1/...) as it is (an environment URL, for
        example through an environment ActiveGate).
      - Pattern C([a-zA-Z0-9_-]{1,70}).
    type: str
  include_nodes:
    description:
      - Also read the cluster nodes (Cluster API v1, C(/api/v1.0/onpremise/cluster)) into RV(nodes), with
        O(api_token) (a cluster token with scope C(ServiceProviderAPI)).
    type: bool
    default: false
notes:
  - With RV(time_source=date_header) the clock is the C(Date) header of the answer. It has whole seconds, so
    RV(time_skew_ms) may be up to 1000 ms lower than the truth; behind a reverse proxy that writes its own C(Date)
    header it is the proxy's clock. Give O(environment_api_token) for the millisecond clock of the cluster itself.
  - The table of which token each module of the collection needs is in the collection's README.
seealso:
  - module: clusterops.dynatrace.dynatrace_environment_info
  - module: clusterops.dynatrace.dynatrace_environment
'''

EXAMPLES = r'''
- name: Read the cluster version and clock with the cluster token
  clusterops.dynatrace.dynatrace_cluster_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
  register: cluster

- name: Require a recent cluster
  ansible.builtin.assert:
    that:
      - cluster.version_info.short is ansible.builtin.version('1.280', '>=')
    fail_msg: "Cluster {{ cluster.version }} is older than 1.280"

- name: Read the clock to the millisecond inside one environment (an environment token with DataExport)
  clusterops.dynatrace.dynatrace_cluster_info:
    url: https://dynatrace.example.com
    environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
    environment_api_token: "{{ vault_dynatrace_environment_token }}"
  register: clock

- name: Require the cluster clock to be within 30 seconds of the controller's
  ansible.builtin.assert:
    that:
      - clock.time_skew_ms | abs < 30000
    fail_msg: "The cluster clock is {{ clock.time_skew_ms }} ms off ({{ clock.time }})"

- name: List the cluster nodes (the cluster token, ServiceProviderAPI)
  clusterops.dynatrace.dynatrace_cluster_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    include_nodes: true
  register: cluster

- name: Show the nodes that are not running
  ansible.builtin.debug:
    msg: "{{ cluster.nodes | rejectattr('operation_state', 'equalto', 'RUNNING') | map(attribute='cluster_member_address') }}"
'''

RETURN = r'''
environment_id:
  description:
    - The environment whose API answered (O(environment_id), else the one pasted into O(url)). Null when the Cluster
      API answered (O(api_token) alone) or O(url) was used as it is.
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
    - The cluster time minus the controller's clock at the midpoint of the request that read it, in milliseconds.
      Positive when the cluster clock is ahead. The precision is about half the request's round trip, and with
      RV(time_precision=second) up to 1000 ms more (the clock is read in whole seconds).
  returned: always
  type: int
  sample: 12
time_precision:
  description:
    - V(millisecond) when the clock came from C(/e/<id>/api/v1/time) (O(environment_api_token)), V(second) when it came
      from the C(Date) header of the Cluster API's answer (O(api_token) alone).
  returned: always
  type: str
  sample: second
time_source:
  description:
    - V(environment_time_api) (C(GET /e/<id>/api/v1/time)) or V(date_header) (the HTTP C(Date) header of
      C(GET /api/v1.0/onpremise/nodeManagement/productVersion)).
  returned: always
  type: str
  sample: date_header
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

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.cluster.info import (
    cluster_info, primary_token_option, token_clients, validate_cluster_info_options,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run


def argument_spec():
    spec = connection_argument_spec(
        environment_id=dict(type='str'),
        environment_api_token=dict(type='str', no_log=True, fallback=(env_fallback, ['DYNATRACE_ENVIRONMENT_API_TOKEN'])),
        include_nodes=dict(type='bool', default=False),
    )
    # An environment-only user has no cluster token: one of the two tokens is enough (required_one_of).
    spec['api_token']['required'] = False
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), required_one_of=[('api_token', 'environment_api_token')],
                           supports_check_mode=True)
    params = module.params

    def logic(client):
        cluster, environment = token_clients(client, params)
        return cluster_info(cluster, environment, environment_id=params['environment_id'],
                            include_nodes=params['include_nodes'])

    run(module, logic, input_errors=validate_cluster_info_options(params), token_option=primary_token_option(params))


if __name__ == '__main__':
    main()
