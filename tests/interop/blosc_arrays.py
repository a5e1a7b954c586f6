#!/usr/bin/python3
"""Zarr v2 arrays compressed with numcodecs' Blosc, written by zarr-python 2.13 (Debian's python3-zarr).

    blosc_arrays.py OUTDIR

Writes OUTDIR/data.zarr (one array per case), OUTDIR/expected/<name>.npy (the array as zarr-python reads it
back) and OUTDIR/manifest.json ({"arrays": [{"path", "dtype", "expected", "compressor"}]}). Cases: every cname,
shuffle -1 (AUTOSHUFFLE), 0, 1 and 2, levels 0..9, explicit block sizes, dtypes of 1 to 20 bytes (both byte
orders), ragged edge chunks, and chunks of 1 MiB and more (many blocks per frame). Deterministic.
"""
import json
import os
import shutil
import sys

import numcodecs
import numpy as np
import zarr

CNAMES = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"]


def data(rng, dtype, shape):
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "f":
        v = np.sin(np.arange(n) * 0.01) * 100 + rng.normal(0, 0.1, n)
        v[::97] = np.nan
        return v.astype(dt).reshape(shape)
    if dt.kind == "c":
        return (rng.normal(0, 1, n) + 1j * np.arange(n)).astype(dt).reshape(shape)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return (np.arange(n) * 7 % 1000 + rng.integers(0, 3, n)).clip(info.min, info.max).astype(dt).reshape(shape)
    if dt.kind == "b":
        return (rng.integers(0, 2, n) == 1).reshape(shape)
    if dt.kind == "M":
        return (np.int64(1_700_000_000_000_000_000) + np.arange(n, dtype=np.int64) * 1_000_003).view(dt).reshape(shape)
    if dt.kind == "S":
        return np.array([b"blosc"[: i % 6] for i in range(n)], dtype=dt).reshape(shape)
    if dt.kind == "U":
        return np.array([["héllo", "", "日本", "z"][i % 4] for i in range(n)], dtype=dt).reshape(shape)
    raise ValueError(dtype)


def main(out):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "expected"))
    store = zarr.DirectoryStore(os.path.join(out, "data.zarr"))
    root = zarr.group(store=store)
    cases = []
    small = ["|i1", "|u1", "<i2", ">u2", "<i4", "<f4", ">f4", "<f8", "<i8", "<c16", "|S7", "<U5", "<M8[ns]", "|b1"]
    for i, dtype in enumerate(small):
        for j, shuffle in enumerate([-1, 0, 1, 2]):
            cname = CNAMES[(i + j) % len(CNAMES)]
            clevel = [5, 1, 9, 3, 0][(i + j) % 5]
            cases.append(("%s.%s.%d.s%d" % (dtype.replace("|", "").replace("<", "").replace(">", "be_").replace("[", "_").replace("]", ""), cname, clevel, shuffle),
                          dtype, (37, 29), (16, 12), numcodecs.Blosc(cname=cname, clevel=clevel, shuffle=shuffle)))
    for cname in CNAMES:
        cases.append(("f4.big.%s" % cname, "<f4", (600, 700), (512, 512), numcodecs.Blosc(cname=cname, clevel=5, shuffle=1)))
        cases.append(("f8.bits.%s" % cname, "<f8", (300, 200), (256, 200), numcodecs.Blosc(cname=cname, clevel=7, shuffle=2)))
    cases.append(("i2.blocksize256", "<i2", (1000,), (700,), numcodecs.Blosc(cname="lz4", clevel=5, shuffle=1, blocksize=256)))
    cases.append(("u8.blocksize4096", "<u8", (50, 50), (40, 40), numcodecs.Blosc(cname="blosclz", clevel=9, shuffle=2, blocksize=4096)))
    manifest = []
    for k, (name, dtype, shape, chunks, comp) in enumerate(cases):
        rng = np.random.default_rng(k)
        a = root.create_dataset(name, shape=shape, chunks=chunks, dtype=dtype, compressor=comp, fill_value=None if dtype[1] in "SU" else 0)
        a[...] = data(rng, dtype, shape)
        np.save(os.path.join(out, "expected", name + ".npy"), a[...], allow_pickle=False)
        manifest.append(dict(path=name, dtype=np.dtype(dtype).str, expected="expected/%s.npy" % name, compressor=comp.get_config()))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"arrays": manifest}, f, indent=1)
    print("%d arrays" % len(manifest))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
