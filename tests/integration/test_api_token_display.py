"""What a person sees of dynatrace_api_token and dynatrace_api_token_info: the default stdout callback at verbosity
0 and -vvv with --diff. The whole output must hold no part of any secret (the cluster token, the token-management
token of a new environment, every API token the run created), while the registered results hold the created
tokens (later tasks store them in files, which is where this test reads them from). The same approach as
test_secret_display.py, for the token modules.
"""

import re

import pytest

from tests.integration.runner import run_plays
from tests.integration.secret_scan import find_leaks


TOKEN_SHAPE = re.compile(r'^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$')
MODULE = 'clusterops.dynatrace.dynatrace_api_token'
CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
# -vvv shows what -v shows and more, so -v is not run separately.
VERBOSITIES = [(0, False), (3, True)]


def store(label, expression, filename):
    return {'name': 'store ' + label, 'no_log': True,
            'ansible.builtin.copy': {'content': '{{ %s }}' % expression, 'dest': '{{ out_dir }}/%s' % filename,
                                     'mode': '0600'}}


def token(label, ignore_errors=False, **args):
    task = {'name': label, MODULE: dict(dict(environment_name='shown-team', name='paas', scopes=['InstallerDownload']),
                                        **args)}
    return dict(task, ignore_errors=True) if ignore_errors else task


TASKS = [
    {'name': 'the environment', 'clusterops.dynatrace.dynatrace_environment': {'name': 'shown-team'},
     'register': 'team'},
    store('the token-management token', 'team.token_management_token', 'management.token'),
    dict(token('create with the given token', name='ingest', scopes=['metrics.ingest'],
               token_management_token='{{ team.token_management_token }}'), register='ingest'),
    store('the ingest token', 'ingest.token', 'ingest.token'),
    dict(token('create with a minted token'), register='paas'),
    store('the paas token', 'paas.token', 'paas.token'),
    token('the same again'),
    dict(token('rotate', rotate=True), register='rotated'),
    store('the rotated token', 'rotated.token', 'rotated.token'),
    token('drift', scopes=['DataExport']),
    dict(token('check mode', name='never'), check_mode=True),
    token('an unknown scope', ignore_errors=True, scopes=['PaaSIntegration']),
    token('a refused token-management token', ignore_errors=True, token_management_token='{{ team_other_token }}'),
    token('a token-management token with a line break', ignore_errors=True,
          token_management_token='{{ team.token_management_token[:50] }}\n{{ team.token_management_token[50:] }}'),
    {'name': 'list the tokens', 'clusterops.dynatrace.dynatrace_api_token_info': {'environment_name': 'shown-team'}},
    token('delete', name='ingest', state='absent'),
]


def play(emulator, out_dir, other_token):
    connection = {'url': emulator.url, 'api_token': emulator.token}
    return dict(hosts='localhost', gather_facts=False, name='token modules', tasks=TASKS,
                vars={'out_dir': str(out_dir), 'team_other_token': other_token},
                module_defaults={'group/clusterops.dynatrace.dynatrace': connection})


def section(output, task):
    assert output.count('TASK [%s]' % task) == 1, task
    return re.split(r'\n(?:TASK|PLAY) \[', output.split('TASK [%s]' % task, 1)[1], maxsplit=1)[0]


@pytest.mark.parametrize('verbosity,diff', VERBOSITIES, ids=['v%d%s' % (v, '-diff' if d else '') for v, d in VERBOSITIES])
def test_no_display_shows_a_token_secret(emulator, tmp_path, verbosity, diff):
    emulator.configure(cluster_tokens_see_environment_tokens=True)
    other_env = emulator.create_environment('shown-other')
    other_token = emulator.environment_token(other_env, scopes=['apiTokens.read', 'apiTokens.write'])
    run = run_plays([play(emulator, tmp_path, other_token)], verbosity=verbosity, diff=diff, stdout_callback='default')
    output = run.stdout + run.stderr
    assert run.rc == 0 and 'failed=0' in output and 'ignored=3' in output, output[-4000:]

    stored = dict((path.name, path.read_text()) for path in tmp_path.glob('*.token'))
    assert sorted(stored) == ['ingest.token', 'management.token', 'paas.token', 'rotated.token'], stored
    assert all(TOKEN_SHAPE.match(value) for value in stored.values()), list(stored)
    leaks = find_leaks(output, api_tokens=[emulator.token, other_token], secrets=list(stored.values()),
                       allow_results=False, fragment=12)
    assert leaks == [], leaks
    assert not [t for t in emulator.tokens() if t['name'].startswith('clusterops.dynatrace ')]

    for task in ('create with the given token', 'create with a minted token', 'rotate'):
        shown = section(output, task)
        assert 'changed: [localhost]' in shown and (CENSORED in shown) == (verbosity > 0), (task, shown)
    assert ('cannot be read again' in section(output, 'the same again')) == (verbosity > 0)
    assert ('"scopes"' in section(output, 'drift')) == (verbosity > 0)
    assert 'scopes: PaaSIntegration is not a scope' in section(output, 'an unknown scope')
    assert 'token_management_token was not accepted' in section(output, 'a refused token-management token')
    assert 'token_management_token holds a line break' in section(
        output, 'a token-management token with a line break')
