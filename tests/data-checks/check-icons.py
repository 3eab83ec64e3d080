#!/usr/bin/env python3
# Checks every icon: it parses as SVG, has the canvas its folder calls for (128 px for full-colour
# app icons, 16 px for symbolic ones), renders with librsvg, and symbolic icons use fills in the
# one symbolic colour only (GTK recolours symbolic icons by overriding fill, so a stroke or a
# second colour would stay dark on a dark theme).
# usage: check-icons.py RSVG_CONVERT ICON.svg...
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOUR = '#2e3436'
PAINT_ATTRIBUTES = ('fill', 'stroke')

rsvg_convert = sys.argv[1]
icons = sys.argv[2:]
errors = []


def fail(icon, message):
    errors.append(f'{os.path.basename(icon)}: {message}')


def paints(element):
    """(attribute, value) of every paint set on an element, as attributes or inline style."""
    for attribute in PAINT_ATTRIBUTES:
        if attribute in element.attrib:
            yield attribute, element.attrib[attribute].strip().lower()
    for declaration in element.attrib.get('style', '').split(';'):
        name, _, value = declaration.partition(':')
        if name.strip() in PAINT_ATTRIBUTES:
            yield name.strip(), value.strip().lower()


if not icons:
    sys.exit('no icons given')

with tempfile.TemporaryDirectory() as tmp:
    for icon in icons:
        try:
            root = ET.parse(icon).getroot()
        except ET.ParseError as error:
            fail(icon, f'not well-formed XML: {error}')
            continue
        if root.tag != SVG_NS + 'svg':
            fail(icon, f'root element is {root.tag}, not an SVG <svg>')
            continue

        symbolic = icon.endswith('-symbolic.svg')
        size = 16 if symbolic else 128
        expected = {'width': str(size), 'height': str(size), 'viewBox': f'0 0 {size} {size}'}
        for attribute, value in expected.items():
            found = re.sub(r'px$', '', root.attrib.get(attribute, '(missing)'))
            if found != value:
                fail(icon, f'{attribute} is {found}, expected {value}')

        if symbolic:
            for element in root.iter():
                for attribute, value in paints(element):
                    if attribute == 'stroke' and value != 'none':
                        fail(icon, f'<{element.tag[len(SVG_NS):]}> has a stroke: use a filled path')
                    elif attribute == 'fill' and value not in ('none', SYMBOLIC_COLOUR):
                        fail(icon, f'<{element.tag[len(SVG_NS):]}> is filled with {value}, '
                                   f'symbolic icons use {SYMBOLIC_COLOUR} only')

        png = os.path.join(tmp, 'icon.png')
        proc = subprocess.run([rsvg_convert, '--width', str(size), '--output', png, icon],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0 or proc.stdout.strip():
            fail(icon, f'rsvg-convert failed: {proc.stdout.strip()}')
        elif os.path.getsize(png) == 0:
            fail(icon, 'rsvg-convert wrote an empty image')
        else:
            print(f'ok: {os.path.basename(icon)} ({size}×{size})')

for error in errors:
    print(f'FAIL: {error}')
sys.exit(1 if errors else 0)
