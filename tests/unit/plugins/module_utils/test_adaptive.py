"""Unit tests of the adaptive concurrency of the bulk executor: the pure controller and the scheduler around it.

Over real HTTP against an emulator with a write capacity: tests/integration/test_adaptive_writes.py.
"""

import threading
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import (
    DEFAULT_PARALLEL, AdaptiveLimit, run_jobs,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.retry import RateGate


def test_the_default_starts_at_terraforms_ten():
    assert DEFAULT_PARALLEL == 10
    assert AdaptiveLimit(DEFAULT_PARALLEL).limit == 10


def test_a_pushback_drops_to_what_the_server_carried():
    limit = AdaptiveLimit(10)
    limit.observe(pushbacks=5, running=10, finished=2)
    assert (limit.limit, limit.lowest, limit.backoffs) == (5, 5, 1)


def test_a_pushback_always_lowers_by_one_at_least_and_never_below_one():
    limit = AdaptiveLimit(10)
    limit.observe(pushbacks=1, running=10)
    assert limit.limit == 9
    limit.observe(pushbacks=0, running=9, finished=9)  # the grace
    limit.observe(pushbacks=30, running=9)  # one request pushed back many times
    assert limit.limit == 1
    limit.observe(pushbacks=0, running=1)
    limit.observe(pushbacks=1, running=1)
    assert limit.limit == 1


def test_pushbacks_within_the_grace_after_a_backoff_lower_nothing_again():
    limit = AdaptiveLimit(10)
    limit.observe(pushbacks=5, running=10, finished=5)
    assert limit.limit == 5
    limit.observe(pushbacks=2, running=5, finished=5)  # the refused requests' retries, still the same congestion
    assert (limit.limit, limit.backoffs) == (5, 1)
    limit.observe(pushbacks=1, running=5, finished=1)  # the grace has ended: a new congestion
    assert (limit.limit, limit.backoffs) == (4, 2)


def test_it_grows_by_one_per_clean_round_up_to_the_ceiling_only():
    limit = AdaptiveLimit(6, start=4)
    for dummy in range(3):
        limit.observe(0, running=4)
    assert limit.limit == 4  # three of a round of four
    limit.observe(0, running=4)
    assert limit.limit == 5
    limit.observe(0, running=5, finished=5)
    assert limit.limit == 6
    limit.observe(0, running=6, finished=60)
    assert limit.limit == 6  # parallel stays the upper bound


def test_after_a_backoff_it_waits_the_cooldown_rounds_before_it_grows():
    limit = AdaptiveLimit(10)
    limit.observe(pushbacks=1, running=4)
    assert limit.limit == 3
    for dummy in range(AdaptiveLimit.COOLDOWN_ROUNDS):
        limit.observe(0, running=3, finished=3)
        assert limit.limit == 3
    limit.observe(0, running=3, finished=2)
    assert limit.limit == 3
    limit.observe(0, running=3, finished=1)
    assert limit.limit == 4


class Server:
    """A server that carries `capacity` jobs at once and pushes back (a RateGate hold) on one more."""

    def __init__(self, capacity):
        self.capacity, self.gate, self.lock = capacity, RateGate(), threading.Lock()
        self.running, self.peak_accepted, self.concurrent = 0, 0, []

    def job(self):
        while True:
            with self.lock:
                self.concurrent.append(self.running + 1)
                if self.running < self.capacity:
                    self.running += 1
                    self.peak_accepted = max(self.peak_accepted, self.running)
                    break
            self.gate.hold(0.01)  # what the transport does on a 429 before it retries
            time.sleep(0.01)
        time.sleep(0.02)
        with self.lock:
            self.running -= 1
        return 'done'


def test_the_scheduler_backs_off_to_the_capacity_and_every_job_ends():
    server = Server(capacity=3)
    limit = AdaptiveLimit(10)
    outcomes = run_jobs([server.job] * 40, parallel=10, congestion=lambda: server.gate.pushbacks, limit=limit)
    assert [outcome.value for outcome in outcomes] == ['done'] * 40
    assert limit.backoffs >= 1 and limit.lowest <= 4
    late = server.concurrent[len(server.concurrent) // 2:]
    assert max(late) <= 5  # after the back-off it stays about the capacity, not at 10


def test_without_pushbacks_the_scheduler_keeps_the_full_parallelism():
    lock, state = threading.Lock(), dict(now=0, peak=0)

    def job():
        with lock:
            state['now'] += 1
            state['peak'] = max(state['peak'], state['now'])
        time.sleep(0.02)
        with lock:
            state['now'] -= 1
    limit = AdaptiveLimit(10)
    run_jobs([job] * 30, parallel=10, congestion=lambda: 0, limit=limit)
    assert state['peak'] == 10 and limit.backoffs == 0 and limit.limit == 10


def test_the_rate_gate_counts_its_holds():
    gate = RateGate()
    gate.hold(0.0)
    gate.hold(0.0)
    assert gate.pushbacks == 2
