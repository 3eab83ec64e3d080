#!/usr/bin/env python3
# Checks the shared-mime-info package: it uses only elements of the shared-mime-info spec
# (update-mime-database silently ignores a misspelt one, e.g. a lost <sub-class-of>), it compiles
# without a warning, the project type is a subclass of SQLite, and GIO, with the system database
# plus this package, detects
#   - project.sitelapse.gpkg / project.sitelapse  as the project type, by their globs;
#   - an SQLite file named *.sitelapse            as the project type, by its glob alone;
#   - a GeoPackage with no extension              NOT as the project type (no magic rule);
#   - a plain SQLite database with no extension   as application/vnd.sqlite3, not as a project.
# usage: check-mime.py MIME_XML UPDATE_MIME_DATABASE GIO
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PROJECT_TYPE = 'application/x-sitelapse-project'
PARENT_TYPE = 'application/vnd.sqlite3'
MIME_NS = '{http://www.freedesktop.org/standards/shared-mime-info}'
SPEC_ELEMENTS = {
    'mime-info', 'mime-type', 'comment', 'acronym', 'expanded-acronym', 'icon', 'generic-icon',
    'glob', 'glob-deleteall', 'magic', 'magic-deleteall', 'match', 'alias', 'sub-class-of',
    'root-XML', 'treemagic', 'treematch',
}
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"

mime_xml, update_mime_database, gio = sys.argv[1:4]
failures = []


def make_sqlite(path, application_id):
    db = sqlite3.connect(path)
    if application_id is not None:
        db.execute(f'PRAGMA application_id = {application_id}')
    db.execute('CREATE TABLE t (x INTEGER)')
    db.commit()
    db.close()


def content_type(path, env):
    proc = subprocess.run([gio, 'info', '--attributes=standard::content-type', path],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f'gio info {path} failed: {proc.stderr.strip()}')
    for line in proc.stdout.splitlines():
        key, _, value = line.strip().partition(': ')
        if key == 'standard::content-type':
            return value
    sys.exit(f'gio info {path} printed no content type:\n{proc.stdout}')


try:
    root = ET.parse(mime_xml).getroot()
except ET.ParseError as error:
    sys.exit(f'{mime_xml}: not well-formed XML: {error}')
for element in root.iter():
    name = element.tag[len(MIME_NS):] if element.tag.startswith(MIME_NS) else element.tag
    if not element.tag.startswith(MIME_NS) or name not in SPEC_ELEMENTS:
        sys.exit(f'{mime_xml}: <{name}> is not a shared-mime-info element')

with tempfile.TemporaryDirectory() as tmp:
    share = os.path.join(tmp, 'share')
    packages = os.path.join(share, 'mime', 'packages')
    os.makedirs(packages)
    shutil.copy(mime_xml, os.path.join(packages, 'sitelapse.xml'))

    env = dict(os.environ)
    env['XDG_DATA_HOME'] = os.path.join(tmp, 'empty-data-home')
    env['XDG_DATA_DIRS'] = share + ':' + env.get('XDG_DATA_DIRS', '/usr/local/share:/usr/share')
    env['GIO_USE_VFS'] = 'local'

    # With the folder on XDG_DATA_DIRS, anything update-mime-database prints is a complaint.
    proc = subprocess.run([update_mime_database, os.path.join(share, 'mime')], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0 or proc.stdout.strip() or proc.stderr.strip():
        print(proc.stdout + proc.stderr, end='')
        sys.exit(f'update-mime-database rejected {mime_xml}')

    generated = os.path.join(share, 'mime', 'application', 'x-sitelapse-project.xml')
    if not os.path.exists(generated):
        sys.exit(f'{mime_xml} does not define {PROJECT_TYPE}')
    with open(os.path.join(share, 'mime', 'subclasses')) as subclasses:
        if f'{PROJECT_TYPE} {PARENT_TYPE}' not in subclasses.read().splitlines():
            sys.exit(f'{PROJECT_TYPE} is not declared a subclass of {PARENT_TYPE}')

    files = os.path.join(tmp, 'files')
    os.makedirs(files)
    cases = [
        ('project.sitelapse.gpkg', GPKG_APPLICATION_ID, PROJECT_TYPE),
        ('project.sitelapse', GPKG_APPLICATION_ID, PROJECT_TYPE),
        ('not-yet-a-geopackage.sitelapse', None, PROJECT_TYPE),
        # Any other GeoPackage is not claimed: it is a project only if Sitelapse made it.
        ('geopackage-without-extension', GPKG_APPLICATION_ID, 'application/vnd.sqlite3'),
        ('sqlite-without-extension', None, 'application/vnd.sqlite3'),
    ]
    for name, application_id, expected in cases:
        path = os.path.join(files, name)
        make_sqlite(path, application_id)
        found = content_type(path, env)
        status = 'ok' if found == expected else 'FAIL'
        print(f'{status}: {name}: {found} (expected {expected})')
        if found != expected:
            failures.append(name)

sys.exit(1 if failures else 0)
