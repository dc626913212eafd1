"""The token scopes the emulator knows, by kind of token and by cluster version: facts, not a client's allow-list.

Cluster tokens carry cluster scopes and work on /api/cluster/... and /api/v1.0/onpremise/...;
environment tokens carry environment scopes and work only under their own /e/{id}/... . Some names
(apiTokens.*, settings.*) exist in both kinds; the kind of the token decides where it works.

Environment scopes: the 91 values of the Environment API v2 ApiTokenCreate.scopes enum of the current
documentation, with what the API changelogs date: 1.292 renamed openpipeline.events.security(.custom)
to openpipeline.events_security(.custom); 1.350 added openpipeline.events_data_lineage. A cluster of
another version knows the names of its version (`environment_scopes`). `PaaSIntegration` is no scope.
"""

CLUSTER_SCOPES = frozenset({
    'ServiceProviderAPI', 'EnvironmentTokenManagement', 'ClusterTokenManagement', 'ControlManagement',
    'Nodekeeper', 'UnattendedInstall', 'DiagnosticExport', 'ExternalSyntheticIntegration', 'ReadSyntheticData',
    'settings.read', 'settings.write', 'apiTokens.read', 'apiTokens.write',
    'activeGateTokenManagement.read', 'activeGateTokenManagement.create', 'activeGateTokenManagement.write',
})

DOCUMENTED_ENVIRONMENT_SCOPES = frozenset({
    'InstallerDownload', 'DataExport', 'PluginUpload', 'SupportAlert', 'AdvancedSyntheticIntegration',
    'ExternalSyntheticIntegration', 'RumBrowserExtension', 'LogExport', 'ReadConfig', 'WriteConfig', 'DTAQLAccess',
    'UserSessionAnonymization', 'DataPrivacy', 'CaptureRequestData', 'Davis', 'DssFileManagement',
    'RumJavaScriptTagManagement', 'TenantTokenManagement', 'ActiveGateCertManagement', 'RestRequestForwarding',
    'ReadSyntheticData', 'DataImport', 'syntheticExecutions.write', 'syntheticExecutions.read', 'auditLogs.read',
    'metrics.read', 'metrics.write', 'entities.read', 'entities.write', 'problems.read', 'problems.write',
    'events.read', 'events.ingest', 'openpipeline.events', 'openpipeline.events.custom',
    'openpipeline.events_security', 'openpipeline.events_security.custom', 'openpipeline.events_sdlc',
    'openpipeline.events_sdlc.custom', 'openpipeline.events_data_lineage', 'bizevents.ingest', 'networkZones.read',
    'networkZones.write', 'activeGates.read', 'activeGates.write', 'activeGateTokenManagement.read',
    'activeGateTokenManagement.create', 'activeGateTokenManagement.write', 'agentTokenManagement.read',
    'credentialVault.read', 'credentialVault.write', 'extensions.read', 'extensions.write',
    'extensionConfigurations.read', 'extensionConfigurations.write', 'extensionEnvironment.read',
    'extensionEnvironment.write', 'metrics.ingest', 'attacks.read', 'attacks.write', 'securityProblems.read',
    'securityProblems.write', 'syntheticLocations.read', 'syntheticLocations.write', 'settings.read', 'settings.write',
    'tenantTokenRotation.write', 'slo.read', 'slo.write', 'releases.read', 'apiTokens.read', 'apiTokens.write',
    'openTelemetryTrace.ingest', 'logs.read', 'logs.ingest', 'geographicRegions.read', 'oneAgents.read',
    'oneAgents.write', 'traces.lookup', 'unifiedAnalysis.read', 'hub.read', 'hub.write', 'hub.install',
    'javaScriptMappingFiles.read', 'javaScriptMappingFiles.write', 'extensionConfigurationActions.write',
    'rumCookieNames.read', 'adaptiveTrafficManagement.read', 'rumManualInsertionTags.read',
    'extensionDiscoveryJmx.read', 'extensionDiscoveryPmi.read',
})
# Union of every version's names: what an environment token may hold at all (the control API's check).
ENVIRONMENT_SCOPES = DOCUMENTED_ENVIRONMENT_SCOPES | {'openpipeline.events.security', 'openpipeline.events.security.custom'}

# (minor version from which a name exists, or None, minor version from which it is gone, or None)
DATED = {
    'openpipeline.events.security': (None, 292), 'openpipeline.events.security.custom': (None, 292),
    'openpipeline.events_security': (292, None), 'openpipeline.events_security.custom': (292, None),
    'openpipeline.events_data_lineage': (350, None),
}

KINDS = {'cluster': CLUSTER_SCOPES, 'environment': ENVIRONMENT_SCOPES}


def environment_scopes(cluster_version):
    """The environment token scopes a cluster of `cluster_version` (major.minor...) accepts on create and update."""
    minor = int(cluster_version.split('.')[1])
    return frozenset(name for name in ENVIRONMENT_SCOPES
                     if (DATED.get(name, (None, None))[0] or 0) <= minor < (DATED.get(name, (None, None))[1] or 10 ** 6))
