"""A local emulator of the Dynatrace Managed API, for tests and demos.

Run it with ``python -m tests.emulator`` from the repository root (see README.md).
It is a test double: it is not part of the built collection.
"""

# The cluster token the emulator accepts when no --token option is given. It has the real format
# (dt0c01.<24 public characters>.<64 secret characters>) and the scopes of a platform team's cluster
# token. It works on /api/cluster/... and /api/v1.0/onpremise/... only, never inside /e/{id}: tokens
# for an environment come from the API (createToken, tokenManagementToken, /e/{id}/api/v2/apiTokens).
# It guards nothing: it only exists so that demos and tests work out of the box.
DEFAULT_TOKEN = 'dt0c01.TG0GO2LY49YIRRGDZYYYZ7XU.FNJ76Q99TMUS7ADQX45F65MTLY0V12L0W924PJ6MLS0175SC15EM38ISP5EYIAJ3'
DEFAULT_SCOPES = ('ServiceProviderAPI', 'EnvironmentTokenManagement', 'ClusterTokenManagement')

# The scopes Dynatrace gives a token-management token (createToken, tokenManagementToken).
ENVIRONMENT_TOKEN_SCOPES = ('apiTokens.read', 'apiTokens.write', 'TenantTokenManagement')

# A current Managed cluster version (major.minor.patch.build); it decides the storage schema.
DEFAULT_CLUSTER_VERSION = '1.330.18.20251103-101516'

READY_LINE = 'Dynatrace Managed API emulator listening on {url}'
