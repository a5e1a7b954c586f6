#!/usr/bin/python3
"""Create the read-local benchmark dataset with zarr-python 2.13 (Debian's python3-zarr).

Usage: /usr/bin/python3 make_dataset.py OUT.zarr SIZE_MIB [DECIMALS]

A float32 Zarr v2 array of SIZE_MIB MiB, shape (SIZE_MIB * 256, 1024), chunks (256, 1024)
(1 MiB each), compressor numcodecs Zstd(level=1), no filters. The data is smooth, like a
geophysical field: a sum of sines in both axes plus small Gaussian noise (seeded). With DECIMALS,
values are rounded to that many decimal places (a measurement's precision), which compresses better.
Prints one JSON line: shape, chunks, stored bytes, compression ratio, sha256 of the data.
"""

import hashlib
import json
import os
import sys

import numcodecs
import numpy as np
import zarr


def field(row0, rows, cols, rng, decimals):
    i = np.arange(row0, row0 + rows, dtype=np.float64)[:, None]
    j = np.arange(cols, dtype=np.float64)[None, :]
    x = (15.0
         + 8.0 * np.sin(2 * np.pi * i / 4096 + j / 163.0)
         + 3.0 * np.sin(2 * np.pi * j / 97.0) * np.cos(2 * np.pi * i / 733.0)
         + 0.5 * np.sin(2 * np.pi * (i + j) / 41.0)
         + 0.01 * rng.standard_normal((rows, cols)))
    if decimals is not None:
        x = np.round(x, decimals)
    return x.astype(np.float32)


def main():
    out, size_mib = sys.argv[1], int(sys.argv[2])
    decimals = int(sys.argv[3]) if len(sys.argv) > 3 else None
    cols, chunk_rows = 1024, 256
    rows = size_mib * 256  # 1024 float32 = 4 KiB per row
    z = zarr.open(out, mode="w", shape=(rows, cols), chunks=(chunk_rows, cols), dtype="<f4",
                  compressor=numcodecs.Zstd(level=1), fill_value=0.0)
    rng = np.random.default_rng(20240501)
    sha = hashlib.sha256()
    block = 8192
    for r in range(0, rows, block):
        n = min(block, rows - r)
        a = field(r, n, cols, rng, decimals)
        z[r:r + n] = a
        sha.update(memoryview(a).cast("B"))
    stored = 0
    for name in os.listdir(out):
        if not name.startswith("."):
            stored += os.path.getsize(os.path.join(out, name))
    info = {
        "zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "numpy": np.__version__,
        "shape": [rows, cols], "chunks": [chunk_rows, cols], "dtype": "<f4", "compressor": "zstd level 1", "decimals": decimals,
        "raw_bytes": rows * cols * 4, "stored_bytes": stored, "ratio": rows * cols * 4 / stored,
        "sha256": sha.hexdigest(),
    }
    print(json.dumps(info))


if __name__ == "__main__":
    main()
