#!/usr/bin/env python3
# Checks the Flatpak manifest offline: flatpak-builder parses it without a warning (it only warns
# about unknown keys), and the parts that a real build would discover late are sound: application
# id and command, the GNOME Platform and Sdk with a version, known build systems, every remote
# source pinned (sha256 for archives, a commit for git), the local source pointing at this tree,
# and the environment PROJ and GDAL need inside the sandbox.
# usage: check-flatpak-manifest.py FLATPAK_BUILDER MANIFEST APP_ID COMMAND
import json
import os
import re
import subprocess
import sys
import tempfile

flatpak_builder, manifest_path, app_id, command = sys.argv[1:5]
errors = []

BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}
REQUIRED_ENV = {
    'PROJ_DATA': '/app/share/proj',
    'GDAL_DATA': '/app/share/gdal',
    'GDAL_PAM_PROXY_DIR': None,
}

# flatpak-builder leaves a .flatpak-builder state folder in its working directory: use a
# throw-away one.
with tempfile.TemporaryDirectory() as tmp:
    proc = subprocess.run([flatpak_builder, '--show-manifest', os.path.abspath(manifest_path)],
                          cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if proc.returncode != 0:
    sys.exit(f'flatpak-builder cannot parse {manifest_path}:\n{proc.stderr}')
if proc.stderr.strip():
    sys.exit(f'flatpak-builder warns about {manifest_path}:\n{proc.stderr}')
manifest = json.loads(proc.stdout)


def check(condition, message):
    if not condition:
        errors.append(message)


check(manifest.get('id') == app_id, f'id is {manifest.get("id")!r}, expected {app_id!r}')
check(manifest.get('command') == command,
      f'command is {manifest.get("command")!r}, expected {command!r}')
check(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is not org.gnome.Platform')
check(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is not org.gnome.Sdk')
check(bool(manifest.get('runtime-version')), 'runtime-version is missing')

env = {}
for arg in manifest.get('finish-args', []):
    check(arg.startswith('--'), f'finish-arg {arg!r} does not start with --')
    if arg.startswith('--env='):
        name, _, value = arg[len('--env='):].partition('=')
        check('$' not in value, f'{arg}: finish-args are not expanded, {value!r} stays literal')
        env[name] = value
    check(arg != '--filesystem=host',
          '--filesystem=host: the documented choice is home plus removable media')
for name, value in REQUIRED_ENV.items():
    check(name in env, f'finish-args do not set {name}')
    if value is not None and name in env:
        check(env[name] == value, f'{name} is {env[name]!r}, expected {value!r}')

modules = manifest.get('modules', [])
names = [module.get('name') for module in modules if isinstance(module, dict)]
check(names[-1:] == ['sitelapse'], f'the last module is not sitelapse: {names}')
for dependency in ('proj', 'gdal'):
    check(dependency in names, f'no {dependency} module')
if 'proj' in names and 'gdal' in names:
    check(names.index('proj') < names.index('gdal'), 'gdal is built before proj')

manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
for module in modules:
    if not isinstance(module, dict):
        continue
    name = module.get('name')
    check(module.get('buildsystem', 'autotools') in BUILDSYSTEMS,
          f'{name}: unknown buildsystem {module.get("buildsystem")!r}')
    sources = module.get('sources', [])
    check(bool(sources), f'{name}: no sources')
    for source in sources:
        kind = source.get('type')
        if kind in ('archive', 'file'):
            check(source.get('url', '').startswith('https://'), f'{name}: {kind} url is not https')
            check(re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')) is not None,
                  f'{name}: {kind} source has no sha256 pin')
        elif kind == 'git':
            check(source.get('url', '').startswith('https://'), f'{name}: git url is not https')
            check(re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')) is not None,
                  f'{name}: git source is not pinned to a commit')
        elif kind == 'dir':
            path = os.path.normpath(os.path.join(manifest_dir, source.get('path', '')))
            check(os.path.isfile(os.path.join(path, 'meson.build')),
                  f'{name}: dir source {path} holds no meson.build')
        else:
            errors.append(f'{name}: unexpected source type {kind!r}')

for error in errors:
    print(f'FAIL: {error}')
if not errors:
    print(f'ok: {os.path.basename(manifest_path)}: {", ".join(names)}')
sys.exit(1 if errors else 0)
