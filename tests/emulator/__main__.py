"""python -m tests.emulator: start the Dynatrace Managed API emulator in the foreground."""

import argparse

from . import DEFAULT_CLUSTER_VERSION
from .latency import parse_latency
from .profiles import FEATURES, LICENSES
from .server import serve
from .state import Emulator, Settings, StartOptions


def token_option(text):
    """TOKEN=SCOPE[,SCOPE...]"""
    token, scopes = text.split('=', 1) if '=' in text else (text, '')
    if not token or not scopes:
        raise argparse.ArgumentTypeError('expected TOKEN=SCOPE[,SCOPE...]')
    return token, tuple(scope for scope in scopes.split(',') if scope)


def latency_option(text):
    try:
        return parse_latency(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def yes_no(text):
    if text not in ('yes', 'no'):
        raise argparse.ArgumentTypeError('expected yes or no')
    return text == 'yes'


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(prog='python -m tests.emulator', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8021, help='0 picks a free port (the ready line tells which)')
    parser.add_argument('--token', type=token_option, action='append', default=[], metavar='TOKEN=SCOPE[,SCOPE...]',
                        help='a cluster token and its scopes (repeatable); replaces the documented DEFAULT_TOKEN')
    parser.add_argument('--seed-environments', type=int, default=0, metavar='N')
    parser.add_argument('--license', choices=LICENSES, default='ddu')
    parser.add_argument('--deny-feature', choices=FEATURES, action='append', default=[])
    parser.add_argument('--state-file', metavar='PATH')
    parser.add_argument('--tls-cert', metavar='FILE')
    parser.add_argument('--tls-key', metavar='FILE')
    parser.add_argument('--cluster-version', default=DEFAULT_CLUSTER_VERSION, metavar='V')
    parser.add_argument('--clock-offset-ms', type=int, default=0, metavar='N')
    parser.add_argument('--unlimited-storage', choices=('null', 'zero'), default='zero',
                        help='how an unlimited storage byte limit reads back')
    parser.add_argument('--cursor-keeps-includes', type=yes_no, default=False, metavar='yes|no',
                        help='whether nextPageKey carries the include flags (default no)')
    parser.add_argument('--latency', type=latency_option, default={}, metavar='read=30ms,write=800ms')
    parser.add_argument('--implied-view-security-problems', type=yes_no, default=True, metavar='yes|no',
                        help='whether the server adds VIEW_SECURITY_PROBLEMS next to VIEWER in groups (default yes)')
    parser.add_argument('--reuse-deleted-ids', type=yes_no, default=True, metavar='yes|no',
                        help='whether a PUT may create an environment with the id of a deleted one (default yes)')
    parser.add_argument('--zone-permissions-replace', type=yes_no, default=False, metavar='yes|no',
                        help='whether PUT /groups/managementZones replaces every zone of the group (default no: only '
                             'the zones it names)')
    parser.add_argument('--zone-implied-view-security-problems', type=yes_no, default=True, metavar='yes|no',
                        help='whether the server adds VIEW_SECURITY_PROBLEMS next to a zone\'s VIEWER (default yes)')
    parser.add_argument('--zone-visibility-delay-ms', type=int, default=0, metavar='N',
                        help='how long a new management zone stays unknown to the permission API (default 0)')
    parser.add_argument('--write-capacity', type=int, default=0, metavar='C',
                        help='at most C writes at once; one more is answered 429 with Retry-After (default 0: no limit)')
    parser.add_argument('--group-read-model', choices=('current', 'spec2021'), default='current',
                        help='how a group read answers the account flags (default current: isAccessAccount, isManageAccount)')
    parser.add_argument('--group-names-ignore-case', type=yes_no, default=True, metavar='yes|no',
                        help='whether creating a group compares names without case (default yes)')
    parser.add_argument('--user-repository', choices=('internal', 'ldap', 'sso'), default='internal',
                        help='ldap or sso: users are managed outside the cluster, every user write answers 403')
    arguments = parser.parse_args(argv)
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    if arguments.write_capacity < 0:
        parser.error('--write-capacity must be 0 (no limit) or more')
    if not is_version(arguments.cluster_version):
        parser.error('--cluster-version must look like 1.330.18.20251103-101516')
    return arguments


def is_version(text):
    parts = text.split('.')
    return len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit()


def start_options(arguments):
    settings = Settings(arguments.license, frozenset(arguments.deny_feature), arguments.clock_offset_ms,
                        arguments.cluster_version, arguments.unlimited_storage, arguments.cursor_keeps_includes,
                        implied_view_security_problems=arguments.implied_view_security_problems,
                        reuse_deleted_ids=arguments.reuse_deleted_ids, write_capacity=arguments.write_capacity,
                        zone_permissions_replace=arguments.zone_permissions_replace,
                        zone_implied_view_security_problems=arguments.zone_implied_view_security_problems,
                        zone_visibility_delay_ms=arguments.zone_visibility_delay_ms,
                        group_read_model=arguments.group_read_model,
                        group_names_ignore_case=arguments.group_names_ignore_case,
                        user_repository=arguments.user_repository, **arguments.latency)
    options = StartOptions(seed_environments=arguments.seed_environments, settings=settings,
                           state_file=arguments.state_file)
    if arguments.token:
        options.tokens = dict(arguments.token)
    return options


def main(argv=None):
    arguments = parse_arguments(argv)
    serve(Emulator(start_options(arguments)), arguments.host, arguments.port, arguments.tls_cert, arguments.tls_key)


if __name__ == '__main__':
    main()
