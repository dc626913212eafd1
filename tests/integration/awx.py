"""Render a custom credential type and lay out a job's private data dir the way AWX does.

What AWX does with a custom credential type (awx/main/models/credential/__init__.py,
CredentialType.inject_credential, and CredentialTypeInjectorField in awx/main/fields.py), restated here so
that the collection's credential type (docs/awx/credential_type.yml) is tested under the same rules:

- Accepting the type: every template renders with StrictUndefined when every field is 'EXAMPLE' and
  `tower.filename` exists only if a file injector is defined; env vars starting with ANSIBLE_ are refused.
- Running a job: the namespace holds the credential's inputs, except empty strings; a boolean field the
  credential does not set is False, whatever its `default` says; an unset string field is undefined and
  renders as ''. Each file injector is rendered into a new file under <private data dir>/env, and its
  path is `tower.filename` (`tower.filename.<name>` for `template.<name>`). Env injectors are rendered last,
  in an ImmutableSandboxedEnvironment with the default Undefined.
- AWX stores the job's environment with every variable whose name matches API|TOKEN|KEY|SECRET|PASS
  hidden (build_safe_env).

One difference: AWX runs the job in a container and maps the file to /runner/env/...; here the job runs
without a container (ansible-runner with process isolation off), so the path on this machine is used.
"""

import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, sandbox

CREDENTIAL_TYPE_FILE = Path(__file__).resolve().parents[2] / 'docs' / 'awx' / 'credential_type.yml'
HIDDEN_ENV_NAME = re.compile(r'API|TOKEN|KEY|SECRET|PASS', re.I)
FILE_INJECTOR_KEY = re.compile(r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$')


def load_credential_type(path=CREDENTIAL_TYPE_FILE):
    return yaml.safe_load(Path(path).read_text(encoding='utf-8'))


class _Namespace:
    pass


def validate(credential_type):
    """Raise ValueError for what AWX refuses when the type is saved."""
    field_ids = [field['id'] for field in credential_type['inputs']['fields']]
    injectors = credential_type.get('injectors', {})
    namespace = {field_id: 'EXAMPLE' for field_id in field_ids}
    tower = _Namespace()
    files = list(injectors.get('file', {}))
    if any(not FILE_INJECTOR_KEY.match(key) for key in files):
        raise ValueError('file injector keys must be template or template.<name>: %s' % files)
    if 'template' in files:
        tower.filename = 'EXAMPLE_FILENAME'
    elif files:
        tower.filename = _Namespace()
        for key in files:
            setattr(tower.filename, key.split('.', 1)[1], 'EXAMPLE_FILENAME')
    namespace['tower'] = tower
    for env_var in injectors.get('env', {}):
        if env_var.startswith('ANSIBLE_'):
            raise ValueError('AWX refuses the env injector %s (it may affect Ansible configuration)' % env_var)
    environment = sandbox.ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, templates in injectors.items():
        for key, template in templates.items():
            environment.from_string(template).render(namespace)  # raises for an undefined field
            if kind == 'env' and not template.isascii():
                raise ValueError('env injector %s must be ASCII' % key)


def inject(credential_type, inputs, private_data_dir):
    """The env vars a job gets from a credential with `inputs`; file injectors are written under env/."""
    fields = credential_type['inputs']['fields']
    secret_fields = {field['id'] for field in fields if field.get('secret')}
    tower = _Namespace()
    namespace = {'tower': tower}
    safe_namespace = {'tower': tower}
    for name, value in inputs.items():
        if isinstance(value, bool):
            namespace[name] = safe_namespace[name] = value
        elif value:
            namespace[name] = value
            safe_namespace[name] = '**********' if name in secret_fields else value
    for field in fields:
        if field['type'] == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = safe_namespace[field['id']] = False
    environment = sandbox.ImmutableSandboxedEnvironment()
    injectors = credential_type.get('injectors', {})
    env_dir = Path(private_data_dir) / 'env'
    env_dir.mkdir(parents=True, exist_ok=True)
    for label, template in injectors.get('file', {}).items():
        handle, path = tempfile.mkstemp(dir=str(env_dir))
        with os.fdopen(handle, 'w') as stream:
            stream.write(environment.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
        if '.' not in label:
            tower.filename = path
        else:
            if not hasattr(tower, 'filename'):
                tower.filename = _Namespace()
            setattr(tower.filename, label.split('.', 1)[1], path)
    env, safe_env = {}, {}
    for name, template in injectors.get('env', {}).items():
        env[name] = environment.from_string(template).render(**namespace)
        safe_env[name] = environment.from_string(template).render(**safe_namespace)
    return env, safe_env


def hidden_in_job_env(name):
    """Whether AWX hides this variable's value in the job's stored environment."""
    return bool(HIDDEN_ENV_NAME.search(name))


def write_private_data_dir(private_data_dir, playbook, envvars, collections_path, extravars=None):
    """project/, inventory/hosts (an executable script that prints the inventory as JSON, as AWX writes it),
    env/envvars, env/extravars and env/settings (process isolation off)."""
    root = Path(private_data_dir)
    (root / 'project').mkdir(parents=True, exist_ok=True)
    (root / 'project' / 'site.yml').write_text(yaml.safe_dump(playbook, sort_keys=False), encoding='utf-8')
    inventory = {
        'all': {'hosts': ['localhost']},
        '_meta': {'hostvars': {'localhost': {'ansible_connection': 'local',
                                             'ansible_python_interpreter': sys.executable}}},
    }
    script = root / 'inventory' / 'hosts'
    script.parent.mkdir(exist_ok=True)
    script.write_text('#!%s\nprint(%r)\n' % (sys.executable, json.dumps(inventory)), encoding='utf-8')
    script.chmod(0o700)
    env_dir = root / 'env'
    env_dir.mkdir(exist_ok=True)
    # AWX's own job environment (not from the credential): where the project's collections were installed.
    job_env = {'ANSIBLE_COLLECTIONS_PATH': str(collections_path), 'ANSIBLE_NOCOLOR': '1',
               'ANSIBLE_LOCALHOST_WARNING': 'False', 'ANSIBLE_RETRY_FILES_ENABLED': 'False'}
    job_env.update(envvars)
    (env_dir / 'envvars').write_text(yaml.safe_dump(job_env), encoding='utf-8')
    (env_dir / 'extravars').write_text(yaml.safe_dump(extravars or {}), encoding='utf-8')
    (env_dir / 'settings').write_text(yaml.safe_dump({'process_isolation': False, 'job_timeout': 300}),
                                      encoding='utf-8')
    return root
