"""A local emulator of the Dynatrace Managed API, for tests and demos.

Run it with ``python -m tests.emulator`` from the repository root (see README.md).
It is a test double: it is not part of the built collection.
"""

# The token the emulator accepts when no --token option is given. It has the
# real format (dt0c01.<24 public characters>.<64 secret characters>) and every
# scope the emulated calls need. It guards nothing: it only exists so that demos
# and tests work out of the box.
DEFAULT_TOKEN = 'dt0c01.TG0GO2LY49YIRRGDZYYYZ7XU.FNJ76Q99TMUS7ADQX45F65MTLY0V12L0W924PJ6MLS0175SC15EM38ISP5EYIAJ3'
DEFAULT_SCOPES = ('ServiceProviderAPI', 'EnvironmentTokenManagement', 'DataExport')

# The scopes Dynatrace gives a token created for a new environment.
ENVIRONMENT_TOKEN_SCOPES = ('apiTokens.read', 'apiTokens.write', 'TenantTokenManagement')

# A realistic Managed cluster version (major.minor.patch.build).
DEFAULT_CLUSTER_VERSION = '1.302.72.20241015-112233'

READY_LINE = 'Dynatrace Managed API emulator listening on {url}'
