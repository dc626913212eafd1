"""Run many independent cases of one module in a single ansible-playbook, in parallel.

Each case is one inventory host (an alias of the controller, local connection) whose host variable `case`
holds the module options; the task passes each option as `{{ case.<option> | default(omit) }}`, so values keep
their types. One playbook start-up and `forks` workers instead of one playbook per case.
"""

import yaml

from tests.integration.runner import run_tasks


def run_cases_in_parallel(emulator, folder, module, cases, forks=20):
    """Run `module` once per case ({label: options}); return {label: (status, result)}."""
    inventory = folder / 'inventory.yml'
    hosts = dict((label, {'ansible_connection': 'local', 'case': options}) for label, options in cases.items())
    inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts}}))
    names = sorted(set(name for options in cases.values() for name in options))
    task = {'name': 'case', module: dict((name, '{{ case[%r] | default(omit) }}' % name) for name in names),
            'ignore_errors': True}
    run = run_tasks([task], emulator=emulator, inventory=str(inventory), hosts='all', forks=min(forks, len(cases)))
    outcomes = dict((entry['host'], (entry['status'], entry['result'])) for entry in run.results)
    assert sorted(outcomes) == sorted(cases), run
    return outcomes
