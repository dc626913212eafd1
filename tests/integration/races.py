"""Another job acting on the emulator while a module's request is on its way (a delay fault holds that request)."""

import threading
import time

import requests

ENVIRONMENTS = '/api/cluster/v2/environments'


def delete_while_put_waits(emulator, environment_id, name, seconds=4):
    """When the next PUT of `environment_id` arrives, hold it `seconds` and meanwhile delete the environment.

    The deletion is another job's: a PUT that disables it, then the DELETE, with the cluster token. Returns the
    thread; join it after the module ran.
    """
    path = '%s/%s' % (ENVIRONMENTS, environment_id)
    emulator.add_fault(method='PUT', path=path, action='delay', seconds=seconds)

    def other_job():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(entry['method'] == 'PUT' and entry['path'] == path for entry in emulator.requests()):
                break
            time.sleep(0.05)
        headers = {'Authorization': 'Api-Token %s' % emulator.token}
        requests.put(emulator.url + path, json={'name': name, 'state': 'DISABLED'}, headers=headers,
                     verify=emulator.ca_path or True, timeout=30).raise_for_status()
        requests.delete(emulator.url + path, headers=headers, verify=emulator.ca_path or True,
                        timeout=30).raise_for_status()

    thread = threading.Thread(target=other_job, daemon=True)
    thread.start()
    return thread
