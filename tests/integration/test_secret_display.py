"""What a person sees: every module and the environments role through ansible-playbook with the DEFAULT stdout
callback, at verbosity 0, -v, -vvv and with --diff. The whole output (stdout and stderr) must hold no part of any
secret: the configured API token, a refused one, the tokens the run created, and tokens planted in broken answers.

Both halves of the guarantee are checked in the same run: each created token is in the registered result (a later
task asserts its shape and writes it to a file, which is where this test reads it from), and no display shows it.
Module defaults come only from `module_defaults` of the action group (no DYNATRACE_* variables), so the action
plugin in front of dynatrace_environment is also shown to pass them on, with check mode and --diff.

To cover a new module: add its tasks to MODULE_TASKS (with `ignore_errors` when they may fail) and its secrets to
what `created_tokens` reads; every case is run at every verbosity of VERBOSITIES.
"""

import json
import re

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_identity import creation_id
from tests.integration.runner import run_plays
from tests.integration.secret_scan import find_leaks

# These tests choose their verbosities; the whole-suite -vvv pass (tests/tools/verbose-secrets.sh) would raise each.

ENVIRONMENTS = '/api/cluster/v2/environments'
MODULE = 'clusterops.dynatrace.dynatrace_environment'
TOKEN_SHAPE = re.compile(r'^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$')
# Planted secrets: a token the cluster refuses, and tokens that broken answers quote.
REFUSED_TOKEN = 'dt0c01.REFUSEDREFUSEDREFUSED0000.' + 'R3FU5ED0' * 8
BROKEN_BODY_TOKEN = 'dt0c01.BROKENBODYBROKENBODY0000.' + 'B40K3NB0' * 8
ROLE_FAILURE_TOKEN = 'dt0c01.ROLEFAILUREROLEFAILURE00.' + 'F41LUR3X' * 8
CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
# (verbosity, --diff)
# -vvv shows every result and invocation that -v and --diff show, so -vvv runs with --diff.
VERBOSITIES = [(0, False), (1, False), (0, True), (3, True)]


def queue_fault(label, name, **fault):
    """Queue a fault on the create of `name` (its PUT) when the task runs; no_log: its body quotes a planted secret."""
    path = ENVIRONMENTS + '/' + creation_id(name)
    return {'name': 'queue a fault for ' + label, 'no_log': True,
            'ansible.builtin.uri': {'url': '{{ emulator_url }}/_emulator/faults', 'method': 'POST',
                                    'body_format': 'json', 'body': dict(fault, method='PUT', path=path),
                                    'status_code': 201}}


def environment(label, ignore_errors=False, **args):
    task = {'name': label, MODULE: args}
    if ignore_errors:
        task['ignore_errors'] = True
    return task


MODULE_TASKS = [
    dict(environment('create with a token', name='shown-token', tags=['team:a']), register='created'),
    {'name': 'the registered result holds the token',
     'ansible.builtin.assert': {'that': ['created.token_management_token is match("^dt0c01\\\\.[A-Z0-9]{24}\\\\.[A-Z0-9]{64}$")',
                                         'created.environment_id | length > 0'], 'quiet': True}},
    {'name': 'a later task stores the token', 'no_log': True,
     'ansible.builtin.copy': {'content': '{{ created.token_management_token }}', 'dest': '{{ out_dir }}/created.token',
                              'mode': '0600'}},
    environment('create without a token', name='shown-plain', tags=['a'], create_token=False),
    environment('update with a diff', name='shown-token', tags=['team:b'], update_existing=True),
    dict(environment('create in check mode', name='shown-check'), check_mode=True),
    dict(environment('no_log of the user', name='shown-nolog', create_token=False), no_log=True),
    queue_fault('a broken create answer', 'shown-broken', action='status', status=201, content_type='application/json',
                body='{"id": "shown-broken", "tokenManagementToken": "%s' % BROKEN_BODY_TOKEN),
    environment('a create answer with a broken body', ignore_errors=True, name='shown-broken'),
    queue_fault('an error page', 'shown-echo', action='status', status=500, content_type='text/plain',
                body='Internal error; request had Authorization: Api-Token {{ api_token }}'),
    environment('an error page that echoes the API token', ignore_errors=True, name='shown-echo'),
    # The module cuts a body that is no API answer to 160 characters: here the cut falls inside the token's secret.
    queue_fault('an error page cut inside the token', 'shown-cut', action='status', status=500, content_type='text/plain',
                body='Internal error; please contact your administrator and quote this header: Authorization: '
                     'Api-Token {{ api_token }}'),
    environment('an error page cut inside the API token', ignore_errors=True, name='shown-cut'),
    # From a variable: ansible-core 2.19 prints the playbook lines around a failing task, and a token written into the
    # playbook itself would show there (the task after this one quoted it once the malformed cases followed).
    environment('a refused token', ignore_errors=True, name='shown-refused', api_token='{{ refused_token }}'),
    # The configured token, malformed as pastes break it: refused before any request, showing no piece of it.
    environment('a token with a line break', ignore_errors=True, name='shown-wrapped', api_token='{{ wrapped_token }}'),
    environment('a token with a space', ignore_errors=True, name='shown-spaced', api_token='{{ spaced_token }}'),
    {'name': 'info with a token in pieces', 'ignore_errors': True,
     'clusterops.dynatrace.dynatrace_environment_info': {'api_token': '{{ pieces_token }}'}},
    environment('delete', name='shown-plain', state='absent'),
    environment('the environment of the drift case', name='shown-drift', tags=['a'], create_token=False),
    {'name': 'environment info', 'clusterops.dynatrace.dynatrace_environment_info': {}},
    {'name': 'cluster info', 'clusterops.dynatrace.dynatrace_cluster_info': {}},
]

ROLE_LIST = [
    {'name': 'shown-role-fail'},  # first: the queued fault hits its create
    # A creation with a token and an API token inside it: the role's token files and its OneAgent hand-off.
    {'name': 'shown-role-token', 'api_tokens': [{'name': 'paas', 'scopes': ['InstallerDownload']}]},
    {'name': 'shown-role-plain', 'create_token': False},
    {'name': 'shown-drift', 'tags': ['b']},  # exists with tags [a]: drift, left as it is
]


def plays(emulator, out_dir):
    connection = {'url': '{{ emulator_url }}', 'api_token': '{{ api_token }}'}
    play_vars = dict(malformed_tokens(emulator.token), emulator_url=emulator.url, api_token=emulator.token,
                     out_dir=str(out_dir), refused_token=REFUSED_TOKEN)
    common = dict(hosts='localhost', gather_facts=False, vars=play_vars,
                  module_defaults={'group/clusterops.dynatrace.dynatrace': connection})
    role_vars = {'environments_list': ROLE_LIST, 'environments_token_dir': str(out_dir / 'role-tokens')}
    return [
        dict(common, name='every module', tasks=MODULE_TASKS),
        dict(common, name='the environments role',
             pre_tasks=[queue_fault('a failing creation', 'shown-role-fail', action='status', status=500, content_type='text/plain',
                                    body='upstream answered {"tokenManagementToken": "%s"}' % ROLE_FAILURE_TOKEN)],
             roles=[{'role': 'clusterops.dynatrace.environments', 'vars': role_vars}]),
    ]


def malformed_tokens(token):
    """The API token as a wrapped paste (a line break inside its secret), with a space, and cut in pieces by breaks."""
    return dict(wrapped_token=token[:60] + '\n' + token[60:], spaced_token=token[:75] + ' ' + token[75:],
                pieces_token='\r\n'.join(token[start:start + 14] for start in range(0, len(token), 14)))


def created_tokens(out_dir):
    """The tokens the run created, as its later tasks stored them from the registered results."""
    files = [out_dir / 'created.token'] + sorted((out_dir / 'role-tokens').glob('*.token'))
    return dict((path.name, path.read_text()) for path in files if path.exists())


def secret_part(token):
    return token.rsplit('.', 1)[-1]


@pytest.mark.parametrize('verbosity,diff', VERBOSITIES, ids=['v%d%s' % (v, '-diff' if d else '') for v, d in VERBOSITIES])
def test_no_display_shows_a_secret(emulator, tmp_path, verbosity, diff):
    run = run_plays(plays(emulator, tmp_path), verbosity=verbosity, diff=diff, stdout_callback='default')
    output = run.stdout + run.stderr

    # The run did what the cases need: the role failed on its one failing item, and only there.
    assert run.rc == 2, output[-4000:]
    assert 'PLAY RECAP' in output and 'Fail when an environment could not be provisioned' in output, output[-4000:]
    names = sorted(environment['name'] for environment in emulator.environments())
    assert names == ['shown-drift', 'shown-nolog', 'shown-role-plain', 'shown-role-token', 'shown-token'], names

    # The malformed tokens were refused before any request: their environments were never asked for.
    refused = [creation_id(name) for name in ('shown-wrapped', 'shown-spaced')]
    assert not [entry for entry in emulator.requests() if any(env_id in entry['path'] for env_id in refused)]

    # Half one: the registered results held the tokens, and later tasks could use them.
    tokens = created_tokens(tmp_path)
    assert len(tokens) == 3 and len([name for name in tokens if name.endswith('.paas.token')]) == 1, tokens
    assert all(TOKEN_SHAPE.match(token) for token in tokens.values()), list(tokens)

    # Half two: no part of any secret in the output, in no place (no result is an allowed place here).
    secrets = list(tokens.values()) + [BROKEN_BODY_TOKEN, ROLE_FAILURE_TOKEN]
    api_tokens = [emulator.token, REFUSED_TOKEN]
    leaks = find_leaks(output, api_tokens=api_tokens, secrets=secrets, allow_results=False, fragment=12)
    assert leaks == [], leaks

    # The scan looked for the right things: any 12 characters of any of those secrets would have been found.
    for token in secrets + api_tokens:
        planted = output + '\nplanted ...%s...' % secret_part(token)[20:32]
        found = find_leaks(planted, api_tokens=api_tokens, secrets=secrets, allow_results=False, fragment=12)
        assert [number for number, dummy, dummy2 in found] == [planted.count('\n') + 1], (token, found)

    # What stays visible: the results with a token are censored (in the role's loop too), the others show,
    # failures with their messages and the public part of any token they quote.
    check_visible(output, verbosity, diff)


def section(output, task):
    """The output of the task named `task` (up to the next task or play)."""
    assert output.count('TASK [%s]' % task) == 1, task
    text = output.split('TASK [%s]' % task, 1)[1]
    return re.split(r'\n(?:TASK|PLAY) \[', text, maxsplit=1)[0]


def check_visible(output, verbosity, diff):
    # The role's one task for the whole list holds a new token: displayed censored, its --diff too.
    role_task = section(output, 'clusterops.dynatrace.environments : Create, update or delete the environments, '
                                'their API tokens and permissions')
    assert 'censored' in role_task and 'shown-role-plain' not in role_task, role_task
    assert '"shown-role-token":' in section(output, 'clusterops.dynatrace.environments : Report the environments '
                                                    'created in this run (name and id)')
    assert 'differ from environments_list' in output
    failure = section(output, 'clusterops.dynatrace.environments : Fail when an environment could not be provisioned')
    assert 'shown-role-fail' in failure and 'dt0c01.ROLEFAILUREROLEFAILURE00.****' in failure, failure
    assert 'HTTP 201' in section(output, 'a create answer with a broken body')
    assert 'dt0c01.BROKENBODYBROKENBODY0000.****' in section(output, 'a create answer with a broken body')
    assert 'HTTP 500' in section(output, 'an error page cut inside the API token')
    assert 'HTTP 403' in section(output, 'a refused token') or 'HTTP 401' in section(output, 'a refused token')
    assert 'api_token holds a line break' in section(output, 'a token with a line break')
    assert 'api_token holds a space' in section(output, 'a token with a space')
    assert 'api_token holds a line break' in section(output, 'info with a token in pieces')
    for task in ('create with a token', 'no_log of the user'):
        shown = section(output, task)
        assert 'changed: [localhost]' in shown and '"environment_id"' not in shown, (task, shown)
        assert (CENSORED in shown) == (verbosity > 0), (task, shown)
    plain = section(output, 'create without a token')
    assert ('"environment_id"' in plain) == (verbosity > 0), plain
    assert ('+++ after' in plain and '"shown-plain"' in plain) == diff, plain
    assert ('"team:b"' in section(output, 'update with a diff')) == (diff or verbosity > 0)
    assert ('"shown-check"' in section(output, 'create in check mode')) == (diff or verbosity > 0)


def test_the_scan_finds_a_token_that_a_task_displays(emulator, tmp_path):
    """The negative control: show the registered token on purpose; the same scan must report it."""
    tasks = [dict(environment('create with a token', name='shown-on-purpose'), register='created'),
             {'name': 'store it', 'no_log': True,
              'ansible.builtin.copy': {'content': '{{ created.token_management_token }}',
                                       'dest': '{{ out_dir }}/created.token', 'mode': '0600'}},
             {'name': 'show it', 'ansible.builtin.debug': {'msg': 'the token ends in {{ created.token_management_token[-20:] }}'}}]
    play = dict(hosts='localhost', gather_facts=False, tasks=tasks,
                vars={'out_dir': str(tmp_path)},
                module_defaults={'group/clusterops.dynatrace.dynatrace': {'url': emulator.url, 'api_token': emulator.token}})
    run = run_plays([play], stdout_callback='default', verbosity=0)
    output = run.stdout + run.stderr
    assert run.rc == 0, output[-3000:]
    token = (tmp_path / 'created.token').read_text()
    assert TOKEN_SHAPE.match(token)
    assert CENSORED not in output  # verbosity 0 prints no result
    leaks = find_leaks(output, api_tokens=[emulator.token], secrets=[token], allow_results=False, fragment=12)
    assert [what for dummy, what, dummy2 in leaks] == ['known secret (part)'], leaks
    assert json.dumps(token[-20:])[1:-1] in output


def test_an_error_page_cut_inside_a_bare_secret_shows_no_part_of_it(emulator):
    """A body that quotes the secret part alone, cut by the module: no token shape is left for the display side to
    recognise, so only redaction before the cut in the module can keep it out."""
    padding = 'Internal error while handling a request; please contact your administrator and quote the '
    tasks = [queue_fault('an error page', 'shown-bare-cut', action='status', status=500, content_type='text/plain',
                         body=padding + 'request header Api-Token-Secret: {{ api_token.split(".")[2] }}'),
             environment('an error page cut inside the secret', ignore_errors=True, name='shown-bare-cut')]
    play = dict(hosts='localhost', gather_facts=False, tasks=tasks,
                vars={'emulator_url': emulator.url, 'api_token': emulator.token},
                module_defaults={'group/clusterops.dynatrace.dynatrace': {'url': emulator.url, 'api_token': emulator.token}})
    run = run_plays([play], stdout_callback='default')
    output = run.stdout + run.stderr
    assert 'HTTP 500' in output, output[-3000:]
    assert find_leaks(output, api_tokens=[emulator.token], allow_results=False, fragment=12) == []
