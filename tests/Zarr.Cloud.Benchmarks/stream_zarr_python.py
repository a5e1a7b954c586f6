#!/usr/bin/python3
"""Stream the benchmark array with zarr-python, one block of chunk rows at a time, as a bounded-memory reader would.

Usage: /usr/bin/python3 stream_zarr_python.py ARRAY.zarr

Opens the array (not timed), then reads z[r:r + chunk_rows] for each row of chunks in order, feeding each block
to sha256 (the consumer's work), and drops it. Prints one JSON line: seconds, MiB/s, the sha256 of all the data, and
the process's peak resident set size after the run: VmHWM from /proc/self/status, which exec resets. (On Linux,
resource.getrusage's ru_maxrss is not reset by exec: started from a .NET benchmark it reports the parent's peak at
fork time when that is larger, so it is printed too, as ru_maxrss_kib, but not used.)
"""

import hashlib
import json
import resource
import sys
import time

import zarr


def main():
    z = zarr.open_array(sys.argv[1], mode="r")
    rows = z.chunks[0]
    sha = hashlib.sha256()
    t0 = time.perf_counter()
    for r in range(0, z.shape[0], rows):
        block = z[r:r + rows]
        sha.update(memoryview(block).cast("B"))
        del block
    dt = time.perf_counter() - t0
    nbytes = z.nbytes
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": dt, "mib_s": nbytes / 2**20 / dt, "sha256": sha.hexdigest(), "peak_rss_kib": hwm,
                      "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "zarr": zarr.__version__}), flush=True)


if __name__ == "__main__":
    main()
