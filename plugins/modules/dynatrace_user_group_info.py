#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_user_group_info
short_description: List Dynatrace Managed user groups with their permissions by environment name
version_added: 1.0.0
description:
  - Lists the user groups of a Dynatrace Managed cluster through the Cluster API v1 (C(/api/v1.0/onpremise/groups)),
    or the one of exact O(name). Needs a cluster token with scope C(ServiceProviderAPI).
  - Each group is returned in the option shape of M(clusterops.dynatrace.dynatrace_user_group) (C(name),
    C(permissions), C(ldap_group_names), C(sso_group_names), C(cluster_admin), C(access_account), C(manage_account),
    the flags read under either read model), with environment ids translated to names, so the
    output can be fed back as input, for example to copy the groups of one cluster to another.
  - "Requests per run: 1 (the groups read), plus one request per 1000 environments when a returned group holds
    permissions (the environments listing that names them)."
  - "With O(management_zones=true) (the default): plus 1 (the zone-permission read of every group) and, per
    environment in which a returned group holds zone permissions, the zone listing with its token chain (5 requests:
    a short-lived token-management token and a short-lived C(ReadConfig) token are created and deleted; 1 request
    with a token from O(zone_read_tokens))."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.info_module
options:
  name:
    description:
      - Only the group of exactly this name. An unknown name gives an empty RV(groups), not an error.
    type: str
  management_zones:
    description:
      - Also return each group's management-zone permissions (C(management_zone_permissions), by environment and zone
        name). Naming the zones lists them inside each environment concerned, which creates short-lived tokens and
        deletes them again (the cluster token needs C(EnvironmentTokenManagement) and C(ClusterTokenManagement)),
        unless O(zone_read_tokens) gives a token.
      - V(false) reads the groups only.
    type: bool
    default: true
  zone_read_tokens:
    description:
      - Tokens to list the management zones with instead of the token chain, by environment name or id, each a token
        of that environment with scope C(ReadConfig).
    type: dict
notes:
  - An environment whose name several environments carry, or that no longer exists, is given by its id.
  - Permissions include what the cluster added by itself (C(VIEWER), C(VIEW_SECURITY_PROBLEMS)).
  - Naming management zones creates and deletes short-lived tokens inside the environments concerned (nothing else
    changes); O(zone_read_tokens) or O(management_zones=false) avoid that.
seealso:
  - module: clusterops.dynatrace.dynatrace_user_group
'''

EXAMPLES = r'''
- name: Read one group
  clusterops.dynatrace.dynatrace_user_group_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: team-payments
  register: payments

- name: Show who may change the settings of which environment
  ansible.builtin.debug:
    msg: "{{ payments.groups[0].permissions | selectattr('permissions', 'contains', 'MANAGE_SETTINGS')
             | map(attribute='environment') | list }}"

# Copy every group of one cluster to another whose environments carry the same names.
- name: Read the groups of the old cluster
  clusterops.dynatrace.dynatrace_user_group_info:
    url: https://dynatrace-old.example.com
    api_token: "{{ vault_old_cluster_token }}"
  register: old_groups

- name: Create them on the new cluster, holding exactly the same permissions
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace-new.example.com
    api_token: "{{ vault_new_cluster_token }}"
    name: "{{ item.name }}"
    permissions: "{{ item.permissions }}"
    permissions_mode: replace
    ldap_group_names: "{{ item.ldap_group_names }}"
    sso_group_names: "{{ item.sso_group_names }}"
  loop: "{{ old_groups.groups }}"
  loop_control:
    label: "{{ item.name }}"
'''

RETURN = r'''
groups:
  description:
    - The groups, sorted by name, each with the options of M(clusterops.dynatrace.dynatrace_user_group).
    - C(management_zone_permissions) only with O(management_zones=true); a zone whose name no longer resolves to it
      (deleted, or a name two zones carry) is given by its id.
  returned: always
  type: list
  elements: dict
  sample:
    - name: team-payments
      permissions:
        - environment: payments-prod
          permissions: [VIEWER, MANAGE_SETTINGS, VIEW_SECURITY_PROBLEMS]
      ldap_group_names: ["cn=payments,ou=groups,dc=example,dc=com"]
      sso_group_names: []
      management_zone_permissions:
        - environment: team-payments
          management_zone: payments-prod
          permissions: [VIEWER, LOG_VIEWER, VIEW_SECURITY_PROBLEMS]
      cluster_admin: false
      access_account: false
      manage_account: false
group_details:
  description:
    - By group name, what a group has beyond the options of M(clusterops.dynatrace.dynatrace_user_group)
      (C(id), C(is_cluster_admin_group), C(access_account), C(manage_account)).
    - The account flags are read as current clusters answer them (C(isAccessAccount), C(isManageAccount)) and as
      older ones do (C(hasAccessAccountRole), C(hasManageAccountAndViewProductUsageRole)).
  returned: always
  type: dict
  sample:
    team-payments:
      id: 6f8d0a62-5f1e-4bd8-9a1c-0a5e0b2a7d11
      is_cluster_admin_group: false
      access_account: false
      manage_account: false
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.info import (
    user_group_info, validate_info_options,
)


def argument_spec():
    return connection_argument_spec(name=dict(type='str'), management_zones=dict(type='bool', default=True),
                                    zone_read_tokens=dict(type='dict', no_log=True))


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: user_group_info(client, module.params, warn=module.warn),
        input_errors=validate_info_options(module.params))


if __name__ == '__main__':
    main()
