"""Benchmark of onboarding at scale (issue 18): the bulk role against a module loop and the best uri playbook.

The emulator runs with a real cluster's latency (read 30 ms, write 2 s: a create takes the server seconds).

- create: N environments from nothing: the role (one dynatrace_environments task, default parallel 4, and
  parallel 10), a loop of dynatrace_environment (loop.yml), and onboard_uri.yml (one listing, a POST per name).
- steady state: the same N teams onboarded with 2 API tokens and group permissions each, run again through the
  role: the requests it costs (target: at most 2) and its time.

    .venv/bin/python tests/benchmarks/onboarding.py [--count N] [--json PATH]

One run per variant (the loop of 100 alone takes minutes at this latency); the emulator is reset between runs.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import Bench, RunFailed  # noqa: E402  pylint: disable=wrong-import-position
from tests.emulator.handle import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

LATENCY = 'read=30ms,write=2s'
TOKENS = [{'name': 'paas', 'scopes': ['InstallerDownload']}, {'name': 'ingest', 'scopes': ['metrics.ingest']}]


def teams(count, onboarded=False):
    items = [{'name': 'team-%03d' % number} for number in range(count)]
    if onboarded:
        for item in items:
            item.update(api_tokens=TOKENS, permissions={'%s-admins' % item['name']: ['VIEWER', 'MANAGE_SETTINGS']})
    return items


def run(bench, emulator, playbook, variables, count, reset=True):
    if reset:
        emulator.reset()
        emulator.configure(latency=LATENCY)
    seconds, log = bench.playbook(playbook, variables)
    if reset and len(emulator.environments()) != count:
        raise RunFailed('%s left %d environments, not %d' % (playbook, len(emulator.environments()), count))
    writes = [entry for entry in log if entry['method'] != 'GET']
    return dict(seconds=round(seconds, 1), requests=len(log), writes=len(writes))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=100)
    parser.add_argument('--json')
    args = parser.parse_args(argv)
    rows = []
    emulator = start_emulator()
    try:
        with tempfile.TemporaryDirectory(prefix='clusterops-onboard-') as workdir:
            bench = Bench(emulator, workdir, 1)
            plain = dict(bench_environments=teams(args.count), bench_token_dir=str(Path(workdir) / 'tokens'))
            variants = [('role parallel 4', 'onboard_role.yml', dict(plain, bench_parallel=4)),
                        ('role parallel 10', 'onboard_role.yml', dict(plain, bench_parallel=10)),
                        ('loop', 'loop.yml', plain), ('uri', 'onboard_uri.yml', plain)]
            for variant, playbook, variables in variants:
                row = dict(scenario='create_%d' % args.count, variant=variant,
                           **run(bench, emulator, playbook, variables, args.count))
                rows.append(row)
                print(row, flush=True)
            onboard = dict(bench_environments=teams(args.count, True), bench_parallel=10,
                           bench_token_dir=str(Path(workdir) / 'onboarded'))
            rows.append(dict(scenario='onboard_%d_full' % args.count, variant='role parallel 10',
                             **run(bench, emulator, 'onboard_role.yml', onboard, args.count)))
            print(rows[-1], flush=True)
            rows.append(dict(scenario='steady_%d_onboarded' % args.count, variant='role',
                             **run(bench, emulator, 'onboard_role.yml', onboard, args.count, reset=False)))
            print(rows[-1], flush=True)
    finally:
        emulator.stop()
    loop = next(row['seconds'] for row in rows if row['variant'] == 'loop')
    role = next(row['seconds'] for row in rows if row['variant'] == 'role parallel 4')
    steady = rows[-1]['requests']
    print('create through the role (parallel 4): %.1f s = %.2f of the loop (%.1f s): target <= 0.25 %s'
          % (role, role / loop, loop, 'met' if role <= loop / 4 else 'MISSED'))
    print('steady state of %d onboarded teams: %d requests: target <= 2 %s'
          % (args.count, steady, 'met' if steady <= 2 else 'MISSED'))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
