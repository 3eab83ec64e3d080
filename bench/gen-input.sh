# bench/gen-input.sh — the reference inputs of bench/run, generated once into the work folder
#
# Sourced by bench/run (needs $WORK, $CLI and the log/step helpers defined there).
#
# SPDX-License-Identifier: GPL-3.0-or-later

# The demo site's three dates at 4096² (0.25 m of synthetic ground each), the material every
# mosaic is cut from: real-looking fields, tracks, vehicles and buildings, not a gradient.
gen_demo ()
{
  if [ -f "$WORK/demo/2022-02-21_site.tif" ]; then
    return
  fi
  log "generating the demo scenes (4096², three dates)"
  "$CLI" demo "$WORK/demo" --size 4096 --no-project >/dev/null
}

# A VRT of SIDE × SIDE pixels tiling the three demo dates in a diagonal pattern (neighbouring
# 4096² blocks come from different dates), georeferenced in UTM 36N at 0.5 m.
write_mosaic_vrt ()
{
  local side=$1 vrt=$2
  local n=$(( (side + 4095) / 4096 ))
  local dates=(2022-01-18 2022-02-06 2022-02-21)

  {
    printf '<VRTDataset rasterXSize="%d" rasterYSize="%d">\n' "$side" "$side"
    printf '  <SRS>EPSG:32636</SRS>\n'
    printf '  <GeoTransform>500000, 0.5, 0, 6060000, 0, -0.5</GeoTransform>\n'
    for band in 1 2 3; do
      local interp
      interp=$(echo Red Green Blue | cut -d' ' -f$band)
      printf '  <VRTRasterBand dataType="Byte" band="%d">\n    <ColorInterp>%s</ColorInterp>\n' "$band" "$interp"
      for ((j = 0; j < n; j++)); do
        for ((i = 0; i < n; i++)); do
          local d=${dates[$(( (i + 2 * j) % 3 ))]}
          local w=$(( side - i * 4096 < 4096 ? side - i * 4096 : 4096 ))
          local h=$(( side - j * 4096 < 4096 ? side - j * 4096 : 4096 ))
          printf '    <SimpleSource><SourceFilename relativeToVRT="1">demo/%s_site.tif</SourceFilename>' "$d"
          printf '<SourceBand>%d</SourceBand><SrcRect xOff="0" yOff="0" xSize="%d" ySize="%d"/>' "$band" "$w" "$h"
          printf '<DstRect xOff="%d" yOff="%d" xSize="%d" ySize="%d"/></SimpleSource>\n' \
                 $(( i * 4096 )) $(( j * 4096 )) "$w" "$h"
        done
      done
      printf '  </VRTRasterBand>\n'
    done
    printf '</VRTDataset>\n'
  } > "$vrt"
}

# ref-SIDE.tif: 3-band JPEG-tiled GeoTIFF (YCbCr, quality 85, 256² tiles), no overviews, with
# sensor-like grain so it is as dense as real imagery (about 0.21 byte a pixel, see
# make-reference.py).
gen_reference ()
{
  local side=$1 out="$WORK/ref-$1.tif"

  if [ -f "$out" ]; then
    return
  fi
  gen_demo
  log "generating $out (${side}², JPEG YCbCr q85, 256 px tiles, no overviews)"
  write_mosaic_vrt "$side" "$WORK/mosaic-$side.vrt"
  /usr/bin/python3 "$BENCH_DIR/make-reference.py" "$WORK/mosaic-$side.vrt" "$out.part" 5
  mv "$out.part" "$out"
}

# ref-SIDE-ovr.tif: the same with internal overviews (average, JPEG YCbCr q85).
gen_reference_ovr ()
{
  local side=$1 src="$WORK/ref-$1.tif" out="$WORK/ref-$1-ovr.tif"

  if [ -f "$out" ]; then
    return
  fi
  gen_reference "$side"
  log "generating $out (internal overviews)"
  cp "$src" "$out.part"
  GDAL_NUM_THREADS=ALL_CPUS GDAL_CACHEMAX=64 gdaladdo -q -r average \
    --config COMPRESS_OVERVIEW JPEG --config PHOTOMETRIC_OVERVIEW YCBCR \
    --config INTERLEAVE_OVERVIEW PIXEL --config JPEG_QUALITY_OVERVIEW 85 "$out.part"
  mv "$out.part" "$out"
}

# ref-jp2.jp2: an 8192² crop of the reference transcoded to JPEG 2000 (OpenJPEG, its default
# lossy quality, 1024² code blocks).
gen_jp2 ()
{
  local side=$1 out="$WORK/ref-jp2.jp2" crop=8192 off

  if [ -f "$out" ]; then
    return
  fi
  gen_reference "$side"
  if [ "$side" -lt "$crop" ]; then
    crop=$side
  fi
  off=$(( (side - crop) / 2 ))
  log "generating $out (${crop}² crop, JP2OpenJPEG)"
  GDAL_NUM_THREADS=ALL_CPUS gdal_translate -q -of JP2OpenJPEG -srcwin "$off" "$off" "$crop" "$crop" \
    -mo "TIFFTAG_DATETIME=2022:03:01 09:00:00" "$WORK/ref-$side.tif" "$out.part.jp2"
  mv "$out.part.jp2" "$out"
  rm -f "$out.part.jp2.aux.xml"
}
