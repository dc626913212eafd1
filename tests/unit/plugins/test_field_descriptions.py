"""Each field is described in three places that must agree: the model's LIMITS table, the module documentation,
and the role's argument_specs.yml. docs/developing.md, "Adding a field", says what to change; this test names the
place that was forgotten.

quotas and storage are declared as plain dicts in the module's and the role's argument specs, and checked by the
model (validate_options): ansible-core answers a scalar where a nested dict belongs with a message that does not
name the option, or an internal TypeError. Their documented suboptions are compared with the LIMITS table instead.
"""

import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.clusterops.dynatrace.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import LIMITS, SECTIONS
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import CONNECTION_ARGUMENT_SPEC
from ansible_collections.clusterops.dynatrace.plugins.modules import (
    dynatrace_api_token, dynatrace_api_token_audit, dynatrace_api_token_info, dynatrace_cluster_info,
    dynatrace_environment, dynatrace_environment_info, dynatrace_environments, dynatrace_user, dynatrace_user_group,
    dynatrace_user_group_info, dynatrace_user_info,
)

ROLE_SPEC = Path(__file__).resolve().parents[3] / 'roles' / 'environments' / 'meta' / 'argument_specs.yml'
MODULES = (dynatrace_environment, dynatrace_environment_info, dynatrace_environments, dynatrace_cluster_info,
           dynatrace_user_group, dynatrace_user_group_info, dynatrace_api_token, dynatrace_api_token_info,
           dynatrace_api_token_audit, dynatrace_user, dynatrace_user_info)


def documented(module):
    return yaml.safe_load(module.DOCUMENTATION)['options']


def role_items():
    spec = yaml.safe_load(ROLE_SPEC.read_text())['argument_specs']['main']['options']
    return spec['environments_list']['options']


def limits_shape(section):
    """The shape the documented suboptions of quotas or storage must have: one dict per entry, a raw per limit."""
    return dict((limit.option, ('dict', None, None, None, dict((field, ('raw', None, None, None, None))
                                                               for field in limit.fields)))
                for limit in LIMITS if limit.section == section)


def shape(options, children='suboptions'):
    """name -> (type, elements, choices, default, nested shape) of documented options or an argument spec."""
    view = {}
    for name, option in options.items():
        nested = option.get(children) or option.get('options')
        view[name] = (option.get('type', 'str'), option.get('elements'), option.get('choices'), option.get('default'),
                      shape(nested, children) if nested else None)
    return view


def text(option):
    """The description as one line of words (a list of paragraphs or a string)."""
    description = option.get('description') or ''
    if isinstance(description, list):
        description = ' '.join(description)
    return ' '.join(description.split())


@pytest.mark.parametrize('module', MODULES, ids=lambda module: module.__name__.rsplit('.', 1)[-1])
def test_module_documentation_matches_the_argument_spec(module):
    # A connection option is documented by the fragment, unless the module documents it itself (to change it).
    own = documented(module)
    spec = dict((name, option) for name, option in module.argument_spec().items()
                if name not in CONNECTION_ARGUMENT_SPEC or name in own)
    docs = shape(own)
    if module is dynatrace_environment:
        for section in SECTIONS:
            assert spec[section] == {'type': 'dict'}, 'checked by the model, not by ansible-core'
            assert docs[section][4] == limits_shape(section), section
            docs[section] = docs[section][:4] + (None,)
    assert docs == shape(spec, 'options')
    for name in set(own) & set(CONNECTION_ARGUMENT_SPEC):
        assert bool(own[name].get('required')) == bool(spec[name].get('required')), name


def test_connection_fragment_matches_the_connection_argument_spec():
    fragment = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = dict((name, dict((key, value) for key, value in option.items() if key != 'fallback'))
                for name, option in CONNECTION_ARGUMENT_SPEC.items())
    for option in spec.values():
        option.pop('required', None)
    assert shape(fragment) == shape(spec)


@pytest.mark.parametrize('section', SECTIONS)
def test_role_describes_quotas_and_storage_in_the_words_of_the_module(section):
    module_doc, role_doc = documented(dynatrace_environment)[section], role_items()[section]
    # The role's argument spec takes any dict (the filter checks it); its entries are documented with the module.
    assert role_doc['type'] == 'dict' and 'options' not in role_doc
    assert text(role_doc).startswith(text(module_doc))
    assert 'M(clusterops.dynatrace.dynatrace_environment)' in text(role_doc)


def bounds_in_words(limit):
    if limit.maximum is not None:
        return '%d to %d' % (limit.minimum, limit.maximum)
    return '%d or more' % limit.minimum


@pytest.mark.parametrize('limit', [limit for limit in LIMITS if limit.section == 'storage'], ids=lambda limit: limit.option)
def test_the_documented_bounds_of_each_storage_limit_are_the_table_s(limit):
    for where, options in (('module documentation', documented(dynatrace_environment)['storage']['suboptions']),):
        group = options[limit.option]
        fields = group.get('suboptions') or group.get('options')
        for field in limit.fields:
            words = text(fields[field])
            assert bounds_in_words(limit) in words, '%s: storage.%s.%s' % (where, limit.option, field)
            assert ('unlimited' in words) == limit.unlimited, '%s: storage.%s.%s' % (where, limit.option, field)


def test_the_documented_quota_rule_is_the_table_s():
    words = text(documented(dynatrace_environment)['quotas'])
    assert all(limit.minimum == 0 and limit.maximum is None and limit.unlimited for limit in LIMITS if limit.section == 'quotas')
    assert re.search(r'an integer \(0 or more\) or V\(unlimited\)', words)
