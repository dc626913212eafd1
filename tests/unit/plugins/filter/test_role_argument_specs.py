"""The role's argument spec for environments_list items must match the options of the module it runs.

The role runs dynatrace_environments once for its whole list: an item is exactly one of its environments; without
api_tokens and permissions, an item holds dynatrace_environment's own options.
"""

from pathlib import Path

import yaml

from ansible_collections.clusterops.dynatrace.plugins.filter.environments import ITEM_OPTIONS
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import CONNECTION_ARGUMENT_SPEC
from ansible_collections.clusterops.dynatrace.plugins.modules.dynatrace_environment import argument_spec
from ansible_collections.clusterops.dynatrace.plugins.modules.dynatrace_environments import ITEM_SPEC

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'environments'


def role_spec():
    return yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())['argument_specs']['main']['options']


def comparable(spec):
    """type, elements, choices and nested options of an argument spec, recursively."""
    return dict((name, dict(type=option.get('type', 'str'), elements=option.get('elements'), choices=option.get('choices'),
                            options=comparable(option['options']) if option.get('options') else None))
                for name, option in spec.items())


def test_items_accept_exactly_the_module_options():
    # name_lookup is the role's own business: it creates right after its listing, with name_lookup false.
    module = dict((name, option) for name, option in argument_spec().items()
                  if name not in CONNECTION_ARGUMENT_SPEC and name != 'name_lookup')
    items = role_spec()['environments_list']['options']
    assert set(items) == set(ITEM_SPEC)
    assert set(items) - {'api_tokens', 'permissions'} == set(module) == ITEM_OPTIONS
    assert comparable(items) == comparable(ITEM_SPEC)
    assert dict((k, v) for k, v in comparable(items).items() if k in module) == comparable(module)
    # The role leaves the module's defaults to the module.
    assert not any('default' in option for option in items.values())


def test_every_option_is_documented_and_defaults_match_defaults_main():
    spec = role_spec()
    defaults = yaml.safe_load((ROLE / 'defaults' / 'main.yml').read_text())
    for name, option in spec.items():
        assert option.get('description'), name
        if name in defaults:
            assert option.get('default') == defaults[name], name
        else:
            assert 'default' not in option, name
    assert set(defaults) <= set(spec)
