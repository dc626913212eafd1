# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the jobs of a list with bounded, adaptive parallelism; one job failing never stops or hides the others.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Plain Python (no client, no request): the caller's jobs send the requests. Each job is a function
of no arguments; its outcome is kept in the order the jobs were given, whatever order they end in.

Adaptive: given a `congestion` counter (how many times the server has said "too many" so far: the
transport's rate gate counts its 429 and 503 holds), the number of jobs running at once starts at
`parallel`, drops to what the server carried when it pushes back, and grows again by one for every
round of jobs that ends without a push-back, never above `parallel`.
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

# Terraform applies 10 resources at a time by default; the bulk path starts there and backs off on 429/503.
DEFAULT_PARALLEL = 10
# requests keeps 10 connections per host in its pool: more workers would open and drop connections.
MAX_PARALLEL = 10


class Outcome:
    """What one job gave: its value, or the exception it raised."""

    def __init__(self, value=None, error=None):
        self.value = value
        self.error = error

    @property
    def failed(self):
        return self.error is not None


def parallel_errors(parallel, option='parallel'):
    if isinstance(parallel, bool) or not isinstance(parallel, int) or not 1 <= parallel <= MAX_PARALLEL:
        return ['%s must be a whole number from 1 (one request at a time) to %d, got %r'
                % (option, MAX_PARALLEL, parallel)]
    return []


class AdaptiveLimit:
    """How many jobs may run at once: additive increase, decrease to what the server carried (pure, no clock).

    `observe(pushbacks, running, finished)` is told, after `finished` jobs ended, how many push-backs (429/503) the
    server sent since the last observation while `running` jobs were under way. A push-back sets the limit to the
    jobs the server did carry (running minus pushed back; at least one less than before, never below 1). The next
    `limit` jobs to end are a grace: push-backs then are the retries of the requests already refused, the same
    congestion, and lower nothing again. Then, after COOLDOWN_ROUNDS rounds without a push-back, and after every
    round of `limit` jobs without one, the limit grows by one, up to `ceiling`.
    """

    COOLDOWN_ROUNDS = 2

    def __init__(self, ceiling, start=None):
        self.ceiling = max(1, ceiling)
        self.limit = min(self.ceiling, start or self.ceiling)
        self.lowest = self.limit
        self.backoffs = 0
        self._clean = 0
        self._grace = 0

    def observe(self, pushbacks, running, finished=1):
        in_grace = self._grace > 0
        self._grace -= finished
        if pushbacks > 0 and not in_grace:
            self.limit = max(1, min(self.limit - 1, running - pushbacks))
            self.lowest = min(self.lowest, self.limit)
            self.backoffs += 1
            self._grace = self.limit
            self._clean = -self.COOLDOWN_ROUNDS * self.limit
            return
        if pushbacks > 0:
            return
        self._clean += finished
        if self._clean >= self.limit and self.limit < self.ceiling:
            self.limit += 1
            self._clean = 0


def _run_one(job):
    try:
        return Outcome(value=job())
    except Exception as exc:  # pylint: disable=broad-except  # one item's failure is reported, never fatal
        return Outcome(error=exc)


def run_jobs(jobs, parallel=DEFAULT_PARALLEL, congestion=None, limit=None):
    """Run `jobs` (functions without arguments), at most `parallel` at a time; return their Outcomes in order.

    parallel 1 runs them one after the other in this thread. With `congestion` (a function returning the count of
    push-backs so far) the number at once adapts (AdaptiveLimit, or the one given as `limit`, which the caller may
    read afterwards).
    """
    jobs = list(jobs)
    if parallel <= 1 or len(jobs) <= 1:
        return [_run_one(job) for job in jobs]
    if congestion is None:
        with ThreadPoolExecutor(max_workers=min(parallel, len(jobs))) as pool:
            return list(pool.map(_run_one, jobs))
    return _run_adaptive(jobs, limit or AdaptiveLimit(parallel), congestion)


def _run_adaptive(jobs, limit, congestion):
    outcomes = [None] * len(jobs)
    running = {}
    upcoming = iter(enumerate(jobs))
    seen = congestion()
    with ThreadPoolExecutor(max_workers=min(limit.ceiling, len(jobs))) as pool:
        exhausted = False
        while running or not exhausted:
            while not exhausted and len(running) < limit.limit:
                index, job = next(upcoming, (None, None))
                if job is None:
                    exhausted = True
                    break
                running[pool.submit(_run_one, job)] = index
            if not running:
                break
            done, dummy = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                outcomes[running.pop(future)] = future.result()
            now = congestion()
            # The push-backs since the last look happened while these and the finished ones were running.
            limit.observe(now - seen, len(running) + len(done), len(done))
            seen = now
    return outcomes
