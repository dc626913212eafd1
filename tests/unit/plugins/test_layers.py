"""The module_utils layers import in one direction only (docs/developing.md, "Layers").

Imports are read with ast from the source, so the test needs no import to succeed and fails on the
line that runs against the direction. A new module_utils file must be given a layer here.
"""

import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[3] / 'plugins'
PACKAGE = 'ansible_collections.clusterops.dynatrace.plugins.module_utils'

# Top to bottom: each layer is a package of plugins/module_utils. A file may import files of its own layer and of the
# layers below it, never above.
LAYERS = (
    ('_glue', 'glue'),
    # The bulk engine runs the steps of several modules for each item of a list (an environment, its API tokens, its
    # group permissions), so it is the one layer that may import other modules' logic: it sits above them all.
    ('_bulk', 'bulk'),
    # One package per resource (_logic/environment, _logic/api_token, ...): the logic of each module.
    ('_logic', 'logic'),
    # Steps several logic files share: finding by name, creating, changing one environment already read; the
    # environment and client a token task addresses.
    ('_steps', 'steps'),
    ('_api', 'api'),
    ('_transport', 'transport'),
    ('_model', 'model'),
)
# Beyond the order: one module's logic never imports another's; transport and model know nothing of each other.
FORBIDDEN = {('logic', 'logic'), ('transport', 'model')}
# Only the glue knows Ansible; the transport, the API calls and the model are plain Python.
NO_ANSIBLE = ('bulk', 'logic', 'steps', 'api', 'transport', 'model')
# What plugins may import from module_utils: modules and the inventory no HTTP of their own, the role's filters the
# model only.
PLUGIN_LAYERS = {'modules': ('glue', 'bulk', 'logic', 'model'), 'filter': ('model',), 'inventory': ('logic', 'model')}

LAYER_OF = dict(LAYERS)
RANK = dict((layer, index) for index, (dummy, layer) in enumerate(LAYERS))


def imports(source):
    """(line, imported module name) of every import statement in `source`, resolving `from package import name`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            if node.module == PACKAGE:
                found.extend((node.lineno, '%s.%s' % (PACKAGE, alias.name)) for alias in node.names)
    return found


def layer_violations(importer_layer, source, allowed_layers=None):
    """Every import of `source` that runs against the direction, as 'line N: imports <name> (<layer>)'."""
    problems = []
    for line, name in imports(source):
        if importer_layer in NO_ANSIBLE and (name == 'ansible' or name.startswith('ansible.')):
            problems.append('line %d: imports %s, but the %s layer knows no Ansible' % (line, name, importer_layer))
        if not name.startswith(PACKAGE + '.'):
            continue
        target = name[len(PACKAGE) + 1:]
        target_layer = LAYER_OF.get(target.split('.')[0])
        if target_layer is None:
            problems.append('line %d: imports %s, which has no layer in LAYERS' % (line, target))
        elif allowed_layers is not None:
            if target_layer not in allowed_layers:
                problems.append('line %d: imports %s (%s layer)' % (line, target, target_layer))
        elif RANK[target_layer] < RANK[importer_layer] or (importer_layer, target_layer) in FORBIDDEN:
            problems.append('line %d: imports %s (%s layer) from the %s layer' % (line, target, target_layer, importer_layer))
    return problems


def module_utils_files():
    return sorted(path for path in (PLUGINS / 'module_utils').rglob('*.py') if path.name != '__init__.py')


def layer_package(path):
    """The layer package a module_utils file lives in (its first folder under module_utils)."""
    return path.relative_to(PLUGINS / 'module_utils').parts[0]


def test_every_module_utils_file_is_in_a_layer_package():
    loose = [str(path) for path in module_utils_files() if layer_package(path) not in LAYER_OF]
    assert loose == [], 'every file of plugins/module_utils lives in one of the layer packages of LAYERS'


@pytest.mark.parametrize('path', module_utils_files(), ids=lambda path: str(path.relative_to(PLUGINS / 'module_utils')))
def test_module_utils_import_only_downwards(path):
    assert layer_violations(LAYER_OF[layer_package(path)], path.read_text()) == []


@pytest.mark.parametrize('path', sorted(path for kind in PLUGIN_LAYERS for path in (PLUGINS / kind).glob('*.py')),
                         ids=lambda path: '%s/%s' % (path.parent.name, path.name))
def test_plugins_import_only_what_their_kind_may(path):
    assert layer_violations(None, path.read_text(), PLUGIN_LAYERS[path.parent.name]) == []


@pytest.mark.parametrize('importer, source, problem', [
    ('transport', 'from %s._api.environments import list_environments' % PACKAGE, 'imports _api.environments (api layer)'),
    ('model', 'from %s import _transport' % PACKAGE, 'imports _transport (transport layer)'),
    ('model', 'from %s._transport import http' % PACKAGE, 'imports _transport (transport layer)'),
    ('model', 'from %s._transport.http import DynatraceError' % PACKAGE, 'imports _transport.http (transport layer)'),
    ('transport', 'from %s._model.environment import LIMITS' % PACKAGE, 'imports _model.environment (model layer)'),
    ('logic', 'from %s._logic.cluster.info import cluster_info' % PACKAGE, 'imports _logic.cluster.info (logic layer)'),
    ('api', 'from ansible.module_utils.basic import AnsibleModule', 'knows no Ansible'),
    ('api', 'import %s._brand_new' % PACKAGE, 'has no layer'),
])
def test_the_check_catches_imports_against_the_direction(importer, source, problem):
    problems = layer_violations(importer, source)
    assert len(problems) == 1 and problem in problems[0], problems


def test_the_check_catches_a_module_talking_http():
    problems = layer_violations(None, 'from %s._transport.http import DynatraceClient' % PACKAGE, PLUGIN_LAYERS['modules'])
    assert problems == ['line 1: imports _transport.http (transport layer)']
