"""python -m tests.contract: run the contract suite and write its recording.

Against the emulator (the default, what `make contract` and CI run): an emulator is started on a free port.
Against a real cluster (opt-in): DYNATRACE_CONTRACT_URL, DYNATRACE_CONTRACT_TOKEN (a cluster token with
ServiceProviderAPI, EnvironmentTokenManagement and ClusterTokenManagement), optionally
DYNATRACE_CONTRACT_CA_PATH, and DYNATRACE_CONTRACT_PREFIX: without a prefix only the read-only probes run.
Nothing is sent anywhere but to that URL; the recording is a local file.
"""

import argparse
import os
import sys

from .suite import PREFIX_RULE, Target, run_suite, write_recording

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDINGS = os.path.join(HERE, 'recordings')
EMULATOR_PREFIX = 'contract-probe'


def arguments(argv):
    parser = argparse.ArgumentParser(prog='python -m tests.contract', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', default=RECORDINGS, help='folder of the recording (default tests/contract/recordings)')
    return parser.parse_args(argv)


def cluster_target():
    """The real cluster the environment names, or None; exits with a message when it is named incompletely."""
    url = os.environ.get('DYNATRACE_CONTRACT_URL')
    if not url:
        return None
    token = os.environ.get('DYNATRACE_CONTRACT_TOKEN')
    if not token:
        sys.exit('DYNATRACE_CONTRACT_TOKEN must hold a cluster token when DYNATRACE_CONTRACT_URL is set')
    if not url.startswith('https://'):
        sys.exit('DYNATRACE_CONTRACT_URL must start with https:// (TLS is verified; DYNATRACE_CONTRACT_CA_PATH for a private CA)')
    prefix = os.environ.get('DYNATRACE_CONTRACT_PREFIX') or None
    if prefix is not None and not PREFIX_RULE.match(prefix):
        sys.exit('DYNATRACE_CONTRACT_PREFIX must be 3 to 31 characters: a lower-case letter, then lower-case letters, '
                 'digits and -, for example dtcontract-alice')
    return Target(url, token, os.environ.get('DYNATRACE_CONTRACT_CA_PATH') or None, prefix)


def main(argv=None):
    options = arguments(argv)
    target = cluster_target()
    if target is not None:
        recording, leftovers = run_suite(target, 'cluster')
        path = write_recording(options.out, recording)
    else:
        from tests.emulator.handle import start_emulator  # pylint: disable=import-outside-toplevel
        handle = start_emulator(seed_environments=3)  # a listing of page size 1 then has a cursor
        try:
            recording, leftovers = run_suite(Target(handle.url, handle.token, prefix=EMULATOR_PREFIX), 'emulator')
        finally:
            handle.stop()
        path = write_recording(options.out, recording, 'emulator-' + recording['cluster_version'])
    print('recorded %d answers of cluster version %s in %s' % (len(recording['probes']), recording['cluster_version'], path))
    if leftovers:
        sys.exit('left behind (remove by hand): %s' % '; '.join(leftovers))


if __name__ == '__main__':
    main()
