# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """The connection options shared by every module of clusterops.dynatrace."""

    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the Dynatrace Managed cluster, for example V(https://dynatrace.example.com).
      - A trailing slash, an C(/api/...) path or an C(/e/<environment-id>) path pasted by mistake is removed.
        The environment id of a pasted C(/e/<environment-id>) is used by M(clusterops.dynatrace.dynatrace_cluster_info)
        (with its environment token) when O(clusterops.dynatrace.dynatrace_cluster_info#module:environment_id) is not
        given.
      - Must start with V(http://) or V(https://). Plain V(http://) to a host that is not loopback sends the token
        unencrypted, and the module warns.
      - If not set, the environment variable E(DYNATRACE_URL) is used.
    type: str
    required: true
  api_token:
    description:
      - "Dynatrace API token, sent as C(Authorization: Api-Token <token>)."
      - A cluster token with scope C(ServiceProviderAPI), created in the Cluster Management Console, for the Cluster
        API (environments, version, nodes). An environment token is refused there; the collection's README lists the
        token and scope of every module.
      - Never logged and never part of an error message.
      - If not set, the environment variable E(DYNATRACE_API_TOKEN) is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the TLS certificate of the cluster.
      - Setting this to V(false) sends the token to whoever answers; prefer O(ca_path). The module warns when it is V(false).
      - If not set, the environment variable E(DYNATRACE_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM file of the certificate authorities to trust for the cluster certificate, for clusters whose
        certificate is signed by an internal CA (common in air-gapped networks).
      - If not set, the environment variable E(DYNATRACE_CA_PATH) is used (for example from the file injector of an
        AWX credential, see the collection's AWX guide).
    type: path
  timeout:
    description:
      - Seconds to wait for the cluster to accept a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is sent again after a transient failure (HTTP 429, 502, 503, 504, 556 or a
        connection failure), with capped exponential backoff and jitter, honouring C(Retry-After) and
        C(X-RateLimit-Reset). All waits of one request add up to at most 120 seconds.
      - A create request (POST) is sent again only when the cluster certainly did not act on it.
    type: int
    default: 5
requirements:
  - requests (Python library, on the host that runs the module)
notes:
  - The module reports the retries it made and the seconds it waited in RV(ignore:retries) and RV(ignore:waited_seconds).
'''

    # The same connection options for the inventory plugin clusterops.dynatrace.environments, which reads
    # them from its configuration file (*.dynatrace.yml) with environment variables as fallbacks.
    INVENTORY = r'''
options:
  url:
    description:
      - Base URL of the Dynatrace Managed cluster, for example V(https://dynatrace.example.com).
      - A trailing slash, an C(/api/...) path or an C(/e/<environment-id>) path pasted by mistake is removed.
      - Must start with V(http://) or V(https://). Plain V(http://) to a host that is not loopback sends the token
        unencrypted, and the inventory warns.
      - Required, in the configuration file or in the environment variable. May be a template (for example a lookup).
    type: str
    env:
      - name: DYNATRACE_URL
  api_token:
    description:
      - "Cluster API token with the scope C(ServiceProviderAPI), sent as C(Authorization: Api-Token <token>)."
      - Required, in the configuration file (vault-encrypted, or a template such as a lookup) or, better, in the
        environment variable, which is how an AWX or Automation Controller credential passes it.
      - Never logged, never part of an error message, never a host variable, never in the inventory cache.
    type: str
    env:
      - name: DYNATRACE_API_TOKEN
  validate_certs:
    description:
      - Verify the TLS certificate of the cluster.
      - Setting this to V(false) sends the token to whoever answers; prefer O(ca_path). The inventory warns when it
        is V(false).
    type: bool
    default: true
    env:
      - name: DYNATRACE_VALIDATE_CERTS
  ca_path:
    description:
      - Path to a PEM file of the certificate authorities to trust for the cluster certificate, for clusters whose
        certificate is signed by an internal CA (common in air-gapped networks).
    type: path
    env:
      - name: DYNATRACE_CA_PATH
  timeout:
    description:
      - Seconds to wait for the cluster to accept a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is sent again after a transient failure (HTTP 429, 502, 503, 504, 556 or a
        connection failure), with capped exponential backoff and jitter, honouring C(Retry-After) and
        C(X-RateLimit-Reset). All waits of one request add up to at most 120 seconds.
    type: int
    default: 5
requirements:
  - requests (Python library, on the controller)
'''
