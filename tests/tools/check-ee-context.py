"""Check the execution environment build context that `ansible-builder create` wrote (run by `make build`).

Usage: python tests/tools/check-ee-context.py <definition> <context dir> <collection tarball>

Fails unless:
- the base image has a fixed tag (not `latest`, or a digest), and a minimal base uses microdnf;
- the Python of the image is set (python_interpreter package_system and python_path, as in the Containerfile),
  and ansible-core and ansible-runner as pinned install on that Python (pip resolves them for that Python
  version against the package index, without installing anything);
- ansible-core and the Python are the `newest` pair of tests/tools/matrix.txt, so the image runs a tested pair;
- the context holds the collection tarball just built, byte for byte, and the galaxy requirements install it;
- the collection installed from that tarball gives `requests` to ansible-builder's introspection, pinned to a range
  with a lower and an upper bound (the range the tests cover: requirements.txt);
- `ansible-builder create` refuses when `make build` has not written the tarball (a context without the collection
  would build an image without it).
"""

import filecmp
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def fail(message):
    sys.exit('check-ee-context: %s' % message)


def build_args(context):
    containerfile = next((context / name for name in ('Containerfile', 'Dockerfile') if (context / name).is_file()), None)
    if containerfile is None:
        fail('no Containerfile or Dockerfile in %s' % context)
    return dict(re.findall(r'^ARG (\w+)="([^"]*)"$', containerfile.read_text(), re.M))


def check_image(definition, args):
    base = definition['images']['base_image']['name']
    name, tag = base.rsplit(':', 1) if ':' in base and '@' not in base else (base, 'digest' if '@' in base else '')
    if not tag or '/' in tag or tag == 'latest':
        fail('base image %s has no fixed tag' % base)
    if args.get('EE_BASE_IMAGE') != base:
        fail('Containerfile base %s is not %s' % (args.get('EE_BASE_IMAGE'), base))
    if 'minimal' in name and args.get('PKGMGR') != '/usr/bin/microdnf':
        fail('a minimal base image has microdnf only: set options.package_manager_path: /usr/bin/microdnf')
    return base


def check_python(definition, args):
    interpreter = definition['dependencies'].get('python_interpreter') or fail('python_interpreter is not set')
    path, package = interpreter.get('python_path'), interpreter.get('package_system')
    if not (path and package) or args.get('PYCMD') != path or args.get('PYPKG') != package:
        fail('python_interpreter needs package_system and python_path (Containerfile: PYCMD=%s PYPKG=%s)'
             % (args.get('PYCMD'), args.get('PYPKG')))
    match = re.search(r'python(3\.\d+)$', path) or fail('cannot tell the Python version from %s' % path)
    return match.group(1)


def check_installs(refs, python):
    """pip resolves the pinned packages for that Python version (Requires-Python), installing nothing."""
    with tempfile.TemporaryDirectory() as scratch:
        completed = subprocess.run(
            [sys.executable, '-m', 'pip', 'install', '--dry-run', '--no-deps', '--ignore-installed', '--quiet',
             '--disable-pip-version-check', '--only-binary=:all:', '--python-version', python,
             '--report', scratch + '/report.json'] + refs,
            capture_output=True, text=True, check=False, timeout=300)
        if completed.returncode:
            last_line = completed.stderr.strip().splitlines()[-1][:500]
            fail('%s do not install on Python %s: %s' % (' '.join(refs), python, last_line))
        report = json.loads(Path(scratch, 'report.json').read_text())
    return ['%s %s (Requires-Python %s)' % (meta['name'], meta['version'], meta.get('requires_python'))
            for meta in (item['metadata'] for item in report['install'])]


def check_matrix(refs, python):
    pairs = {fields[0]: fields[1:] for fields in
             (line.split() for line in (ROOT / 'tests/tools/matrix.txt').read_text().splitlines())
             if fields and not fields[0].startswith('#')}
    core, matrix_python = pairs['newest']
    if 'ansible-core==%s' % core not in refs or python != matrix_python:
        fail('the image has %s on Python %s; tests/tools/matrix.txt tests ansible-core %s on Python %s'
             % (' '.join(refs), python, core, matrix_python))


def check_collection(context, tarball):
    galaxy = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    entries = [entry for entry in galaxy.get('collections', []) if entry.get('type') == 'file']
    shipped = [context / '_build' / entry['name'] for entry in entries if Path(entry['name']).name == tarball.name]
    if len(shipped) != 1:
        fail('the galaxy requirements do not install %s: %s' % (tarball.name, galaxy))
    if not shipped[0].is_file() or not filecmp.cmp(shipped[0], tarball, shallow=False):
        fail('%s is not the tarball just built (%s): is additional_build_files up to date?' % (shipped[0], tarball))
    with tempfile.TemporaryDirectory() as target:
        install_env = {'ANSIBLE_COLLECTIONS_PATH': target, 'PATH': '/usr/bin:/bin'}
        subprocess.run([str(BIN / 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', target, str(tarball)],
                       check=True, capture_output=True, timeout=120, env=install_env)
        completed = subprocess.run([str(BIN / 'ansible-builder'), 'introspect', target], check=True,
                                   capture_output=True, text=True, timeout=120)
    python = yaml.safe_load(completed.stdout.split('\n', 1)[1])['python']
    check_requests_range(python)
    return shipped[0].relative_to(context), python


def check_requests_range(python):
    """requests comes with a lower and an upper bound: an image built later gets a version the tests covered."""
    lines = [line.split('#')[0].replace(' ', '') for line in python]
    pinned = [line for line in lines if re.match(r'^requests(>=|==)\d', line) and (',<' in line or '==' in line)]
    if not pinned:
        fail('introspection gives no requests pinned to a tested range (requests>=X,<Y): %s' % python)


def check_refuses_without_tarball(definition_path):
    """ansible-builder create of the definition, in a copy of the checkout's layout without .tmp/build, must fail."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / 'execution-environment' / Path(definition_path).name
        copy.parent.mkdir()
        shutil.copy(definition_path, copy)
        completed = subprocess.run([str(BIN / 'ansible-builder'), 'create', '-f', str(copy), '--context',
                                    str(Path(scratch) / 'context')], capture_output=True, text=True, timeout=120,
                                   check=False, cwd=scratch)
    output = completed.stdout + completed.stderr
    if completed.returncode == 0 or 'does not exist' not in output:
        fail('ansible-builder create without the built tarball must refuse; it said: %s' % output.strip()[-300:])


def main(definition_path, context, tarball):
    definition = yaml.safe_load(Path(definition_path).read_text())
    context, tarball = Path(context), Path(tarball)
    args = build_args(context)
    base = check_image(definition, args)
    python = check_python(definition, args)
    refs = args.get('ANSIBLE_INSTALL_REFS', '').split()
    installs = check_installs(refs, python)
    check_matrix(refs, python)
    shipped, introspected = check_collection(context, tarball)
    check_refuses_without_tarball(definition_path)
    print('check-ee-context: %s, Python %s (%s), package manager %s' % (base, python, args['PYCMD'], args['PKGMGR']))
    print('check-ee-context: installs on Python %s: %s' % (python, '; '.join(installs)))
    print('check-ee-context: %s in the context; introspection: %s' % (shipped, '; '.join(introspected)))


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__.split('\n\n')[1])
    main(*sys.argv[1:])
