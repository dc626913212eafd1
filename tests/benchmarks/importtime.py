"""Start-up cost of a module process: dynatrace_environment against ansible.builtin.uri (scenario single_call).

Each import chain is timed in fresh interpreters (the median of --runs), then `python -X importtime` of
the dynatrace_environment chain lists the imports that cost the most (cumulative, top level only).

    .venv/bin/python tests/benchmarks/importtime.py [--runs N] [--top N]
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / '.tmp' / 'collections'
MODULE = 'ansible_collections.clusterops.dynatrace.plugins.modules.dynatrace_environment'
CLIENT = 'ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http'
CHAINS = (
    ('python -c pass (interpreter only)', 'pass'),
    ('ansible.module_utils.basic', 'import ansible.module_utils.basic'),
    ('ansible.builtin.uri (module + module_utils.urls)', 'import ansible.modules.uri'),
    ('dynatrace_environment (module + module_utils)', f'import {MODULE}'),
    ('dynatrace_environment + requests (what a run imports)', f'import {MODULE}, requests'),
    ('requests alone', 'import requests'),
)
TIMER = 'import time, subprocess, sys; s = time.perf_counter(); subprocess.run([sys.executable, "-c", sys.argv[1]], check=True); print(time.perf_counter() - s)'


def environment():
    env = dict(os.environ)
    env['PYTHONPATH'] = str(COLLECTIONS)
    return env


def wall(code, runs):
    times = []
    for _run in range(runs):
        out = subprocess.run([sys.executable, '-c', TIMER, code], env=environment(), capture_output=True, text=True,
                             check=True, timeout=120)
        times.append(float(out.stdout))
    return statistics.median(times), min(times), max(times)


def importtime(code, top):
    """(cumulative us, self us, name) of the imports nested at most two levels below the top, costliest first."""
    out = subprocess.run([sys.executable, '-X', 'importtime', '-c', code], env=environment(), capture_output=True,
                         text=True, check=True, timeout=120)
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith('import time:') or 'self [us]' in line:
            continue
        self_us, cumulative_us, name = line[len('import time:'):].split('|')
        depth = (len(name) - len(name.lstrip(' '))) // 2
        if depth <= 2:
            rows.append((int(cumulative_us), int(self_us), name.rstrip()))
    rows.sort(reverse=True)
    return rows[:top]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--runs', type=int, default=15)
    parser.add_argument('--top', type=int, default=25)
    args = parser.parse_args()
    print(f'{sys.executable}, PYTHONDONTWRITEBYTECODE={os.environ.get("PYTHONDONTWRITEBYTECODE", "")!r}, '
          f'median of {args.runs} fresh interpreters\n')
    print('| import chain | median ms | min-max ms |\n| --- | ---: | ---: |')
    for label, code in CHAINS:
        median, low, high = wall(code, args.runs)
        print(f'| {label} | {median * 1000:.0f} | {low * 1000:.0f}-{high * 1000:.0f} |')
    print(f'\npython -X importtime -c "import {MODULE}, requests" (depth <= 2, costliest first):\n')
    print('| cumulative ms | self ms | import |\n| ---: | ---: | --- |')
    for cumulative, self_us, name in importtime(f'import {MODULE}, requests', args.top):
        print(f'| {cumulative / 1000:.1f} | {self_us / 1000:.1f} | `{name}` |')


if __name__ == '__main__':
    main()
