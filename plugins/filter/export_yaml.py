# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filter that writes an export as data: YAML in which every value Ansible would template is tagged !unsafe.

Documentation: export_yaml.yml next to this file (ansible-doc -t filter clusterops.dynatrace.export_yaml).
"""

import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment_export import is_template_like


class _Unsafe(str):
    """A string written as `!unsafe '...'`: Ansible reads it back as text that is never templated."""


class _ExportDumper(yaml.SafeDumper):
    """SafeDumper plus the !unsafe tag; nothing else (no Python object ever reaches the file)."""


def _represent_unsafe(dumper, value):
    return dumper.represent_scalar('!unsafe', str.__str__(value), style="'")


_ExportDumper.add_representer(_Unsafe, _represent_unsafe)


def _plain(value):
    """`value` as plain YAML types (Ansible hands over tagged or unsafe subclasses), template-like text marked."""
    if isinstance(value, dict):
        return dict((_plain(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        text = str.__str__(value)
        return _Unsafe(text) if is_template_like(text) else text
    raise AnsibleFilterError('export_yaml: cannot write a value of type %s' % type(value).__name__)


def export_yaml(data, indent=2, width=1000):
    """`data` as block-style YAML, keys in their order, with template-like strings (keys too) tagged !unsafe."""
    return yaml.dump(_plain(data), Dumper=_ExportDumper, indent=indent, width=width, allow_unicode=True,
                     default_flow_style=False, sort_keys=False)


class FilterModule(object):
    """The YAML writer of the export."""

    def filters(self):
        return {'export_yaml': export_yaml}
