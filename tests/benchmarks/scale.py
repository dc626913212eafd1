"""Benchmark of scale (issue 27): adaptive writes, large clusters at listing cost, the token audit.

Each scenario runs once per variant (a measurement of minutes each on a shared machine), beside the best
hand-written playbook for it, against its own emulator state (reset before every run):

- create_100_write_2s: 100 new environments at read 30 ms, write 2 s: the role with its defaults, the role with
  `environments_parallel: 10`, and `create_uri_async.yml` (one listing, every POST started at once with async).
- create_100_capacity_5: the same under an emulator that carries at most 5 writes at once (429 with Retry-After
  beyond): the role with its defaults; the target is no failure and at most 1.3 times what 5 at once allow
  (100 / 5 x 2 s = 40 s).
- steady_10_of_2500: 10 declared environments of 2,500, quotas compared, nothing to change: the role, under both
  readings of the listing cursor, and `steady_uri.yml` (a filtered GET with quotas per declared name).
- inventory_10000_quotas: the inventory plugin with include_quotas on 10,000 environments, under both readings.
- audit_500: dynatrace_api_token_audit over 500 environments (3 tokens each) at read and write 30 ms, and
  `audit_uri.yml` on 50 of them (its time for 500 is that times 10).

    .venv/bin/python tests/benchmarks/scale.py [--scenario NAME ...] [--json PATH]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import VENV_BIN, Bench, RunFailed, ansible_env, run_process_group  # noqa: E402  pylint: disable=wrong-import-position
from tests.emulator.handle import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

SCENARIOS = ('create_100_write_2s', 'create_100_capacity_5', 'steady_10_of_2500', 'inventory_10000_quotas', 'audit_500')
CREATE_LATENCY = 'read=30ms,write=2s'
CAPACITY = 5
DAY_MS = 24 * 3600 * 1000


class Scale:
    def __init__(self, emulator, workdir):
        self.emulator = emulator
        self.workdir = Path(workdir)
        self.bench = Bench(emulator, workdir, 1)
        self.rows = []

    def row(self, scenario, variant, seconds, log, **extra):
        entry = dict(scenario=scenario, variant=variant, seconds=round(seconds, 1), requests=len(log),
                     writes=sum(1 for e in log if e['method'] != 'GET'),
                     refused_429=sum(1 for e in log if e['status'] == 429), **extra)
        self.rows.append(entry)
        print(entry, flush=True)
        return entry

    def fresh(self, **config):
        self.emulator.reset()
        if config:
            self.emulator.configure(**config)

    def created(self, count):
        names = [env['name'] for env in self.emulator.environments() if env['name'].startswith('scale-')]
        if len(names) != count:
            raise RunFailed('%d environments were created, not %d' % (len(names), count))

    # --- scenarios -----------------------------------------------------------------------------
    def create_100_write_2s(self):
        declared = [{'name': 'scale-%03d' % number} for number in range(100)]
        plain = dict(environments_list=declared, environments_token_dir=str(self.workdir / 'tokens'))
        for variant, playbook, variables in (('role defaults', 'scale_role.yml', plain),
                                             ('role parallel 10', 'scale_role.yml', dict(plain, environments_parallel=10)),
                                             ('uri async', 'create_uri_async.yml', plain)):
            self.fresh(latency=CREATE_LATENCY)
            seconds, log = self.bench.playbook(playbook, variables)
            self.created(100)
            self.row('create_100_write_2s', variant, seconds, log)

    def create_100_capacity_5(self):
        declared = [{'name': 'scale-%03d' % number} for number in range(100)]
        self.fresh(latency=CREATE_LATENCY, write_capacity=CAPACITY)
        seconds, log = self.bench.playbook('scale_role.yml', dict(environments_list=declared,
                                                                  environments_token_dir=str(self.workdir / 'cap')))
        self.created(100)
        allowed = 100 / CAPACITY * 2.0
        self.row('create_100_capacity_5', 'role defaults', seconds, log, ratio_to_capacity=round(seconds / allowed, 2))

    def steady_10_of_2500(self):
        for keeps in (False, True):
            self.fresh(latency='read=30ms', cursor_keeps_includes=keeps)
            declared = self.declared_of(2500, 10)
            seconds, log = self.bench.playbook('scale_role.yml', dict(environments_list=declared))
            if any(entry['method'] != 'GET' for entry in log):
                raise RunFailed('the steady state wrote')
            self.row('steady_10_of_2500', 'role, cursor %s the flags' % ('keeps' if keeps else 'drops'), seconds, log)
        seconds, log = self.bench.playbook('steady_uri.yml', dict(environments_list=declared))
        self.row('steady_10_of_2500', 'uri (filtered GET per name)', seconds, log)

    def declared_of(self, total, count):
        self.emulator.seed(total, name_prefix='big')
        candidates = [env for env in self.emulator.environments()
                      if env['state'] == 'ENABLED' and env['quotas']['hostUnits']['maxLimit'] is not None]
        step = len(candidates) // count
        return [{'name': env['name'], 'quotas': {'host_units': {'max_limit': env['quotas']['hostUnits']['maxLimit']}}}
                for env in candidates[::step][:count]]

    def inventory_10000_quotas(self):
        config = self.workdir / 'big.dynatrace.yml'
        config.write_text('plugin: clusterops.dynatrace.environments\ninclude_quotas: true\nhostname_source: id\n')
        env = dict(ansible_env(), DYNATRACE_URL=self.emulator.url, DYNATRACE_API_TOKEN=self.emulator.token)
        for keeps in (True, False):
            self.fresh(latency='read=30ms', cursor_keeps_includes=keeps)
            self.emulator.seed(10000, name_prefix='big')
            self.emulator.clear_requests()
            started = time.perf_counter()
            code, stdout, stderr = run_process_group([str(VENV_BIN / 'ansible-inventory'), '-i', str(config), '--list'],
                                                     cwd=self.workdir, env=env)
            seconds = time.perf_counter() - started
            if code != 0:
                raise RunFailed('ansible-inventory exited with %d: %s' % (code, stderr[-2000:]))
            hosts = json.loads(stdout)['_meta']['hostvars']
            if len(hosts) < 10000 or not all('dynatrace_quotas' in v for v in hosts.values()):
                raise RunFailed('the inventory lacks hosts or quotas')
            self.row('inventory_10000_quotas', 'plugin, cursor %s the flags' % ('keeps' if keeps else 'drops'), seconds,
                     self.emulator.requests())

    def audit_500(self):
        self.fresh(latency='read=30ms,write=30ms', cluster_tokens_see_environment_tokens=True)
        ids = self.emulator.seed(500, name_prefix='audit')
        for index, env_id in enumerate(ids):
            self.emulator.create_token(['metrics.ingest'], environment=env_id, name='ingest')
            self.emulator.create_token(['metrics.read'], environment=env_id, name='reader', expires_in_ms=(index % 60) * DAY_MS,
                                       age_ms=40 * DAY_MS, last_used_ago_ms=(index % 45) * DAY_MS)
            self.emulator.create_token(['apiTokens.read', 'apiTokens.write'], environment=env_id, name='manager',
                                       expires_in_ms=DAY_MS, age_ms=2 * 3600 * 1000)
        seconds, log = self.bench.playbook('audit.yml', dict(bench_report_file=str(self.workdir / 'audit.csv'),
                                                             bench_expected_count=500))
        self.row('audit_500', 'dynatrace_api_token_audit', seconds, log,
                 requests_per_environment=round((len(log) - 1) / 500, 2))
        seconds, log = self.bench.playbook('audit_uri.yml', dict(bench_limit=50))
        self.row('audit_500', 'uri, 50 environments (x10 for 500)', seconds, log, estimated_500_s=round(seconds * 10, 1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scenario', action='append', choices=SCENARIOS)
    parser.add_argument('--json')
    args = parser.parse_args(argv)
    emulator = start_emulator()
    try:
        with tempfile.TemporaryDirectory(prefix='clusterops-scale-') as workdir:
            scale = Scale(emulator, workdir)
            for scenario in args.scenario or SCENARIOS:
                getattr(scale, scenario)()
    finally:
        emulator.stop()
    if args.json:
        previous = json.loads(Path(args.json).read_text()) if os.path.exists(args.json) else []
        kept = [row for row in previous if row['scenario'] not in set(r['scenario'] for r in scale.rows)]
        Path(args.json).write_text(json.dumps(kept + scale.rows, indent=1) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
