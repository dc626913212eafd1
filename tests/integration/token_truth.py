"""What the emulator says of a secret a test holds: the id of the live token whose value it is (or None).

Through the API itself (POST /e/{id}/api/v2/apiTokens/lookup, with a reader token named `test reader`), never by
reading a secret out of the emulator: its control API gives metadata only.
"""

import requests

READER_NAME = 'test reader'


def token_id_of(emulator, environment_id, secret, readers={}):  # pylint: disable=dangerous-default-value
    """The id of the live token of `environment_id` whose value is `secret`, None when none is."""
    key = (emulator.url, environment_id)
    for dummy in range(2):
        if key not in readers:
            readers[key] = emulator.environment_token(environment_id, scopes=['apiTokens.read'], name=READER_NAME)
        answer = requests.post('%s/e/%s/api/v2/apiTokens/lookup' % (emulator.url, environment_id), json={'token': secret},
                               headers={'Authorization': 'Api-Token %s' % readers[key]}, timeout=10)
        if answer.status_code != 401:
            break
        del readers[key]  # the emulator was reset since: a new reader
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()['id']
