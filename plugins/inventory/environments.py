# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
name: environments
short_description: The environments of a Dynatrace Managed cluster as inventory hosts
version_added: 1.0.0
description:
  - "Reads the environments (tenants) of a Dynatrace Managed cluster through the Cluster API v2 and makes each one an
    inventory host, so that a play runs once per environment (with C(connection: local))."
  - The configuration file must be named C(*.dynatrace.yml) or C(*.dynatrace.yaml).
  - "Every page of the listing is read, 1000 environments a request: a cluster of 2,500 environments costs 3
    requests, and a filter that selects 10 of them costs 1. With the inventory cache on, a cached run sends none."
  - "Host variables: C(dynatrace_environment_id), C(dynatrace_environment_name), C(dynatrace_environment_url)
    (C(https://<cluster>/e/<id>)), C(dynatrace_cluster_url), C(dynatrace_tags), C(dynatrace_state)
    (V(ENABLED) or V(DISABLED)), C(dynatrace_trial), C(dynatrace_creation_date), and with O(include_quotas) and
    O(include_storage) C(dynatrace_quotas) and C(dynatrace_storage), in the shape of the C(quotas) and C(storage)
    options of M(clusterops.dynatrace.dynatrace_environment) (an unlimited limit is V(unlimited))."
  - No token or other secret ever becomes a host variable, and none is written to the inventory cache.
  - "Default groups (O(default_groups)): C(state_enabled) or C(state_disabled), and C(tag_<tag>) for every tag, each
    character other than a letter, a digit or C(_) replaced by C(_): the tag C(department:finance) gives the group
    C(tag_department_finance)."
  - Every option is checked before the first request; an error names the option and the rule, and never shows the
    token. A top-level key that is no option (say C(filter) for O(filters)) fails, listing the valid options.
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - clusterops.dynatrace.connection.inventory
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices:
      - clusterops.dynatrace.environments
  hostname_source:
    description:
      - What the inventory hostname of an environment is made of.
      - "V(name): the environment name with every run of characters other than letters, digits, C(.), C(_) and C(-)
        replaced by one C(_) (C(Team Payments / EU) becomes C(Team_Payments_EU)). When several environments give the
        same hostname, the oldest keeps it and each newer one is named C(<hostname>_<environment id>), with a
        warning; so a host keeps its name when a namesake is created later."
      - "No environment name or id can break the inventory: a hostname is never C(all), C(ungrouped), C(localhost),
        C(127.0.0.1) or C(::1) (any case), and never a name of the default groups' name space (starting with C(state_)
        or C(tag_) and made of letters, digits and C(_) only). Such an environment is the host
        C(<hostname>-<environment id>) (C(env-<environment id>) for such an id), with a warning; a C(-) is a character
        no default group name holds, so hosts and default groups can never collide. Give your own O(groups) and
        O(keyed_groups) a prefix to keep them apart from hostnames too."
      - "V(id): the environment id, which never changes and never collides."
    type: str
    choices:
      - name
      - id
    default: name
  filters:
    description:
      - Only the environments that match all of these. What the server's filter grammar can say is sent to it (so a
        filter also saves requests); the rest (an exact, case-sensitive name, values holding parentheses, commas,
        quotes or a backslash) is finished on the controller.
      - "C(name): the exact name, case-sensitive. C(name_contains): a case-insensitive part of the name.
        C(tags): a list of tags that must all be present. C(tags_any): a list of tags of which at least one must be
        present. C(state): V(enabled) or V(disabled). C(trial): V(true) or V(false)."
    type: dict
    default: {}
  include_quotas:
    description:
      - Add the quotas of each environment as C(dynatrace_quotas) (asks the server for consumption information).
      - "Cost: whether the listing's cursor (C(nextPageKey)) keeps asking for quotas and storage is not published; it
        is told from each page's answer. When it keeps them, the listing stays 1 request per 1,000 environments. When a
        later page comes without them, each environment of that page is read on its own, up to 10 at once: 1 more
        request per environment past the first 1,000 (10,000 environments: 10 + 9,000 requests). The same holds for
        O(include_storage)."
      - Clusters with Dynatrace Platform Subscription (DPS) licensing have no environment quotas and refuse this
        (HTTP 422); the inventory then fails and says to set it to V(false).
    type: bool
    default: false
  include_storage:
    description:
      - Add the storage limits and retention of each environment as C(dynatrace_storage).
    type: bool
    default: false
  default_groups:
    description:
      - Put every host in its C(state_*) group and in a C(tag_*) group per tag. With V(false) only the groups of
        O(groups) and O(keyed_groups) exist.
    type: bool
    default: true
notes:
  - The cache key holds the cluster URL, O(filters) and the include options (never the token), so a changed
    filter or another cluster never reads a stale entry. Use a persistent cache plugin such as
    C(ansible.builtin.jsonfile) for a second run to send no request.
  - "Hosts are API endpoints, not machines. Run plays on them with C(connection: local) and C(gather_facts: false)."
seealso:
  - module: clusterops.dynatrace.dynatrace_environment_info
  - module: clusterops.dynatrace.dynatrace_environment
'''

EXAMPLES = r'''
# The smallest file, prod.dynatrace.yml (url and token from DYNATRACE_URL and DYNATRACE_API_TOKEN), is the one line
#   plugin: clusterops.dynatrace.environments
# and `ansible-inventory -i prod.dynatrace.yml --graph` shows its hosts and groups.

# finance.dynatrace.yml: the enabled environments of the finance department, named by id, with their quotas,
# grouped by the stage tag, and cached for an hour.
plugin: clusterops.dynatrace.environments
url: https://dynatrace-managed.example.com
ca_path: /etc/pki/tls/certs/internal-ca.pem
hostname_source: id
filters:
  tags: [department:finance]
  state: enabled
include_quotas: true
keyed_groups:
  - prefix: stage
    key: dynatrace_tags | select('match', 'stage:') | map('regex_replace', '^stage:', '') | list
groups:
  trials: dynatrace_trial
compose:
  host_unit_limit: dynatrace_quotas.host_units.max_limit | default('unlimited')
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-dynatrace-inventory
cache_timeout: 3600

# A play that runs once per environment of a group, on the controller:
# - hosts: tag_department_finance
#   connection: local
#   gather_facts: false
#   tasks:
#     - ansible.builtin.debug:
#         msg: "{{ dynatrace_environment_name }} is at {{ dynatrace_environment_url }}"
'''

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var
from ansible.release import __version__ as ansible_version

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.environment.inventory import (
    ConnectionOptionError, DynatraceError, cache_fingerprint, fetch_environments, make_client, settings_errors,
    unknown_option_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.inventory_hosts import (
    assign_hostnames, default_group_names, host_variables, usable_hostname,
)

SETTINGS = ('url', 'api_token', 'validate_certs', 'ca_path', 'timeout', 'retries', 'hostname_source', 'filters',
            'include_quotas', 'include_storage', 'default_groups')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'clusterops.dynatrace.environments'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('.dynatrace.yml', '.dynatrace.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        unknown = unknown_option_errors(config, self.option_definitions)
        if unknown:
            raise AnsibleParserError('%s: invalid inventory configuration: %s' % (path, '; '.join(unknown)))
        settings = self._settings(path)
        cache_key = '%s_%s' % (self.get_cache_key(path), cache_fingerprint(settings))
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        listing = None
        if use_cache:
            try:
                listing = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if listing is None:
            listing = self._fetch(settings, path)
        if update_cache:
            self._cache[cache_key] = listing
        self._populate(listing, settings)

    def _settings(self, path):
        """The options, templated where a template is allowed, and checked before any request."""
        settings = dict((name, self.get_option(name)) for name in SETTINGS)
        for name in ('url', 'api_token'):
            value = settings[name]
            if isinstance(value, str) and self.templar.is_template(value):
                settings[name] = self.templar.template(value)
        errors = settings_errors(settings)
        if errors:
            raise AnsibleParserError('%s: invalid inventory configuration: %s' % (path, '; '.join(errors)))
        return settings

    def _fetch(self, settings, path):
        """What the cache holds: the cluster URL and the API environments (no token)."""
        try:
            client = make_client(settings, warn=self.display.warning, ansible_version=ansible_version)
        except ImportError:
            raise AnsibleParserError('%s: the Python library requests is required on the controller '
                                     '(pip install requests)' % path)
        except ConnectionOptionError as exc:
            raise AnsibleParserError('%s: %s' % (path, exc))
        try:
            environments = fetch_environments(client, settings)
        except DynatraceError as exc:
            hint = ''
            if exc.status == 401:
                hint = ' Check api_token (or DYNATRACE_API_TOKEN): the cluster did not accept it.'
            if exc.status == 422 and settings['include_quotas']:
                hint = ' Set include_quotas: false in the inventory file: this cluster has no environment quotas.'
            raise AnsibleParserError('%s: listing the environments of %s failed: %s%s'
                                     % (path, client.base_url, client.redact(str(exc)), hint))
        self.display.vvv('%s: %d environments from %s' % (path, len(environments), client.base_url))
        return dict(base_url=client.base_url, environments=environments)

    def _populate(self, listing, settings):
        try:
            hosts, collisions = assign_hostnames(listing['environments'], settings['hostname_source'])
        except ValueError as exc:
            raise AnsibleParserError(str(exc))
        for hostname, wanted, environment_id in collisions:
            if usable_hostname(wanted):
                self.display.warning('Several environments are named %s as inventory hosts: the oldest keeps the name, '
                                     'the environment %s is the host %s.' % (wanted, environment_id, hostname))
            else:
                self.display.warning('The environment %s is the inventory host %s: %s is a name of Ansible or of the '
                                     'default groups, which a host never takes.' % (environment_id, hostname, wanted))
        strict = self.get_option('strict')
        for hostname, environment in hosts:
            variables = host_variables(environment, listing['base_url'], settings['include_quotas'],
                                       settings['include_storage'])
            self.inventory.add_host(hostname)
            # Names, tags and URLs come from the cluster: data, never a template (an environment named
            # "{{ lookup('pipe', ...) }}" must not run on the controller when a play reads its host variables).
            variables = dict((name, wrap_var(value)) for name, value in variables.items())
            for name, value in variables.items():
                self.inventory.set_variable(hostname, name, value)
            if settings['default_groups']:
                for group in default_group_names(environment):
                    self.inventory.add_child(self.inventory.add_group(group), hostname)
            self._set_composite_vars(self.get_option('compose'), variables, hostname, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), variables, hostname, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, hostname, strict=strict)
