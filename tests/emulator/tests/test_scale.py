"""Scale check (not a timed assertion): 10,000 environments, a filtered page and a full walk at pageSize 1000."""

import time

from tests.emulator.tests.helpers import ENVIRONMENTS


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def test_ten_thousand_environments(api):
    ids, seed_seconds = timed(lambda: api.handle.seed(10_000))
    assert len(ids) == 10_000

    response, filtered_seconds = timed(lambda: api.get(ENVIRONMENTS, params={
        'filter': 'name(payments),tag(stage:prod),state(ENABLED)', 'sort': '-name', 'pageSize': 100}))
    assert response.status_code == 200 and 0 < response.json()['totalCount'] < 10_000

    def walk():
        pages, key, seen = 0, None, 0
        while True:
            params = {'nextPageKey': key} if key else {'pageSize': 1000, 'includeConsumptionInfo': 'true', 'includeStorageInfo': 'true'}
            body = api.get(ENVIRONMENTS, params=params).json()
            pages, seen, key = pages + 1, seen + len(body['environments']), body['nextPageKey']
            if key is None:
                return pages, seen
    (pages, seen), walk_seconds = timed(walk)
    assert (pages, seen) == (10, 10_000)
    print(f'\nscale: seed 10,000 {seed_seconds:.2f} s; filtered page {filtered_seconds * 1000:.0f} ms; '
          f'10-page walk at pageSize 1000 with quotas and storage {walk_seconds:.2f} s')
