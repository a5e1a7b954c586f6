#!/usr/bin/python3
"""The C side of the Blosc benchmarks: Debian's c-blosc 1.21 (python-blosc, numcodecs 0.11, zarr-python 2.13).

    side_by_side.py OUTDIR

Writes into OUTDIR the inputs the C# benchmarks read (so both sides decode the very same bytes):
  <data>.raw                      4 MiB of float32 (data: "noisy", a smooth field with measurement noise in the
                                  low mantissa bits; "smooth", the same field without noise)
  <data>.<cname>-<shuffle>.blosc  frames written by c-blosc at clevel 5: lz4-shuffle, zstd-shuffle, blosclz-bitshuffle
  array-lz4.zarr, array-zstd.zarr 64 MiB float32 v2 arrays (4096 x 4096, 16 chunks of 4 MiB), Blosc lz4 or zstd + shuffle
and prints, and writes to OUTDIR/c_results.json, the C library's figures on this machine:
  * decompression of each frame into a preallocated buffer, one thread and two (blosc_set_nthreads), best of 7
    runs of 20;
  * a plain copy of 4 MiB (numpy.copyto), the bound for shuffles;
  * zarr-python reading each whole array from memory (a dict store), numcodecs' Blosc on 1 and 2 threads.
Run with /usr/bin/python3.
"""
import json
import os
import sys
import time

import blosc
import numcodecs
import numpy as np
import zarr

N = 1 << 20  # float32 values: 4 MiB
FRAMES = [("lz4", blosc.SHUFFLE, "lz4-shuffle"), ("zstd", blosc.SHUFFLE, "zstd-shuffle"), ("blosclz", blosc.BITSHUFFLE, "blosclz-bitshuffle")]


def field(n, noisy, seed=7):
    x = np.arange(n, dtype=np.float64)
    v = np.sin(x * 0.001) * 20 + 288.15 + np.cos(x * 0.00037) * 3
    if noisy:
        v = v + np.random.default_rng(seed).normal(0, 0.01, n)
    return v.astype("<f4")


def best(fn, runs=7, reps=20):
    fn()
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        for _ in range(reps):
            fn()
        t.append((time.perf_counter() - s) / reps)
    return min(t)


def main(out):
    os.makedirs(out, exist_ok=True)
    results = {"blosc": blosc.__version__, "blosclib": blosc.blosclib_version, "numcodecs": numcodecs.__version__,
               "zarr": zarr.__version__, "frames": {}}
    dest = np.empty(N, dtype="<f4")
    ptr = dest.__array_interface__["data"][0]
    for data in ["noisy", "smooth"]:
        raw = field(N, data == "noisy").tobytes()
        with open(os.path.join(out, data + ".raw"), "wb") as f:
            f.write(raw)
        for cname, shuffle, name in FRAMES:
            frame = blosc.compress(raw, typesize=4, clevel=5, shuffle=shuffle, cname=cname)
            with open(os.path.join(out, "%s.%s.blosc" % (data, name)), "wb") as f:
                f.write(frame)
            row = {"ratio": len(raw) / len(frame)}
            for threads in (1, 2):
                blosc.set_nthreads(threads)
                s = best(lambda: blosc.decompress_ptr(frame, ptr))
                assert dest.tobytes() == raw
                row["threads%d_ms" % threads] = s * 1e3
                row["threads%d_MBps" % threads] = len(raw) / s / 1e6
            results["frames"]["%s.%s" % (data, name)] = row
            print("%-26s ratio %5.2f  C 1 thread %7.0f MB/s  2 threads %7.0f MB/s" % (
                data + "." + name, row["ratio"], row["threads1_MBps"], row["threads2_MBps"]))
    a = np.frombuffer(raw, dtype=np.uint8)
    b = np.empty_like(a)
    s = best(lambda: np.copyto(b, a))
    results["memcpy_MBps"] = len(raw) / s / 1e6
    print("memcpy 4 MiB %.0f MB/s" % results["memcpy_MBps"])

    # the array read path: 64 MiB, 16 chunks of 4 MiB, Blosc lz4 or zstd + shuffle, read from memory
    results["arrays"] = {}
    for cname in ["lz4", "zstd"]:
        path = os.path.join(out, "array-%s.zarr" % cname)
        if not os.path.exists(os.path.join(path, ".zarray")):
            z = zarr.open(zarr.DirectoryStore(path), mode="w", shape=(4096, 4096), chunks=(1024, 1024), dtype="<f4",
                          compressor=numcodecs.Blosc(cname, 5, numcodecs.Blosc.SHUFFLE))
            for i in range(4):
                z[i * 1024:(i + 1) * 1024, :] = field(1024 * 4096, True, seed=i).reshape(1024, 4096)
        store = dict(zarr.DirectoryStore(path).items())
        arr = zarr.open(store, mode="r")
        row = {}
        for threads in (1, 2):
            numcodecs.blosc.set_nthreads(threads)
            s = best(lambda: arr[...], runs=5, reps=3)
            row["threads%d_ms" % threads] = s * 1e3
        results["arrays"][cname] = row
        print("zarr-python reads the 64 MiB %s array: %.1f ms with 1 blosc thread, %.1f ms with 2" % (cname, row["threads1_ms"], row["threads2_ms"]))
    with open(os.path.join(out, "c_results.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
