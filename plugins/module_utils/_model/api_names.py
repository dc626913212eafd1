# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Names the API owns (token scopes, environment and management-zone permissions): one rule for all.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Dynatrace adds scopes and permissions with its releases and renames some, and says that clients must
handle names they do not know. So the collection refuses locally only what is certainly wrong (a name
of the wrong shape, a scope only cluster tokens carry, a name that is known not to exist, each with a
hint), passes every other well-formed name to the server, and turns the server's refusal into an
error naming the option and the value (`refusal_message`).

The documented lists below are facts for sorting, documentation and "does this run need the server
to confirm a name first" (`needs_confirmation`), never an allow-list.
"""

import re

# The Environment API v2 ApiTokenCreate.scopes values of the current documentation (91).
DOCUMENTED_ENVIRONMENT_SCOPES = (
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
)
# Scopes every Managed cluster of the last years knows: a run that uses only these needs no confirmation.
ESTABLISHED_ENVIRONMENT_SCOPES = frozenset((
    'InstallerDownload', 'DataExport', 'PluginUpload', 'SupportAlert', 'AdvancedSyntheticIntegration',
    'ExternalSyntheticIntegration', 'RumBrowserExtension', 'LogExport', 'ReadConfig', 'WriteConfig', 'DTAQLAccess',
    'UserSessionAnonymization', 'DataPrivacy', 'CaptureRequestData', 'Davis', 'DssFileManagement',
    'RumJavaScriptTagManagement', 'TenantTokenManagement', 'ActiveGateCertManagement', 'RestRequestForwarding',
    'ReadSyntheticData', 'DataImport', 'apiTokens.read', 'apiTokens.write', 'activeGates.read', 'activeGates.write',
    'auditLogs.read', 'credentialVault.read', 'credentialVault.write', 'entities.read', 'entities.write',
    'events.ingest', 'events.read', 'extensions.read', 'extensions.write', 'logs.ingest', 'logs.read',
    'metrics.ingest', 'metrics.read', 'metrics.write', 'networkZones.read', 'networkZones.write', 'oneAgents.read',
    'oneAgents.write', 'openTelemetryTrace.ingest', 'problems.read', 'problems.write', 'releases.read',
    'securityProblems.read', 'securityProblems.write', 'settings.read', 'settings.write', 'slo.read', 'slo.write',
    'syntheticLocations.read', 'syntheticLocations.write', 'traces.lookup',
))
# Scopes only cluster tokens carry (Cluster API v2 token scopes that no environment token has).
CLUSTER_ONLY_SCOPES = ('ServiceProviderAPI', 'EnvironmentTokenManagement', 'ClusterTokenManagement',
                       'ControlManagement', 'Nodekeeper', 'UnattendedInstall')

# Environment permissions of a user group (accessRight keys) as documented today.
DOCUMENTED_ENVIRONMENT_PERMISSIONS = (
    'VIEWER', 'MANAGE_SETTINGS', 'AGENT_INSTALL', 'LOG_VIEWER', 'VIEW_SENSITIVE_REQUEST_DATA',
    'CONFIGURE_REQUEST_CAPTURE_DATA', 'REPLAY_SESSION_DATA', 'REPLAY_SESSION_DATA_WITHOUT_MASKING',
    'MANAGE_SECURITY_PROBLEMS', 'VIEW_SECURITY_PROBLEMS', 'MANAGE_SUPPORT_TICKETS',
)
# Management-zone permissions of the 2021 spec (newer clusters may add more).
DOCUMENTED_ZONE_PERMISSIONS = (
    'VIEWER', 'MANAGE_SETTINGS', 'DEMO_USER', 'LOG_VIEWER', 'MANAGE_SECURITY_PROBLEMS', 'REPLAY_SESSION_DATA',
    'REPLAY_SESSION_DATA_WITHOUT_MASKING', 'VIEW_SENSITIVE_REQUEST_DATA',
)

SCOPE_SHAPE = re.compile(r'^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$')
PERMISSION_SHAPE = re.compile(r'^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$')


class NameKind(object):
    """One family of names: what it is called, its shape, what is certainly wrong, and what is documented."""

    def __init__(self, label, shape, shape_rule, documented, refused, established=None):
        self.label = label
        self.shape = shape
        self.shape_rule = shape_rule
        self.documented = tuple(documented)
        self.refused = dict(refused)
        self.established = frozenset(self.documented if established is None else established)


_CLUSTER_ONLY = ('a scope of cluster tokens, which no environment token can carry (cluster tokens are made in the '
                 'Cluster Management Console)')
ENVIRONMENT_SCOPE = NameKind(
    'environment token scope', SCOPE_SHAPE, 'letters, digits and _ in dot-separated parts, case-sensitive, for example '
    'InstallerDownload or metrics.ingest', DOCUMENTED_ENVIRONMENT_SCOPES,
    dict([(name, _CLUSTER_ONLY) for name in CLUSTER_ONLY_SCOPES]
         + [('PaaSIntegration', 'not a scope: a PaaS token has the scope InstallerDownload (and SupportAlert for '
                                'support alerts)')]),
    ESTABLISHED_ENVIRONMENT_SCOPES)
ENVIRONMENT_PERMISSION = NameKind(
    'environment permission', PERMISSION_SHAPE, 'upper-case words joined by _, for example VIEWER or MANAGE_SETTINGS',
    DOCUMENTED_ENVIRONMENT_PERMISSIONS, {},
    set(DOCUMENTED_ENVIRONMENT_PERMISSIONS) - {'MANAGE_SUPPORT_TICKETS'})
ZONE_PERMISSION = NameKind(
    'management-zone permission', PERMISSION_SHAPE, 'upper-case words joined by _, for example VIEWER',
    DOCUMENTED_ZONE_PERMISSIONS, {})


def name_errors(kind, option, names):
    """Errors of one list of names of `kind`, each naming `option` and the value: only what is certainly wrong."""
    if not isinstance(names, (list, tuple)):
        return ['%s must be a list of %s names' % (option, kind.label)]
    errors = []
    for name in names:
        if not isinstance(name, str) or not kind.shape.match(name):
            errors.append('%s: %r is not a well-formed %s name (%s)' % (option, name, kind.label, kind.shape_rule))
        elif name in kind.refused:
            errors.append('%s: %s is %s' % (option, name, kind.refused[name]))
    return errors


def sorted_names(kind, names):
    """Names in the documented order; names the documentation does not list come last, sorted."""
    names = set(names)
    return [name for name in kind.documented if name in names] + sorted(names - set(kind.documented))


def needs_confirmation(kind, names):
    """The names some clusters may not know (newer or undocumented ones), sorted: the server must confirm them."""
    return sorted(set(name for name in names if name not in kind.established))


def refused_names(kind, sent, error):
    """Which of the `sent` names the server's refusal `error` (a DynatraceError) is about, best effort.

    A constraint violation's path like scopes[2] names the index; a name quoted in a message names itself;
    failing both, the names some clusters may not know; failing those, every name sent.
    """
    sent = list(sent)
    texts = list(getattr(error, 'violations', ()) or ())
    texts.append(('', getattr(error, 'message', '') or ''))
    found = set()
    for path, message in texts:
        for index in re.findall(r'\[(\d+)\]', path + ' ' + message):
            if int(index) < len(sent):
                found.add(sent[int(index)])
        found.update(name for name in sent if _mentions(message, name))
    return sorted_names(kind, found or needs_confirmation(kind, sent) or sent)


def _mentions(text, name):
    return re.search(r'(?<![A-Za-z0-9_.])%s(?![A-Za-z0-9_]|\.[A-Za-z])' % re.escape(name), text or '') is not None


def refusal_message(kind, option, sent, error):
    """The words of a server's 400 about names of `kind`: the option, the value(s), the server's own text."""
    names = refused_names(kind, sent, error)
    return ('%s: the cluster refused %s %s (%s). The collection passes every well-formed name to the cluster, '
            'which decides; check the name against the documentation of this cluster version.'
            % (option, kind.label + ('s' if len(names) > 1 else ''), ', '.join(names), error))
