"""Writes samples/data/sst.zarr with Debian's zarr-python 2.13: a small sea-surface-temperature-like
dataset (Zarr v2, zstd, consolidated metadata), shaped like the public MUR SST store so the demo reads
what users read. Run: /usr/bin/python3 samples/make_sample.py"""
import os, shutil
import numpy as np
import zarr
from numcodecs import Zstd

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sst.zarr")
shutil.rmtree(out, ignore_errors=True)
root = zarr.open_group(out, mode="w")
root.attrs.update({"title": "Synthetic daily SST (Zarr.Cloud sample)", "source": "samples/make_sample.py",
                   "Conventions": "CF-1.7"})
nt, ny, nx = 8, 90, 180
lat = np.linspace(-89, 89, ny, dtype="f4")
lon = np.linspace(-179, 179, nx, dtype="f4")
time = np.arange("2024-01-01", "2024-01-09", dtype="datetime64[D]").astype("datetime64[s]")
yy, xx = np.meshgrid(np.deg2rad(lat), np.deg2rad(lon), indexing="ij")
sst = np.empty((nt, ny, nx), dtype="f4")
for t in range(nt):
    sst[t] = 273.15 + 28 * np.cos(yy) ** 2 + 1.5 * np.sin(3 * xx + t / 4.0) * np.cos(yy)
land = (np.sin(2 * xx) * np.cos(3 * yy) > 0.6)
sst[:, land] = np.nan
a = root.create_dataset("analysed_sst", data=sst, chunks=(1, ny, nx), compressor=Zstd(level=1), fill_value=np.nan)
a.attrs.update({"units": "kelvin", "long_name": "analysed sea surface temperature", "_ARRAY_DIMENSIONS": ["time", "lat", "lon"]})
for name, values, units in (("lat", lat, "degrees_north"), ("lon", lon, "degrees_east")):
    v = root.create_dataset(name, data=values, chunks=values.shape, compressor=Zstd(level=1))
    v.attrs.update({"units": units, "_ARRAY_DIMENSIONS": [name]})
t = root.create_dataset("time", data=time, chunks=(nt,), compressor=None)
t.attrs.update({"_ARRAY_DIMENSIONS": ["time"]})
zarr.consolidate_metadata(out)
print("wrote", out)
