"""python -m tests.emulator: start the Dynatrace Managed API emulator in the foreground."""

import argparse

from . import DEFAULT_CLUSTER_VERSION
from .server import serve
from .state import FEATURES, LICENSES, Emulator, Settings, StartOptions


def token_option(text):
    """TOKEN=SCOPE[,SCOPE...]"""
    token, scopes = text.split('=', 1) if '=' in text else (text, '')
    if not token or not scopes:
        raise argparse.ArgumentTypeError('expected TOKEN=SCOPE[,SCOPE...]')
    return token, tuple(scope for scope in scopes.split(',') if scope)


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(prog='python -m tests.emulator', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8021, help='0 picks a free port (the ready line tells which)')
    parser.add_argument('--token', type=token_option, action='append', default=[], metavar='TOKEN=SCOPE[,SCOPE...]',
                        help='a token and its scopes (repeatable); without it the documented DEFAULT_TOKEN has all scopes')
    parser.add_argument('--seed-environments', type=int, default=0, metavar='N')
    parser.add_argument('--license', choices=LICENSES, default='classic')
    parser.add_argument('--deny-feature', choices=FEATURES, action='append', default=[])
    parser.add_argument('--state-file', metavar='PATH')
    parser.add_argument('--tls-cert', metavar='FILE')
    parser.add_argument('--tls-key', metavar='FILE')
    parser.add_argument('--cluster-version', default=DEFAULT_CLUSTER_VERSION, metavar='V')
    parser.add_argument('--clock-offset-ms', type=int, default=0, metavar='N')
    arguments = parser.parse_args(argv)
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    return arguments


def start_options(arguments):
    settings = Settings(arguments.license, frozenset(arguments.deny_feature), arguments.clock_offset_ms,
                        arguments.cluster_version)
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
