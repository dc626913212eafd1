"""The role's environments_users items must take exactly the `users` items of dynatrace_user, which the role passes on."""

from pathlib import Path

import yaml

from ansible_collections.clusterops.dynatrace.plugins.modules.dynatrace_user import argument_spec

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'environments'


def role_spec():
    return yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())['argument_specs']['main']['options']


def comparable(spec):
    return dict((name, (option.get('type', 'str'), option.get('elements'), option.get('choices'), bool(option.get('required')),
                        bool(option.get('no_log'))))
                for name, option in spec.items())


def test_users_items_are_the_module_s_users_items():
    spec = role_spec()
    assert comparable(spec['environments_users']['options']) == comparable(argument_spec()['users']['options'])
    assert spec['environments_users']['default'] == [] and spec['environments_manage_users']['default'] is False


def test_the_defaults_keep_users_off():
    defaults = yaml.safe_load((ROLE / 'defaults' / 'main.yml').read_text())
    assert defaults['environments_manage_users'] is False and defaults['environments_users'] == []
