#!/usr/bin/python3
"""Read the whole benchmark array with zarr-python into numpy; time only the read.

Usage: /usr/bin/python3 read_zarr_python.py ARRAY.zarr [WARMUP_READS] [TIMED_READS]

Opens the array (not timed), does WARMUP_READS reads (default 1) then TIMED_READS reads
(default 1), each z[...] into a new numpy array timed with time.perf_counter.
Prints one JSON line per timed read: seconds, MiB/s, CPU seconds (time.process_time), minor page faults during the read, and the sha256 of the last result's bytes
(computed after the timing).
"""

import hashlib
import json
import resource
import sys
import time

import zarr


def main():
    path = sys.argv[1]
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    timed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    z = zarr.open_array(path, mode="r")
    for _ in range(warmup):
        a = z[...]
        del a
    for _ in range(timed):
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        c0 = time.process_time()
        t0 = time.perf_counter()
        a = z[...]
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        sha = hashlib.sha256(memoryview(a).cast("B")).hexdigest()
        print(json.dumps({"seconds": dt, "mib_s": a.nbytes / 2**20 / dt, "cpu_seconds": cpu, "sha256": sha, "minor_faults": faults,
                          "zarr": zarr.__version__}), flush=True)
        del a


if __name__ == "__main__":
    main()
