#!/usr/bin/python3
# bench/report.py — the table of bench/run: our figures, the peers', ratios and targets
#
# Usage: report.py RESULTS.jsonl SIDE
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import re
import statistics
import sys

REPEAT = re.compile(r'^(.*)_r(\d+)\.(.*)$')


def load(path):
    """Figures by name; repeated runs (LABEL_rN.metric) folded into LABEL.metric: the best
    (lowest) of two, the median of three or more, the highest peak RSS. spread[name] keeps
    (lowest, highest, runs)."""
    figures, repeats, spread = {}, {}, {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('{'):
                for name, fig in json.loads(line)['figures'].items():
                    m = REPEAT.match(name)
                    if m:
                        repeats.setdefault(f'{m.group(1)}.{m.group(3)}', []).append(fig['value'])
                    else:
                        figures[name] = fig['value']
    for name, values in repeats.items():
        if name.endswith('peak_rss'):
            figures[name] = max(values)
        elif len(values) >= 3:
            figures[name] = statistics.median(values)
        else:
            figures[name] = min(values)
        spread[name] = (min(values), max(values), len(values))
    return figures, spread


def main():
    figures, spread = load(sys.argv[1])
    side = sys.argv[2]
    rows = []

    def get(name):
        return figures.get(name)

    def row(section, what, ours, peer='', ratio='', target='', ok=None):
        verdict = '' if ok is None else ('ok' if ok else 'MISSED')
        rows.append((section, what, ours, peer, ratio, target, verdict))

    def ms(v):
        return '–' if v is None else (f'{v:.0f} ms' if v >= 100 else f'{v:.1f} ms')

    def runs(name):
        """' (median of 3: 30.1–41.0)' for a repeated figure."""
        if name not in spread or spread[name][2] < 2:
            return ''
        lo, hi, n = spread[name]
        kind = 'median' if n >= 3 else 'best'
        return f' ({kind} of {n}: {ms(lo)[:-3]}–{ms(hi)})' if name.endswith('_ms') else f' ({kind} of {n})'

    def sec(v):
        return '–' if v is None else f'{v:.2f} s'

    def have(*names):
        return all(get(n) is not None for n in names)

    # 1. Display pyramid vs gdaladdo.
    if have('pyramid_ovr.time', 'gdaladdo.time'):
        r = get('pyramid_ovr.time') / get('gdaladdo.time')
        row('1', 'display pyramid, no-overview source', f"{sec(get('pyramid_ovr.time'))} (CPU {sec(get('pyramid_ovr.cpu'))})",
            f"gdaladdo -r average {sec(get('gdaladdo.time'))} (CPU {sec(get('gdaladdo.cpu'))})",
            f'{r:.2f}x the time', '<= 0.7x', r <= 0.7)

    # 2. Self-contained pyramid vs vips dzsave; per-core rate; the writer.
    if have('pyramid_full.time', 'vips.time'):
        r = get('vips.time') / get('pyramid_full.time')
        row('2', 'self-contained pyramid', f"{sec(get('pyramid_full.time'))} (CPU {sec(get('pyramid_full.cpu'))})",
            f"vips dzsave {sec(get('vips.time'))} (CPU {sec(get('vips.cpu'))})", f'{r:.2f}x faster', '>= 2.5x',
            r >= 2.5)
        v = get('pyramid_full.tiles_per_s_per_core')
        row('2', 'tiles/s per core (full pyramid)', f'{v:.0f}',
            f"{get('pyramid_full.tiles_per_cpu_s'):.0f} tiles per CPU-second" if have('pyramid_full.tiles_per_cpu_s') else '',
            '', '>= 1800', v >= 1800)
        row('2', 'writer during the build', f"{get('pyramid_full.writer_tiles_per_s'):.0f} tiles/s",
            f"{get('pyramid_full.writer_batches'):.0f} batches", '', '(producer-bound)')
    if have('writer.tiles_per_s'):
        v = get('writer.tiles_per_s')
        row('2', 'writer alone, sustained', f'{v:.0f} tiles/s', f"{get('writer.mb_per_s'):.0f} MB/s", '',
            '>= 10000', v >= 10000)

    if have('codec.opaque_jpeg_decode_ms', 'codec.edge_png_decode_ms'):
        row('2', 'codec, opaque tile: JPEG encode / decode / size',
            f"{get('codec.opaque_jpeg_encode_ms'):.2f} / {get('codec.opaque_jpeg_decode_ms'):.2f} ms / "
            f"{get('codec.opaque_jpeg_kb'):.0f} KB",
            f"WebP {get('codec.opaque_webp_encode_ms'):.2f} / {get('codec.opaque_webp_decode_ms'):.2f} ms / "
            f"{get('codec.opaque_webp_kb'):.0f} KB", '', '(info)')
        if have('codec.edge_stored_decode_ms'):
            row('2', 'codec, edge tile as stored (JPEG + alpha runs)',
                f"{get('codec.edge_stored_encode_ms'):.2f} / {get('codec.edge_stored_decode_ms'):.2f} ms / "
                f"{get('codec.edge_stored_kb'):.0f} KB",
                f"PNG {get('codec.edge_png_encode_ms'):.2f} / {get('codec.edge_png_decode_ms'):.2f} ms / "
                f"{get('codec.edge_png_kb'):.0f} KB", '', '(info)')
        row('2', 'codec, edge tile (partial): PNG encode / decode / size',
            f"{get('codec.edge_png_encode_ms'):.2f} / {get('codec.edge_png_decode_ms'):.2f} ms / "
            f"{get('codec.edge_png_kb'):.0f} KB",
            f"WebP {get('codec.edge_webp_encode_ms'):.2f} / {get('codec.edge_webp_decode_ms'):.2f} ms / "
            f"{get('codec.edge_webp_kb'):.0f} KB", '', '(info)')

    # 3. First frame of a reopened project vs GDAL on the source.
    for view, gdal_same in (('fit', 'gdal_fit'), ('100', 'gdal_100')):
        name = f'cached_{view}'
        if not have(f'{name}.complete_ms'):
            continue
        total = get(f'{name}.total_ms')
        frame = get(f'{name}.complete_ms')
        label = 'fit' if view == 'fit' else '100 %'
        cpu = get(f'{name}.cpu_ms')
        row('3', f'first frame, cached, {label} (open + tiles)', f'{ms(total)}{runs(f"{name}.total_ms")}',
            f'tiles alone {ms(frame)}' + (f', CPU {ms(cpu)}' if cpu is not None else ''), '', '< 30 ms', total < 30)
        if have(f'{gdal_same}.total_ms'):
            g = get(f'{gdal_same}.total_ms')
            row('3', f'  vs GDAL RasterIO of the same view', '', f'no overviews {ms(g)}', f'{g / total:.1f}x faster',
                '>= 50x' if view == 'fit' else '>= 1x', g / total >= (50 if view == 'fit' else 1))
        if view == 'fit' and have('gdal_ovr_fit.total_ms'):
            g = get('gdal_ovr_fit.total_ms')
            row('3', '  vs GDAL, source with overviews', '', ms(g), f'{g / total:.1f}x faster', '>= 1x', g / total >= 1)
        if have(f'{name}.render_view_ms'):
            row('3', f'  sl_scene_render_view, new cache (CLI path)', ms(get(f'{name}.render_view_ms')), '', '',
                '(info)')

    # 4. Nothing cached.
    for name, what, target in (('src_ovr_fit', 'overviews, fit', 50), ('src_ovr_100', 'overviews, 100 %', 50),
                               ('src_100', 'no overviews, 100 %', 50)):
        if have(f'{name}.complete_ms'):
            v = get(f'{name}.complete_ms')
            row('4', f'first frame from source, {what}', f'{ms(v)}{runs(f"{name}.complete_ms")}',
                f"+ open {ms(get(f'{name}.open_ms'))}", '', f'< {target} ms', v < target)
    if have('src_fit.complete_ms'):
        row('4', 'no overviews, fit: first tile', ms(get('src_fit.first_tile_ms')), '', '', '(progressive)')
        row('4', 'no overviews, fit: coarse cover complete', ms(get('src_fit.coarse_ms')),
            'averaged from the drawn level once it is in', '', '')
        v = get('src_fit.complete_ms')
        g = get('gdal_fit.total_ms')
        cpu = get('src_fit.cpu_ms')
        row('4', 'no overviews, fit: complete', f'{ms(v)}{runs("src_fit.complete_ms")}',
            (f'GDAL RasterIO {ms(g)}' if g else '') + (f', CPU {ms(cpu)}' if cpu is not None else ''), '',
            '< 2500 ms', v < 2500)

    # 5. Panning.
    for name, what in (('pan_cached', 'cached'), ('pan_src_ovr', 'from source with overviews')):
        if not have(f'{name}.latency_p95_ms'):
            continue
        cpu = get(f'{name}.main_cpu_per_frame_ms')
        row('5', f'pan {what}: main-thread CPU per frame (mean)', ms(cpu),
            'results, LRU, bookkeeping', '', '< 4 ms', cpu < 4)
        p95 = get(f'{name}.frame_p95_us') / 1000
        row('5', f'pan {what}: keys + lookups + want, p95', ms(p95),
            f"keys {get(f'{name}.keys_p95_us'):.0f} us, lookups {get(f'{name}.lookup_p95_us'):.0f} us, "
            f"want {get(f'{name}.want_p95_us'):.0f} us (max {get(f'{name}.frame_max_us') / 1000:.1f} ms)",
            '', '< 4 ms', p95 < 4)
        p95 = get(f'{name}.latency_p95_ms')
        row('5', f'pan {what}: new tile latency p50 / p95', f"{ms(get(f'{name}.latency_p50_ms'))} / {ms(p95)}",
            f"{get(f'{name}.arrived_tiles'):.0f} tiles, {get(f'{name}.fps'):.0f} fps", '', 'p95 < 50 ms',
            p95 < 50)

    # 6. Memory.
    for name, what in (('pyramid_ovr', 'display pyramid build'), ('pyramid_full', 'self-contained build'),
                       ('sweep_cached', 'whole image at 100 %, cached'),
                       ('sweep_src', 'whole image at 100 %, from source'),
                       ('sweep_ovr_project', 'whole image at 100 %, display pyramid + source'),
                       ('big_pyramid_ovr', '60000²: display pyramid build'),
                       ('big_sweep', '60000²: whole image at 100 %')):
        if have(f'{name}.peak_rss'):
            v = get(f'{name}.peak_rss')
            peer = ''
            if name == 'pyramid_ovr' and have('gdaladdo.peak_rss'):
                peer = f"gdaladdo {get('gdaladdo.peak_rss'):.0f} MB"
            if name == 'pyramid_full' and have('vips.peak_rss'):
                peer = f"vips {get('vips.peak_rss'):.0f} MB"
            row('6', f'peak RSS, {what}', f'{v:.0f} MB', peer, '', '< 512 MB', v < 512)

    # 7. Throughput per worker.
    for name, what in (('tp_native', 'native level'), ('tp_down1', 'one level down')):
        if have(f'{name}.overhead'):
            v = get(f'{name}.overhead')
            row('7', f'tiles/s per worker, {what}', f"{get(f'{name}.ours_tiles_per_s'):.0f}",
                f"RasterIO {get(f'{name}.gdal_tiles_per_s'):.0f}", f'{v:+.0f} %', '< 20 %', v < 20)
            if have(f'{name}.gdal_argb_ms_per_tile'):
                row('7', '  RasterIO straight into an ARGB32-shaped buffer', '',
                    f"{1000 / get(f'{name}.gdal_argb_ms_per_tile'):.0f} tiles/s", '', '(what-if)')

    # 8. JPEG 2000.
    if have('jp2.first_visible_ms'):
        row('8', 'JP2: first visible tile', ms(get('jp2.first_visible_ms')),
            f"GDAL 100 % view {ms(get('gdal_jp2_100.total_ms'))}" if have('gdal_jp2_100.total_ms') else '', '',
            '(info)')
        row('8', 'JP2: visible region complete', ms(get('jp2.visible_complete_ms')),
            f"{get('jp2.visible_tiles'):.0f} tiles", '', '(info)')
        row('8', 'JP2: whole pyramid in the background', sec(get('jp2.pyramid_s')),
            f"{get('jp2.pyramid_tiles'):.0f} tiles", f"{get('jp2.pyramid_tiles_per_s'):.0f} tiles/s", '(info)')

    if have('run.elapsed', 'run.other_cpu'):
        share = 100 * get('run.other_cpu') / (get('run.elapsed') * get('run.cores'))
        print(f"\nOther processes used {get('run.other_cpu'):.0f} CPU-s of the {get('run.elapsed'):.0f} s run "
              f"({share:.0f} % of the machine){': figures are noisy' if share > 5 else ''}")
    print_table(f'Tile pipeline benchmarks, {side}² reference',
                ('#', 'measurement', 'ours', 'peer / context', 'ratio', 'target', ''), rows)
    missed = sum(1 for r in rows if r[6] == 'MISSED')
    print(f'\n{missed} target(s) missed' if missed else '\nevery target met')

    # What-ifs (bench/run --experiments): the reference next to the variant.
    experiments = []

    def compare(what, base, variant, fmt):
        if have(base, variant):
            b, v = get(base), get(variant)
            experiments.append((what, fmt(b), fmt(v), f'{v / b:.2f}x' if b else ''))

    compare('display pyramid, wall', 'pyramid_ovr.time', 'al_pyramid_ovr.time', sec)
    compare('display pyramid, CPU', 'pyramid_ovr.cpu', 'al_pyramid_ovr.cpu', sec)
    compare('self-contained pyramid, wall', 'pyramid_full.time', 'al_pyramid_full.time', sec)
    compare('self-contained pyramid, CPU', 'pyramid_full.cpu', 'al_pyramid_full.cpu', sec)
    compare('first frame cached, fit', 'cached_fit.complete_ms', 'al_cached_fit.complete_ms', ms)
    compare('first frame, source with overviews, fit', 'src_ovr_fit.complete_ms', 'al_src_ovr_fit.complete_ms', ms)
    compare('first frame, no overviews, 100 %', 'src_100.complete_ms', 'al_src_100.complete_ms', ms)
    compare('no overviews, 100 %: drawn level only', 'src_100.complete_ms', 'lo_src_100.complete_ms', ms)
    compare('no overviews, fit: drawn level only', 'src_fit.complete_ms', 'lo_src_fit.complete_ms', ms)
    compare('no overviews, fit: drawn level only, aligned', 'src_fit.complete_ms', 'lo_al_src_fit.complete_ms', ms)
    compare('GDAL fit view, average -> nearest', 'gdal_fit.total_ms', 'gdal_fit_nearest.total_ms', ms)
    compare('peak RSS sweeping from source, GDAL cache 64 -> 16 MB', 'sweep_src.peak_rss', 'sweep_src_gdal16.peak_rss',
            lambda v: f'{v:.0f} MB')
    if experiments:
        print_table('What-ifs (bench/run --experiments; "aligned": the 30208² reference whose tiles are source blocks)',
                    ('experiment', 'reference', 'variant', 'ratio'), experiments)


def print_table(title, header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(f'\n{title}')
    for r in [header] + rows:
        print('  '.join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


if __name__ == '__main__':
    main()
