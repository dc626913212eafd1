#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: dynatrace_environments
short_description: A whole list of Dynatrace Managed environments, their API tokens and group permissions in one task
version_added: 1.0.0
description:
  - Makes every environment of O(environments) look the way its item says, with the rules of
    M(clusterops.dynatrace.dynatrace_environment) (creation under the id derived from the name, so no timing makes a
    second environment of a name; id and name must agree; drift reported unless O(update_existing)), then the API
    tokens of each item (the rules of M(clusterops.dynatrace.dynatrace_api_token), idempotent by name) and its group
    permissions, each group merged or replaced as O(groups) says (the decision
    M(clusterops.dynatrace.dynatrace_user_group) makes with O(clusterops.dynatrace.dynatrace_user_group#module:permissions_mode)).
  - The items have the shape of the items of the P(clusterops.dynatrace.environments#role) role's C(environments_list);
    the role runs this module once for its whole list.
  - The whole list is planned from one listing of the environments; writes run for up to O(parallel) items at a
    time, adaptively. The run starts at O(parallel) (10 by default, Terraform's default); when the cluster answers
    429 or 503 it drops to the number of items the cluster carried, and grows again by one item for every round that
    ends without such an answer, never above O(parallel) (RV(concurrency) tells what happened). Each request keeps
    the retry and backoff rules of the connection; when the cluster answers 429 (or 503) with a wait, every worker
    waits. Permissions are granted item after item from one listing of the groups (a
    group is written as a whole, so two writers at once would lose a change).
  - One item failing never stops or hides the others; the task fails at the end and RV(failures) names every failed
    item with its reason. Every input rule of every item is checked before the first request.
  - Each item is planned by the planner M(clusterops.dynatrace.dynatrace_environment) uses, over the one listing, so
    both refuse the same items with the same words. Items that would act on one environment (by id, by name, or as a
    rename target) or leave two environments of one name stop the whole task after the listing and before any
    write, and the error names both items.
  - An update never creates. When another job deletes an environment between the listing and its update, the
    update's PUT (an upsert) would create it again, empty; the module deletes that copy again and fails the item
    saying the environment is gone (a deletion reports no change).
  - Results keyed by name tell two items of one name (O(environments[].allow_duplicate_name)) apart as C(name (id));
    RV(created_by_id), RV(api_tokens_created_by_id), RV(oneagent_handoff_by_id) and RV(drift_by_id) are keyed by
    environment id.
  - "Requests: steady state costs 1 request per 1,000 environments of the cluster (the listing, with quota and storage
    information when some item manages them), plus one GET for each declared environment whose quotas or storage are
    compared and whose page of the listing came without them (a cluster whose cursor drops the include flags: every
    page but the first; 10 declared of 2,500 cost at most 3 + 10), plus 1 (the groups listing) when some item
    declares O(environments[].permissions), whatever the number of items, when every declared API token is
    recorded in O(recorded_token_files). A creation costs 1 PUT; an update 1
    PUT; a deletion up to a PUT and a DELETE. API tokens of an item not recorded (or all with O(verify_tokens=true)):
    one listing of the environment's tokens and one POST per missing token, plus the mint of a token-management token
    and its deletion for an environment that existed before the run. Permissions: one PUT per group lacking some of
    them, one POST per group that does not exist. Check mode sends the reads only (the listings and those GETs)."
  - "Management zones (a group given as C({permissions: [...], management_zones: {...}}) in
    O(environments[].permissions)): plus 1 (the zone permissions of every group, read once), and per environment
    whose item names zones, its zone listing with the token chain (5 requests: a short-lived token-management token
    and a short-lived C(ReadConfig) token created and deleted); one PUT per group lacking some zone permission."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.censored_result
attributes:
  check_mode:
    support: full
    description: Sends the listings only, and reports per item what a real run would do.
  diff_mode:
    support: full
    description: One diff per changed item, headed by its name; never a token.
options:
  environments:
    description:
      - The environments, each an item of the role's C(environments_list). Two items of one id are an error, and so
        are two items of one name unless both set O(environments[].allow_duplicate_name) with their own
        O(environments[].environment_id).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:name).
        type: str
      environment_id:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:environment_id).
        type: str
      state:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:state).
        type: str
        choices: [present, absent]
        default: present
      enabled:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:enabled).
        type: bool
      trial:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:trial).
        type: bool
      tags:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:tags).
        type: list
        elements: str
      quotas:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:quotas).
        type: dict
      storage:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:storage).
        type: dict
      create_token:
        description:
          - Ask for the new environment's token-management token and return it in C(token_management_token) of its entry
            in RV(outcomes) and RV(created) (and write it to C(<environment id>.token) in O(token_dir)). Unset,
            O(create_token) applies.
          - When it is false, an item with O(environments[].api_tokens) creates them with a short-lived token-management
            token minted for them and deleted after (or left to expire in 10 minutes where the cluster cannot delete
            it), so no token is made that nothing keeps.
        type: bool
      update_existing:
        description: This item's own O(update_existing); unset, O(update_existing) applies.
        type: bool
      rename:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:rename).
        type: bool
        default: false
      allow_duplicate_name:
        description:
          - As O(clusterops.dynatrace.dynatrace_environment#module:allow_duplicate_name). Two items that both set it
            may share a name, each with its own O(environments[].environment_id).
        type: bool
        default: false
      api_tokens:
        description:
          - API tokens inside the environment, each made to exist by name. A token whose file
            C(<environment id>.<name>.token) is listed in O(recorded_token_files) counts as present and costs no
            request (unless O(verify_tokens=true)); a token that exists but is not recorded is left as it is (its
            secret cannot be read again).
          - When the creating request of a new environment only updates it, because another run created it at the
            same moment (two jobs onboarding the same team) or an earlier attempt whose answer was lost did, its
            tokens are left to that run and the item fails, asking for a run again (token names are not unique, so
            creating them in both runs could make each token twice). The run again finds them and creates only
            those still missing.
        type: list
        elements: dict
        suboptions:
          name:
            description: As O(clusterops.dynatrace.dynatrace_api_token#module:name).
            type: str
            required: true
          scopes:
            description:
              - As O(clusterops.dynatrace.dynatrace_api_token#module:scopes).
              - Scopes some clusters may not know (newer or undocumented ones) are confirmed by the cluster's answer
                for the first item that uses them, which runs alone before the other items. When the cluster refuses
                them there, the other items that use such scopes are not attempted (nothing of them is written) and
                fail naming the refused scopes.
            type: list
            elements: str
            required: true
          expiration:
            description: As O(clusterops.dynatrace.dynatrace_api_token#module:expiration).
            type: str
          rotate:
            description:
              - Replace the token by a new one when it exists but no file of O(token_dir) holds its secret (the way
                out the module names for such a token). The new secret is written to the token's file; the next run
                finds it recorded and rotates nothing, so the option may stay. Without O(token_dir) every run that
                finds the token replaces it.
            type: bool
            default: false
      permissions:
        description:
          - "Group permissions on this environment: a map from group name to a list of permissions
            (C(VIEWER), C(MANAGE_SETTINGS), ...). A group that does not exist is created. A group is merged (nothing
            else on it changes; what it holds on a listed environment beyond the declaration is warned about) unless
            O(groups) sets it to V(replace)."
          - "A group's value may instead be a dict: C(permissions) (that list) and C(management_zones), a map from the
            name of a management zone of this environment to its permissions (as
            O(clusterops.dynatrace.dynatrace_user_group#module:management_zone_permissions)), also added in merge
            mode. The zones are listed in the environments that name some, before any group is written; an item naming
            an unknown zone fails and nothing of it is written."
        type: dict
  groups:
    description:
      - How the permissions of each group are applied. A group not listed here is merged.
      - A group listed here exists after the run (it is created when missing, with or without permissions), with
        its LDAP and SSO group names when given. The export writes every group of a cluster here.
      - The environments the run manages are those of the items that are present and did not fail.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The group name, exactly.
        type: str
        required: true
      permissions_mode:
        description:
          - V(merge) adds the declared permissions and keeps everything else on the group; what the group holds on a
            managed environment beyond the declaration (on an item that does not name the group, all of it) is kept,
            returned as C(undeclared) and shown as a warning per environment.
          - V(replace) makes the group hold exactly what the items declare on the managed environments; the rest is
            revoked there (C(revoked) in each item's C(permissions), and a diff per group in check mode and C(--diff)).
            Environments outside the list keep their permissions unless O(groups[].replace_scope=cluster).
        type: str
        choices: [merge, replace]
        default: merge
      replace_scope:
        description:
          - V(listed) revokes only on the environments of the list; V(cluster) also revokes every permission of the
            group on environments outside the list (RV(permissions_elsewhere)).
        type: str
        choices: [listed, cluster]
        default: listed
      ldap_group_names:
        description:
          - The LDAP groups mapped to this group; when given the group holds exactly these, when left out they are kept.
        type: list
        elements: str
      sso_group_names:
        description:
          - The SSO groups mapped to this group; when given the group holds exactly these, when left out they are kept.
        type: list
        elements: str
      cluster_admin:
        description:
          - 'Whether the members administer the whole cluster; left out, it is kept. Changing it needs
            O(groups[].confirm_cluster_admin=true) (without it the run fails before its first write).'
        type: bool
      access_account:
        description: Whether the members may access the account (the account flag); left out, it is kept.
        type: bool
      manage_account:
        description: Whether the members may manage the account (the account flag); left out, it is kept.
        type: bool
      confirm_cluster_admin:
        description:
          - Confirms a change of O(groups[].cluster_admin) for this group (the export writes it next to a true
            cluster_admin).
        type: bool
        default: false
  update_existing:
    description: Bring existing environments to the declared values (an item's own O(environments[].update_existing) wins).
    type: bool
    default: false
  create_token:
    description:
      - The default of O(environments[].create_token). The environments role passes V(true) only with a token folder
        (C(environments_token_dir)), which keeps the token; without one it mints nothing that nothing keeps.
    type: bool
    default: true
  parallel:
    description:
      - The most items written at a time, 1 to 10. 1 writes one item after the other.
      - The run starts there and writes fewer items at a time while the cluster answers 429 or 503, then more again
        when it recovers.
    type: int
    default: 10
  recorded_token_files:
    description:
      - File names (no folder) of the API tokens already recorded, C(<environment id>.<token name>.token) (in a token
        name every character but letters, digits, C(.), C(-) and C(_) is written as C(%XX), its UTF-8 bytes, so two
        names never share a file, C(log ingest) being C(log%20ingest)). Prefer O(token_dir), whose files are checked.
    type: list
    elements: str
    default: []
  token_dir:
    description:
      - A folder on the host the module runs on, for one cluster. Before the first request the module creates it
        (mode 0700) when missing and checks that it can write there, and that no file in it belongs to another
        cluster; else it fails before anything is created.
      - Each secret is written the moment the server answers it, to its own file (mode 0600, created exclusively,
        synced and renamed into place), a new environment's token-management token to C(<environment id>.token), an
        API token to C(<environment id>.<token name>.token). Beside each, C(<file>.json) is its manifest, with the
        cluster, the environment id, the token's id, scopes and expiry, and the SHA-256 of the secret (never the
        secret). A file counts as recording its token only when its manifest vouches for it (this cluster, this
        environment (not an earlier one of the same id), the declared scopes, not expired). A file that is no
        longer the current token's is moved aside (C(<file>.replaced-<ms>)), never destroyed.
      - A token that exists while no file holds its secret is reported (state C(secret_unknown), and a warning)
        with the way out, O(environments[].api_tokens[].rotate). Files of release 1.0.0 (no manifest) get one once
        the cluster confirms that the secret is the token's (C(POST /apiTokens/lookup)). Nothing is written in
        check mode.
    type: path
  verify_tokens:
    description: Look up every declared API token in its environment, recorded or not (costs the requests the API needs).
    type: bool
    default: false
  caller_warnings:
    description:
      - Warnings a caller found before this task, shown as this task's warnings (the P(clusterops.dynatrace.environments#role)
        role passes its unknown C(environments*) variables and an empty C(environments_list)).
    type: list
    elements: str
    default: []
  list_name:
    description: What input errors call the list, as in C(<list_name>[3] (team-c)); the role passes C(environments_list).
    type: str
    default: environments
'''

EXAMPLES = r'''
- name: Onboard two teams in one task, with their API tokens and group permissions
  clusterops.dynatrace.dynatrace_environments:
    environments:
      - name: team-a
        quotas:
          host_units: {max_limit: 20}
        api_tokens:
          - {name: oneagent-install, scopes: [InstallerDownload], expiration: now+90d}
          - {name: metrics, scopes: [metrics.ingest]}
        permissions:
          team-a-admins: [VIEWER, MANAGE_SETTINGS]
          all-viewers: [VIEWER]
      - name: team-b
        tags: ['owner:team-b']
    token_dir: /etc/dynatrace/tokens  # each new secret in its own 0600 file; recorded tokens cost no request
    parallel: 8
  register: onboarded

- name: Hand team-a's environment over to the OneAgent installation (by id, so namesakes cannot mix)
  ansible.builtin.set_fact:
    oneagent_environment_url: "{{ onboarded.oneagent_handoff_by_id[onboarded.created['team-a'].id].oneagent_environment_url }}"
    oneagent_paas_token: "{{ onboarded.oneagent_handoff_by_id[onboarded.created['team-a'].id].oneagent_paas_token }}"
  no_log: true
  when: "'team-a' in onboarded.created"

- name: Show what a run would change, without changing anything (run with --check --diff)
  clusterops.dynatrace.dynatrace_environments:
    environments: "{{ my_environments }}"
    update_existing: true
  check_mode: true
  diff: true
  register: plan

- name: Name the items that differ from the cluster
  ansible.builtin.debug:
    msg: "{{ plan.outcomes | selectattr('changed') | map(attribute='name') | list }}"

- name: Apply the list, keep going past a failing item, then report every failure by item
  clusterops.dynatrace.dynatrace_environments:
    environments: "{{ my_environments }}"
  register: applied
  ignore_errors: true

- name: Report the failed items with their reasons
  ansible.builtin.fail:
    msg: "{{ applied.failures }}"
  when: applied.failures | length > 0
'''

RETURN = r'''
concurrency:
  description:
    - How the number of items written at a time adapted to the cluster. C(limit) is O(parallel), C(lowest) the
      fewest items at a time the run went down to, C(final) the number at the end, C(backoffs) how many times a 429 or
      503 made the run write fewer at once.
  returned: when the list is not empty
  type: dict
  sample: {"limit": 10, "lowest": 5, "final": 6, "backoffs": 3}
outcomes:
  description:
    - One result per item, in list order. Its new secrets (C(token_management_token), C(token) of a created API
      token, C(oneagent_paas_token)) are in this registered result only; the task's display is censored when it
      holds one.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The item's name (its environment_id when it has no name).
      type: str
      sample: team-a
    changed:
      description: Whether this item changed something (or would, in check mode).
      type: bool
      sample: true
    failed:
      description: True when this item failed; C(msg) says why. The other items ran.
      type: bool
      returned: when the item failed
      sample: true
    msg:
      description: Why the item failed.
      type: str
      returned: when the item failed
      sample: "environment_id 'e1' and name 'team-a' do not agree: environment e1 is named 'team-b'. Nothing was changed: ..."
    environment_id:
      description: The id of the environment (the id it gets, for a creation in check mode).
      type: str
      sample: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
    environment_url:
      description: The environment's address, C(https://<cluster>/e/<id>), for a present item.
      type: str
      returned: when the item is present
      sample: https://dynatrace.example.com/e/0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
    environment:
      description: The environment in the options shape of M(clusterops.dynatrace.dynatrace_environment) after the run.
      type: dict
      sample: {name: team-a, enabled: true, trial: false, tags: []}
    drift:
      description: What differs and was not changed (update_existing false), per option path, C(current) and C(desired).
      type: dict
      sample: {tags: {current: [], desired: ['owner:team-b']}}
    diff:
      description: The changed fields before and after (what C(--diff) shows).
      type: dict
      returned: when something differs
      sample: {before: {tags: []}, after: {tags: ['owner:team-b']}}
    token_management_token:
      description: The new environment's token-management token (a secret), when O(environments[].create_token) (or O(create_token)) asks for it.
      type: str
      returned: when the item created its environment
      sample: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
    api_tokens:
      description:
        - Per declared API token C(name), C(state) (C(recorded), C(exists), C(created), C(rotated),
          C(secret_unknown) (it exists and no file holds its secret, see O(environments[].api_tokens[].rotate)),
          C(failed), C(unknown) in check mode (not counted as a change; check mode cannot look tokens up without
          minting a token-management token, which is a write), C(skipped) when another run created the environment),
          C(file), C(scopes), C(id), and C(token) (a secret) only when created. The secrets created before or after
          a token of the item that failed stay here and in their files.
      type: list
      elements: dict
      returned: when the item declares api_tokens
      sample: [{name: oneagent-install, state: created, file: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10.oneagent-install.token}]
    permissions:
      description:
        - Per group, what this item's permissions changed on it (C(group), C(changed), C(created), C(before), C(after)),
          and C(revoked) (taken away by O(groups[].permissions_mode=replace)) and C(undeclared) (held, kept and not
          declared, in merge mode) when there are some.
      type: list
      elements: dict
      returned: when the item declares permissions, or a group of the run changes or holds undeclared ones on it
      sample: [{group: team-a-admins, changed: true, created: true}]
    paas_token_file:
      description: The file of the item's first token with C(InstallerDownload) (the one the hand-off reads).
      type: str
      returned: when the item is present
      sample: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10.oneagent-install.token
created:
  description:
    - The environments created in this run, by item name (two items of one name, with
      O(environments[].allow_duplicate_name), as C(name (id))). In check mode, those that would be, with the id they
      would get and no token. RV(created_by_id) holds the same by id.
  returned: always
  type: dict
  sample:
    team-a:
      id: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      environment_url: https://dynatrace.example.com/e/0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      token_management_token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
  contains:
    id:
      description: The environment's id.
      type: str
    environment_url:
      description: C(https://<cluster>/e/<id>).
      type: str
    token_management_token:
      description: Its token-management token (a secret); null with O(environments[].create_token=false).
      type: str
created_by_id:
  description: RV(created) keyed by environment id, each entry with its C(name) too.
  returned: always
  type: dict
  sample:
    0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10:
      name: team-a
      id: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      environment_url: https://dynatrace.example.com/e/0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      token_management_token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
api_tokens_created:
  description:
    - Per item name (as in RV(created)), the API tokens created in this run by token name, each with C(id), C(token)
      (a secret), C(file), C(scopes).
  returned: always
  type: dict
  sample:
    team-a:
      oneagent-install:
        id: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
        token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
        file: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10.oneagent-install.token
        scopes:
        - InstallerDownload
api_tokens_created_by_id:
  description: RV(api_tokens_created) keyed by environment id.
  returned: always
  type: dict
  sample:
    0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10:
      oneagent-install:
        id: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
        token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
        file: 0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10.oneagent-install.token
        scopes:
        - InstallerDownload
failures:
  description: Per failed item name (as in RV(created)), the reason. The task fails when it is not empty.
  returned: always
  type: dict
  sample: {team-c: "PUT /api/cluster/v2/environments/... failed with HTTP 400: ..."}
drift:
  description: Per item name (as in RV(created)), what differs and was not changed (O(update_existing) false).
  returned: always
  type: dict
  sample: {team-b: {tags: {current: [], desired: ['owner:team-b']}}}
drift_by_id:
  description: RV(drift) keyed by environment id.
  returned: always
  type: dict
  sample: {0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10: {tags: {current: [], desired: ['owner:team-b']}}}
permissions_elsewhere:
  description: The group permission changes on environments outside the list (O(groups[].replace_scope=cluster)),
    each C(environment_id), C(group), C(before), C(after), C(revoked).
  returned: always
  type: list
  elements: dict
groups:
  description: The groups of O(groups) created or whose LDAP/SSO names change (C(group), C(changed), C(created),
    C(before), C(after)), and those that failed (C(failed), C(msg)).
  returned: always
  type: list
  elements: dict
diff:
  description: One diff per changed item, then one per group whose permissions change (before and after by environment name).
  returned: always
  type: list
  elements: dict
drift_diff:
  description: RV(drift) as the lines of a diff.
  returned: always
  type: list
  elements: str
  sample: ['--- team-b (current; update_existing is false, nothing changed)', '+++ team-b (as declared)', '-tags: []', '+tags: ["owner:team-b"]']
oneagent_handoff:
  description:
    - Per item name (as in RV(created)) that declares a token with the scope C(InstallerDownload), what the
      OneAgent installation needs. A secret; the display is censored when it holds one.
  returned: always
  type: dict
  sample:
    team-a:
      oneagent_environment_url: https://dynatrace.example.com/e/0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      oneagent_paas_token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
  contains:
    oneagent_environment_url:
      description: C(https://<cluster>/e/<id>).
      type: str
    oneagent_paas_token:
      description: The PaaS token created in this run, else read from its file in O(token_dir); null when neither has it.
      type: str
oneagent_handoff_by_id:
  description: RV(oneagent_handoff) keyed by environment id, each entry with its C(name) too.
  returned: always
  type: dict
  sample:
    0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10:
      name: team-a
      oneagent_environment_url: https://dynatrace.example.com/e/0b8ea4b6-1b3a-5c4e-9b0e-2f6c3b9d7a10
      oneagent_paas_token: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import DEFAULT_PARALLEL, parallel_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import section_argument_spec
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.environments import (
    ensure_environments, input_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run

TOKEN_SPEC = dict(name=dict(type='str', required=True), scopes=dict(type='list', elements='str', required=True),
                  expiration=dict(type='str'), rotate=dict(type='bool', default=False))
ITEM_SPEC = dict(
    name=dict(type='str'), environment_id=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    enabled=dict(type='bool'), trial=dict(type='bool'), tags=dict(type='list', elements='str'),
    quotas=section_argument_spec(), storage=section_argument_spec(),
    create_token=dict(type='bool'), update_existing=dict(type='bool'), rename=dict(type='bool', default=False),
    allow_duplicate_name=dict(type='bool', default=False),
    api_tokens=dict(type='list', elements='dict', options=TOKEN_SPEC, no_log=False),
    permissions=dict(type='dict'),
)

GROUP_SPEC = dict(name=dict(type='str', required=True),
                  permissions_mode=dict(type='str', choices=['merge', 'replace'], default='merge'),
                  replace_scope=dict(type='str', choices=['listed', 'cluster'], default='listed'),
                  ldap_group_names=dict(type='list', elements='str'), sso_group_names=dict(type='list', elements='str'),
                  cluster_admin=dict(type='bool'), access_account=dict(type='bool'), manage_account=dict(type='bool'),
                  confirm_cluster_admin=dict(type='bool', default=False))


def argument_spec():
    return connection_argument_spec(
        environments=dict(type='list', elements='dict', required=True, options=ITEM_SPEC),
        update_existing=dict(type='bool', default=False),
        create_token=dict(type='bool', default=True),
        parallel=dict(type='int', default=DEFAULT_PARALLEL),
        recorded_token_files=dict(type='list', elements='str', default=[], no_log=False),
        token_dir=dict(type='path'),
        verify_tokens=dict(type='bool', default=False),
        list_name=dict(type='str', default='environments'),
        groups=dict(type='list', elements='dict', default=[], options=GROUP_SPEC),
        caller_warnings=dict(type='list', elements='str', default=[]),
    )


def logic(module, client):
    for warning in module.params['caller_warnings']:
        module.warn(warning)
    result = ensure_environments(client, module.params, check_mode=module.check_mode, warn=module.warn)
    if result['failures']:
        result.update(failed=True, msg='%d of %d environments failed: %s'
                      % (len(result['failures']), len(result['outcomes']),
                         '; '.join('%s: %s' % failure for failure in sorted(result['failures'].items()))))
    return result


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: logic(module, client),
        input_errors=parallel_errors(module.params['parallel']) + input_errors(module.params))


if __name__ == '__main__':
    main()
