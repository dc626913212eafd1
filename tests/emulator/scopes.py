"""The token scopes the emulator knows, by kind of token.

Cluster tokens carry cluster scopes and work on /api/cluster/... and /api/v1.0/onpremise/...;
environment tokens carry environment scopes and work only under their own /e/{id}/... . Some names
(apiTokens.*, settings.*) exist in both kinds; the kind of the token decides where it works.
"""

CLUSTER_SCOPES = frozenset({
    'ServiceProviderAPI', 'EnvironmentTokenManagement', 'ClusterTokenManagement', 'ControlManagement',
    'Nodekeeper', 'UnattendedInstall', 'DiagnosticExport', 'ExternalSyntheticIntegration', 'ReadSyntheticData',
    'settings.read', 'settings.write', 'apiTokens.read', 'apiTokens.write',
})

# API v1 names (DataExport, InstallerDownload, ...) and API v2 names (metrics.ingest, ...).
ENVIRONMENT_SCOPES = frozenset({
    'DataExport', 'InstallerDownload', 'PaaSIntegration', 'SupportAlert', 'PluginUpload', 'ReadConfig',
    'WriteConfig', 'TenantTokenManagement', 'LogExport', 'ExternalSyntheticIntegration', 'ReadSyntheticData',
    'AdvancedSyntheticIntegration', 'CaptureRequestData', 'DataImport', 'DataPrivacy', 'DssFileManagement',
    'DTAQLAccess', 'UserSessionAnonymization', 'RumBrowserExtension', 'RumJavaScriptTagManagement',
    'ActiveGateCertManagement', 'RestRequestForwarding', 'Davis',
    'apiTokens.read', 'apiTokens.write', 'activeGateTokenManagement.create', 'activeGateTokenManagement.read',
    'activeGateTokenManagement.write', 'activeGates.read', 'activeGates.write', 'auditLogs.read',
    'credentialVault.read', 'credentialVault.write', 'entities.read', 'entities.write', 'events.ingest',
    'events.read', 'extensions.read', 'extensions.write', 'logs.ingest', 'logs.read', 'metrics.ingest',
    'metrics.read', 'metrics.write', 'networkZones.read', 'networkZones.write', 'oneAgents.read',
    'oneAgents.write', 'openTelemetryTrace.ingest', 'problems.read', 'problems.write', 'releases.read',
    'securityProblems.read', 'securityProblems.write', 'settings.read', 'settings.write', 'slo.read',
    'slo.write', 'syntheticLocations.read', 'syntheticLocations.write', 'traces.lookup',
})

KINDS = {'cluster': CLUSTER_SCOPES, 'environment': ENVIRONMENT_SCOPES}
