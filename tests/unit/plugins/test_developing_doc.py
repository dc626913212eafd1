"""docs/developing.md names every module_utils file with its layer, and no file that is gone.

The architecture is read from the folders (test_layers.py enforces the import directions); this test keeps the
page that explains it complete: a new file fails here until its row is written in the table of its layer.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MODULE_UTILS = ROOT / 'plugins' / 'module_utils'
PAGE = ROOT / 'docs' / 'developing.md'


def documented():
    """(layer of the table, file) of every row of the module_utils tables: '### _layer ...' then '| `_layer/x.py` |'."""
    rows, layer = [], None
    for line in PAGE.read_text(encoding='utf-8').splitlines():
        heading = re.match(r'### (_\w+)', line)
        if heading:
            layer = heading.group(1)
        elif line.startswith('## '):
            layer = None
        row = re.match(r'\| `(_\w+/[\w/]+\.py)` \|', line)
        if row and layer:
            rows.append((layer, row.group(1)))
    return rows


def test_every_module_utils_file_is_named_under_its_layer():
    files = sorted(str(path.relative_to(MODULE_UTILS)) for path in MODULE_UTILS.rglob('*.py') if path.name != '__init__.py')
    rows = documented()
    assert sorted(name for dummy, name in rows) == files
    assert [(layer, name) for layer, name in rows if not name.startswith(layer + '/')] == []
