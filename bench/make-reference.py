#!/usr/bin/python3
# bench/make-reference.py — writes the benchmark's reference GeoTIFF from the demo mosaic VRT
#
# The demo scenes are synthetic and smoother than a real satellite image, so JPEG squeezes
# them to about 0.14 byte a pixel where real 0.5 m imagery takes about 0.2 (the 30000² file
# of PLATFORM-NOTES.md is 190 MB). Decoding cost follows the entropy, so we add sensor-like
# grain (Gaussian, per band, deterministic seed) until the file is as dense as real imagery.
#
# Usage: make-reference.py IN.vrt OUT.tif SIGMA
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
gdal.SetCacheMax(256 * 1024 * 1024)

STRIP = 512


def main():
    src_path, dst_path, sigma = sys.argv[1], sys.argv[2], float(sys.argv[3])
    src = gdal.Open(src_path)
    width, height, bands = src.RasterXSize, src.RasterYSize, src.RasterCount
    options = ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'COMPRESS=JPEG',
               'PHOTOMETRIC=YCBCR', 'JPEG_QUALITY=85', 'BIGTIFF=IF_SAFER', 'NUM_THREADS=ALL_CPUS']
    dst = gdal.GetDriverByName('GTiff').Create(dst_path, width, height, bands, gdal.GDT_Byte, options)
    dst.SetGeoTransform(src.GetGeoTransform())
    dst.SetProjection(src.GetProjection())
    dst.SetMetadataItem('TIFFTAG_DATETIME', '2022:03:01 09:00:00')
    rng = np.random.default_rng(20220301)

    for y in range(0, height, STRIP):
        h = min(STRIP, height - y)
        data = src.ReadRaster(0, y, width, h, band_list=list(range(1, bands + 1)))
        pixels = np.frombuffer(data, dtype=np.uint8).reshape(bands, h, width).astype(np.float32)
        # Luminance grain (shared by the bands) plus a little chroma noise, as a sensor gives.
        grain = rng.standard_normal((h, width), dtype=np.float32) * sigma
        for b in range(bands):
            pixels[b] += grain + rng.standard_normal((h, width), dtype=np.float32) * (sigma / 3)
        np.clip(pixels, 0, 255, out=pixels)
        dst.WriteRaster(0, y, width, h, pixels.astype(np.uint8).tobytes(),
                        band_list=list(range(1, bands + 1)))
    dst.FlushCache()
    dst = None


if __name__ == '__main__':
    main()
