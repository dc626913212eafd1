"""What a person sees when users get their first password: dynatrace_user (one user and a list, check mode, --diff,
a failure, a server that echoes the request) and the environments role's users through ansible-playbook with the DEFAULT stdout callback at verbosity 0,
-v, --diff and -vvv. No piece of any password may be in the output; the emulator got each of them once.

The passwords come from the environment (as from a vault: ansible-core 2.19 prints the playbook lines around a failed
task, so a password written into the playbook itself would be shown by Ansible, whatever the module does).
"""

import hashlib

import pytest

from tests.integration.runner import run_plays
from tests.integration.secret_scan import PASSWORD_PREFIX, find_leaks, make_password

USERS = '/api/v1.0/onpremise/users'
MODULE = 'clusterops.dynatrace.dynatrace_user'
VERBOSITIES = [(0, False), (1, False), (0, True), (3, True)]


def secret(index):
    return "{{ lookup('ansible.builtin.env', 'CLUSTEROPS_TEST_PASSWORD_%d') }}" % index


def person(user_id, password, **extra):
    return dict(dict(id=user_id, email=user_id + '@example.com', first_name='Pat', last_name=user_id.title(),
                     password=password), **extra)


def echo_fault(password_holder):
    """The next POST /users fails with a body that quotes what the client sent (a server echoing the request)."""
    return {'name': 'queue an echoing failure', 'no_log': True,
            'ansible.builtin.uri': {'url': '{{ emulator_url }}/_emulator/faults', 'method': 'POST', 'body_format': 'json',
                                    'status_code': 201,
                                    'body': dict(method='POST', path=USERS, action='status', status=400,
                                                 content_type='text/plain',
                                                 body='Bad request: {"passwordClearText": "%s"}' % password_holder)}}


def play(emulator):
    tasks = [
        {'name': 'one user', MODULE: person('solo', secret(0))},
        {'name': 'one user again', MODULE: person('solo', secret(1))},
        {'name': 'a list in check mode', MODULE: {'users': [person('team1', secret(2))]}, 'check_mode': True},
        {'name': 'a list', MODULE: {'users': [person('team1', secret(2)), person('team2', secret(3))]}},
        {'name': 'an unknown group', MODULE: person('nogroup', secret(4), groups=['nobody']), 'ignore_errors': True},
        echo_fault(secret(5)),
        {'name': 'an echoing server', MODULE: person('echoed', secret(5)), 'ignore_errors': True},
    ]
    defaults = {'group/clusterops.dynatrace.dynatrace': {'url': emulator.url, 'api_token': emulator.token}}
    role_vars = {'environments_manage_users': True, 'environments_users': [person('viarole', secret(6))]}
    return [dict(hosts='localhost', gather_facts=False, tasks=tasks, vars={'emulator_url': emulator.url},
                 module_defaults=defaults),
            dict(hosts='localhost', gather_facts=False, module_defaults=defaults,
                 roles=[{'role': 'clusterops.dynatrace.environments', 'vars': role_vars}])]


@pytest.mark.parametrize('verbosity,diff', VERBOSITIES, ids=['v%d%s' % (v, '-diff' if d else '') for v, d in VERBOSITIES])
def test_no_display_shows_a_password(emulator, verbosity, diff):
    passwords = [make_password() for dummy in range(7)]
    environment = dict(('CLUSTEROPS_TEST_PASSWORD_%d' % index, password) for index, password in enumerate(passwords))
    run = run_plays(play(emulator), verbosity=verbosity, diff=diff, stdout_callback='default', extra_env=environment)
    output = run.stdout + run.stderr
    assert run.rc == 0 and 'PLAY RECAP' in output, output[-4000:]
    assert "group 'nobody' does not exist" in output and 'HTTP 400' in output, output[-4000:]

    # The passwords reached the cluster: each created user holds the first one, never the later one.
    digests = dict((user['id'], user['passwordSha256']) for user in emulator.users())
    assert digests == {'solo': hashlib.sha256(passwords[0].encode()).hexdigest(),
                       'team1': hashlib.sha256(passwords[2].encode()).hexdigest(),
                       'team2': hashlib.sha256(passwords[3].encode()).hexdigest(),
                       'viarole': hashlib.sha256(passwords[6].encode()).hexdigest()}

    # No piece of any of them (6 characters of the random part in a row) is shown.
    tails = [password[len(PASSWORD_PREFIX):] for password in passwords]
    assert find_leaks(output, api_tokens=[emulator.token], secrets=tails, allow_results=False, fragment=6) == []
    # The scan would have found one: the prefix alone, and a piece of a random part.
    for planted in (passwords[3], 'x' + tails[5][4:11]):
        found = find_leaks(output + '\n' + planted, api_tokens=[emulator.token], secrets=tails, allow_results=False,
                           fragment=6)
        assert found and found[0][0] == output.count('\n') + 2, (planted, found)
    if diff:
        assert '"team2@example.com"' in output  # the diff shows the user, not the password


def test_the_suite_scan_finds_a_password_anywhere_even_in_a_result():
    """The -vvv scan of the whole suite (tests/tools/verbose-secrets.sh) knows no password value: it finds the prefix
    every test password has, in any line, a task result included (a password has no allowed place)."""
    password = make_password()
    assert password.startswith(PASSWORD_PREFIX) and password != make_password()
    lines = ['TASK_RESULT {"result": {"changed": true, "user": {"id": "ann"}, "password": "%s"}}' % password,
             'ok: [localhost] => {"msg": "first password %s"}' % password.upper(),
             '"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"']
    found = find_leaks('\n'.join(lines))
    assert [(number, what) for number, what, dummy in found] == [(1, 'password'), (2, 'password')], found
