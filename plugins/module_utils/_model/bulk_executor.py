# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run the jobs of a list with bounded parallelism; one job failing never stops or hides the others.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Plain Python (no client, no request): the caller's jobs send the requests. Each job is a function
of no arguments; its outcome is kept in the order the jobs were given, whatever order they end in.
"""

from concurrent.futures import ThreadPoolExecutor

DEFAULT_PARALLEL = 4
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


def _run_one(job):
    try:
        return Outcome(value=job())
    except Exception as exc:  # pylint: disable=broad-except  # one item's failure is reported, never fatal
        return Outcome(error=exc)


def run_jobs(jobs, parallel=DEFAULT_PARALLEL):
    """Run `jobs` (functions without arguments), at most `parallel` at a time; return their Outcomes in order.

    parallel 1 runs them one after the other in this thread.
    """
    jobs = list(jobs)
    if parallel <= 1 or len(jobs) <= 1:
        return [_run_one(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(parallel, len(jobs))) as pool:
        return list(pool.map(_run_one, jobs))
