#!/usr/bin/python3
"""Create the remote benchmark's MUR-SST-like dataset with zarr-python 2.13 (Debian's python3-zarr).

Usage: /usr/bin/python3 make_mur_dataset.py OUT.zarr NLAT NLON POINT_LAT POINT_LON

A Zarr v2 group laid out like the MUR SST store on AWS: `analysed_sst`, int16 [730, NLAT, NLON], chunks
[5, 90, 180], Blosc(zstd, clevel 5, byte shuffle), fill value -32768 (land), CF packing (scale_factor 0.001,
add_offset 298.15, units kelvin); `lat`, `lon` (float32) and `time` (int32 days since 2002-06-01)
coordinates; xarray's _ARRAY_DIMENSIONS; consolidated metadata (.zmetadata) as zarr-python writes it.
The field is smooth: a latitude profile, a seasonal cycle, slowly moving eddies and 0.02 K of noise,
over a fixed land mask of about 30 %.
Prints one JSON line: shapes, bytes, sha256 of the whole analysed_sst (C order, little-endian int16)
and of the time series at (POINT_LAT, POINT_LON), which must be ocean.
"""

import hashlib
import json
import os
import sys

import numcodecs
import numpy as np
import zarr

TIMES, TCHUNK = 730, 5
FILL = -32768


def land_mask(lat, lon):
    la, lo = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
    continents = (np.sin(2 * lo + 0.7) * np.cos(3 * la) + 0.6 * np.sin(5 * lo - 1.3 * la + 2.0)
                  + 0.4 * np.cos(7 * la + 3 * lo))
    polar = np.abs(lat)[:, None] > 78
    return (continents > 0.75) | polar


def block(t0, n, lat, lon, rng):
    t = np.arange(t0, t0 + n, dtype=np.float64)[:, None, None]
    la = np.deg2rad(lat)[None, :, None]
    lo = np.deg2rad(lon)[None, None, :]
    kelvin = (271.5 + 30.0 * np.cos(la) ** 2
              + 2.5 * np.sin(2 * np.pi * t / 365.25) * np.sin(la)
              + 0.8 * np.sin(9 * lo + 2 * np.pi * t / 60.0) * np.cos(11 * la)
              + 0.3 * np.sin(23 * lo - 17 * la + 2 * np.pi * t / 20.0)
              + 0.02 * rng.standard_normal((n, lat.size, lon.size)))
    return np.round((kelvin - 298.15) / 0.001).astype(np.int16)


def main():
    out, nlat, nlon, pi, pj = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    lat = (-90 + (np.arange(nlat) + 0.5) * 180.0 / nlat).astype(np.float32)
    lon = (-180 + (np.arange(nlon) + 0.5) * 360.0 / nlon).astype(np.float32)
    land = land_mask(lat.astype(np.float64), lon.astype(np.float64))
    if land[pi, pj]:
        raise SystemExit(f"the point ({pi}, {pj}) is land; choose an ocean point")

    root = zarr.open_group(out, mode="w")
    root.attrs.update({"title": "MUR-SST-like synthetic analysis (Zarr.Cloud remote benchmark)", "Conventions": "CF-1.7"})
    compressor = numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
    sst = root.create_dataset("analysed_sst", shape=(TIMES, nlat, nlon), chunks=(TCHUNK, 90, 180), dtype="<i2",
                              compressor=compressor, fill_value=FILL)
    sst.attrs.update({"_ARRAY_DIMENSIONS": ["time", "lat", "lon"], "long_name": "analysed sea surface temperature",
                      "standard_name": "sea_surface_foundation_temperature", "units": "kelvin",
                      "scale_factor": 0.001, "add_offset": 298.15, "_FillValue": FILL,
                      "valid_min": -32767, "valid_max": 32767, "coordinates": "lat lon"})
    for name, values, attrs in [
        ("lat", lat, {"_ARRAY_DIMENSIONS": ["lat"], "units": "degrees_north", "standard_name": "latitude"}),
        ("lon", lon, {"_ARRAY_DIMENSIONS": ["lon"], "units": "degrees_east", "standard_name": "longitude"}),
        ("time", np.arange(TIMES, dtype=np.int32), {"_ARRAY_DIMENSIONS": ["time"], "units": "days since 2002-06-01",
                                                    "calendar": "gregorian", "standard_name": "time"}),
    ]:
        a = root.create_dataset(name, data=values, chunks=values.shape, compressor=compressor)
        a.attrs.update(attrs)

    rng = np.random.default_rng(20020601)
    sha = hashlib.sha256()
    series = np.empty(TIMES, dtype=np.int16)
    for t0 in range(0, TIMES, TCHUNK):
        b = block(t0, TCHUNK, lat, lon, rng)
        b[:, land] = FILL
        sst[t0:t0 + TCHUNK] = b
        sha.update(memoryview(np.ascontiguousarray(b)).cast("B"))
        series[t0:t0 + TCHUNK] = b[:, pi, pj]
    zarr.consolidate_metadata(out)

    stored = 0
    for dirpath, _, files in os.walk(os.path.join(out, "analysed_sst")):
        stored += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files if not f.startswith("."))
    raw = TIMES * nlat * nlon * 2
    print(json.dumps({
        "zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "numpy": np.__version__,
        "shape": [TIMES, nlat, nlon], "chunks": [TCHUNK, 90, 180], "chunk_count": sst.nchunks,
        "land_fraction": float(land.mean()), "raw_bytes": raw, "stored_bytes": stored, "ratio": raw / stored,
        "sha256": sha.hexdigest(), "point": [pi, pj], "series_sha256": hashlib.sha256(series.tobytes()).hexdigest(),
    }))


if __name__ == "__main__":
    main()
