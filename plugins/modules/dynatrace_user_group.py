#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_user_group
short_description: Manage a Dynatrace Managed user group and its environment permissions, by environment name
version_added: 1.0.0
description:
  - Makes one user group of a Dynatrace Managed cluster hold what the task says, through the Cluster API v1
    (C(/api/v1.0/onpremise/groups)). Needs a cluster token with scope C(ServiceProviderAPI).
  - The group is found by its exact O(name). Its environment permissions are declared per environment by
    B(name) or id in O(permissions); the names are resolved with one environments listing for the whole task, and
    an unknown or ambiguous name fails before anything is written, naming it.
  - With O(permissions_mode=merge) (the default) the declared permissions are added and everything else on the
    group is kept, so several playbooks (one per team) can each add their environment to one shared group. With
    O(permissions_mode=replace) the group holds exactly the declared permissions.
  - The cluster adds C(VIEWER) for every environment that has any other permission, and may add
    C(VIEW_SECURITY_PROBLEMS) next to it. Neither is ever reported as drift, so re-runs stay unchanged.
  - Every update is a read-modify-write of the whole group from a fresh read (the API replaces a group as a whole),
    so LDAP and SSO mappings, roles and the permissions of other environments are sent back as they were.
  - When the group appears between the read and the create (another run created it; the API answers 406), it is
    read again and adopted, and the permissions are applied as an update. There is never a second group.
  - "Requests per run (E is one request per 1000 environments of the cluster, read when the task declares
    O(permissions) or the group holds some): steady state E + 1 (the environments listing and one groups read);
    an update E + 2 (plus the PUT of the whole group); a creation E + 2 (plus the POST); a creation that loses the
    race E + 4 (POST answered 406, the groups read again, the PUT). O(state=absent): 2 (the groups read and the
    DELETE), 1 when the group does not exist, plus E with C(--diff) when the group holds permissions. Check mode
    sends the reads only."
  - "Management zones (O(management_zone_permissions)): plus, per environment the option names, the zone listing
    inside it with its token chain (5 requests: mint a token-management token, create a C(ReadConfig) token, list
    the zones, delete both tokens; 1 request with a token from O(zone_read_tokens)), the read of the group's zone
    permissions (none for a group being created) and one PUT when a zone changes. Steady state for one group over
    M environments: E + 2 + 5M (E + 2 + M with O(zone_read_tokens))."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request to the group and reports the same C(changed) and C(diff) as a real run.
      - With O(management_zone_permissions), naming the zones still creates and deletes the short-lived tokens of the
        zone listing, unless O(zone_read_tokens) gives a token for each environment.
  diff_mode:
    support: full
    description: Shows the permissions of each changed environment, by environment name, before and after.
options:
  name:
    description:
      - The group name, compared exactly. The cluster compares names without case, so a group whose name differs
        only in case makes the module fail with the existing name.
    type: str
    required: true
  state:
    description:
      - V(present) creates the group when it is absent and applies the options.
      - V(absent) deletes the group (its members lose what it grants). O(permissions), O(ldap_group_names) and
        O(sso_group_names) are not allowed with it.
    type: str
    choices: [present, absent]
    default: present
  permissions:
    description:
      - Environment permissions, one entry per environment. Each environment may be listed once.
      - Leave it out to leave the permissions alone. With O(permissions_mode=replace), V([]) removes them all.
    type: list
    elements: dict
    suboptions:
      environment:
        description:
          - The environment, by exact name or by id. A name that several environments carry is refused; give the
            id then.
        type: str
        required: true
      permissions:
        description:
          - The permissions on that environment. C(VIEWER) is added with any other permission (the cluster needs it).
          - With O(permissions[].state=present), at least one.
          - With O(permissions[].state=absent), the permissions to take away; all of them when left out. Taking
            C(VIEWER) away takes every permission of the environment away.
          - 'Documented names: C(VIEWER), C(MANAGE_SETTINGS), C(AGENT_INSTALL), C(LOG_VIEWER),
            C(VIEW_SENSITIVE_REQUEST_DATA), C(CONFIGURE_REQUEST_CAPTURE_DATA), C(REPLAY_SESSION_DATA),
            C(REPLAY_SESSION_DATA_WITHOUT_MASKING), C(MANAGE_SECURITY_PROBLEMS), C(VIEW_SECURITY_PROBLEMS),
            C(MANAGE_SUPPORT_TICKETS). Dynatrace adds permissions with its releases: any other well-formed name
            (upper-case words joined by C(_)) is passed to the cluster, and its refusal fails the task naming the
            permission.'
          - C(CONFIGURE_REQUEST_CAPTURE_DATA) makes the cluster add C(MANAGE_SETTINGS); like C(VIEWER), that is never
            drift.
        type: list
        elements: str
      state:
        description:
          - V(present) grants the permissions; V(absent) takes them away from this environment.
        type: str
        choices: [present, absent]
        default: present
  permissions_mode:
    description:
      - V(merge) adds (and, for entries with O(permissions[].state=absent), takes away) the declared permissions
        and keeps every other permission of the group. What the group holds on a listed environment beyond the
        declaration is kept, returned in RV(undeclared) and shown as a warning, so drift is never silent.
      - V(replace) makes the group hold exactly the declared permissions; environments not listed lose theirs.
        What is taken away is returned in RV(revoked) and shown by check mode and C(--diff) before it happens.
      - The decision is the one the P(clusterops.dynatrace.environments#role) role and
        M(clusterops.dynatrace.dynatrace_environments) make for each group (their C(groups) setting).
    type: str
    choices: [merge, replace]
    default: merge
  ldap_group_names:
    description:
      - The LDAP groups mapped to this group. When given, the group holds exactly these (order does not matter);
        when left out, they are kept.
    type: list
    elements: str
  sso_group_names:
    description:
      - The SSO groups mapped to this group (without them the cluster maps by group name). When given, the group
        holds exactly these; when left out, they are kept.
    type: list
    elements: str
  management_zone_permissions:
    description:
      - Management-zone permissions, one entry per zone, by environment name and zone name. Leave it out to leave the
        group's zone permissions alone. Follows O(permissions_mode) like O(permissions) does; with
        O(permissions_mode=replace), V([]) removes every zone permission of the group.
      - Zone names are resolved inside each environment named, with the zone listing of the config API. The cluster
        token cannot read there, so for each such environment the module mints a token-management token, creates a
        short-lived C(ReadConfig) token with it, lists the zones and deletes both tokens (the cluster token needs
        C(EnvironmentTokenManagement) and C(ClusterTokenManagement)), unless O(zone_read_tokens) gives a token.
      - An unknown environment or zone, or a zone name two zones carry, fails before anything is written, naming
        the environment and the zone (and the ids of the zones that share a name).
      - The cluster adds C(VIEW_SECURITY_PROBLEMS) next to a zone's C(VIEWER) by itself; that is never drift.
      - A zone created a moment ago may be unknown to the permission API for about a minute; the write is retried
        for up to a minute when the refusal names a zone this task resolved, so the task converges in one run.
      - Every write carries every zone the group keeps (and V([]) for a zone it loses), so the result is the same
        whether the cluster changes only the zones a write names or replaces all of the group's zones.
    type: list
    elements: dict
    suboptions:
      environment:
        description:
          - The environment, by exact name or by id.
        type: str
        required: true
      management_zone:
        description:
          - The zone's name in that environment, compared exactly.
        type: str
        required: true
      permissions:
        description:
          - The permissions on that zone, such as C(VIEWER), C(MANAGE_SETTINGS), C(LOG_VIEWER),
            C(VIEW_SENSITIVE_REQUEST_DATA), C(REPLAY_SESSION_DATA), C(REPLAY_SESSION_DATA_WITHOUT_MASKING),
            C(MANAGE_SECURITY_PROBLEMS), C(DEMO_USER). Other well-formed names (upper-case letters, digits and
            underscores) are passed to the cluster, which refuses what it does not know.
          - With O(management_zone_permissions[].state=present), at least one.
          - With O(management_zone_permissions[].state=absent), the permissions to take away; all of them when
            left out.
        type: list
        elements: str
      state:
        description:
          - V(present) grants the permissions; V(absent) takes them away from this zone.
        type: str
        choices: [present, absent]
        default: present
  zone_read_tokens:
    description:
      - Tokens to list the management zones with instead of the token chain, by environment name or id, each a token
        of that environment with scope C(ReadConfig). Environments not listed use the chain.
    type: dict
  cluster_admin:
    description:
      - Whether the group's members are cluster administrators (C(isClusterAdminGroup)). Left out, it is kept.
      - A change (either way, and a new group with V(true)) hands the cluster over or takes it away, so it needs
        O(confirm_cluster_admin=true); without it the task fails before any write, in check mode too.
    type: bool
  access_account:
    description:
      - Whether the group's members may access the account (C(isAccessAccount)). Left out, it is kept.
      - Read under either read model (C(isAccessAccount) on current clusters, C(hasAccessAccountRole) on older ones).
    type: bool
  manage_account:
    description:
      - Whether the group's members may manage the account and view product usage (C(isManageAccount)). Left out, it
        is kept.
      - Read under either read model (C(isManageAccount), or C(hasManageAccountAndViewProductUsageRole) on older
        clusters).
    type: bool
  confirm_cluster_admin:
    description:
      - Confirms a change of O(cluster_admin), and the deletion (O(state=absent)) of a group whose members are cluster
        administrators.
    type: bool
    default: false
notes:
  - Users are managed by M(clusterops.dynatrace.dynatrace_user); a group's flags that the task leaves out are kept on
    every update.
  - The group's management-zone permissions are read and returned only when O(management_zone_permissions) is given;
    zones in environments the task does not name are returned by id.
  - Two runs that change one group at the same moment can overwrite each other (the API has no version check);
    the next run of the one that lost restores its permissions. Run plays that share a group one after the other.
seealso:
  - module: clusterops.dynatrace.dynatrace_user_group_info
  - module: clusterops.dynatrace.dynatrace_environment
'''

EXAMPLES = r'''
- name: Let the payments team see its environment and change its settings
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: team-payments
    ldap_group_names: ["cn=payments,ou=groups,dc=example,dc=com"]
    permissions:
      - environment: payments-prod
        permissions: [VIEWER, MANAGE_SETTINGS]
      - environment: payments-staging
        permissions: [MANAGE_SETTINGS, AGENT_INSTALL, LOG_VIEWER]

# One shared group, many playbooks: each adds its own environment and keeps the rest.
- name: Add this team's environment to the shared viewers group
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: all-viewers
    permissions:
      - environment: "{{ team_environment }}"
        permissions: [VIEWER]

- name: Take an environment that is being retired out of the shared group
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: all-viewers
    permissions:
      - environment: legacy-batch
        state: absent

- name: The auditors hold exactly this, nothing else
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: auditors
    sso_group_names: [dynatrace-auditors]
    permissions_mode: replace
    permissions:
      - environment: payments-prod
        permissions: [VIEWER, LOG_VIEWER, VIEW_SECURITY_PROBLEMS]

- name: Let the payments team see its production zone and its logs
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: team-payments
    management_zone_permissions:
      - environment: team-payments
        management_zone: payments-prod
        permissions: [VIEWER, LOG_VIEWER]

- name: The platform team administers the cluster
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: platform-admins
    cluster_admin: true
    confirm_cluster_admin: true
    manage_account: true

- name: Delete a group
  clusterops.dynatrace.dynatrace_user_group:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: contractors-2023
    state: absent
'''

RETURN = r'''
group_id:
  description: The id of the group (null in check mode for a group that would be created, and when it is absent).
  returned: always
  type: str
  sample: 6f8d0a62-5f1e-4bd8-9a1c-0a5e0b2a7d11
group:
  description:
    - The group after the task, in the option shape (C(name), C(permissions) by environment name, C(ldap_group_names),
      C(sso_group_names), C(cluster_admin), C(access_account), C(manage_account)); empty when it is absent. Permissions
      include what the cluster added (C(VIEWER), C(VIEW_SECURITY_PROBLEMS)). An environment whose name is not unique is
      named by its id.
  returned: always
  type: dict
  sample:
    name: team-payments
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
revoked:
  description:
    - Per environment (by name, or id when the name is not unique), the permissions taken away by this task (would be,
      in check mode), from O(permissions_mode=replace) or entries with O(permissions[].state=absent).
  returned: when O(state=present)
  type: dict
  sample:
    payments-staging: [VIEWER, MANAGE_SETTINGS]
undeclared:
  description:
    - With O(permissions_mode=merge), per listed environment, the permissions the group holds there and keeps that
      the task does not declare (the cluster's own additions aside). Each is also shown as a warning.
  returned: when O(state=present)
  type: dict
  sample:
    payments-prod: [LOG_VIEWER]
diff:
  description:
    - The permissions of each changed environment by name, and changed name lists and flags, before and after.
    - C(management_zones) maps environment name to zone name to the zone's permissions, for each changed zone.
  returned: changed
  type: dict
  sample:
    before:
      permissions:
        payments-prod: []
      management_zones:
        team-payments:
          payments-prod: []
    after:
      permissions:
        payments-prod: [VIEWER, MANAGE_SETTINGS]
      management_zones:
        team-payments:
          payments-prod: [VIEWER, LOG_VIEWER]
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
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import (
    ENTRY_STATES, MODES, flag_option_errors, validate_group_options,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.zone_permissions import zone_entries_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user_group.ensure import ensure_user_group


def argument_spec():
    entry = dict(
        environment=dict(type='str', required=True),
        permissions=dict(type='list', elements='str'),
        state=dict(type='str', choices=list(ENTRY_STATES), default='present'),
    )
    return connection_argument_spec(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        permissions=dict(type='list', elements='dict', options=entry),
        permissions_mode=dict(type='str', choices=list(MODES), default='merge'),
        ldap_group_names=dict(type='list', elements='str'),
        sso_group_names=dict(type='list', elements='str'),
        management_zone_permissions=dict(type='list', elements='dict', options=dict(
            environment=dict(type='str', required=True),
            management_zone=dict(type='str', required=True),
            permissions=dict(type='list', elements='str'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        )),
        zone_read_tokens=dict(type='dict', no_log=True),
        cluster_admin=dict(type='bool'),
        access_account=dict(type='bool'),
        manage_account=dict(type='bool'),
        confirm_cluster_admin=dict(type='bool', default=False),
    )


def input_errors(params):
    errors = validate_group_options(params) + zone_entries_errors(params.get('management_zone_permissions'))
    if params.get('state') == 'absent' and params.get('management_zone_permissions') is not None:
        errors.append('management_zone_permissions cannot be used with state absent: the whole group is deleted')
    return errors


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: ensure_user_group(client, module.params, check_mode=module.check_mode,
                                                 diff=module._diff, warn=module.warn),
        input_errors=input_errors(module.params) + flag_option_errors(module.params))


if __name__ == '__main__':
    main()
