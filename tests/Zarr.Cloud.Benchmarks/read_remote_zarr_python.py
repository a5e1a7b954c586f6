#!/usr/bin/python3
"""One cold remote read with zarr-python 2.13 + fsspec (HTTPFileSystem over aiohttp).

Usage: /usr/bin/python3 read_remote_zarr_python.py GROUP_URL series LAT_INDEX LON_INDEX
       /usr/bin/python3 read_remote_zarr_python.py GROUP_URL all

Times, with time.perf_counter, zarr.open_consolidated(GROUP_URL) (an FSStore over fsspec's HTTP file
system: the .zmetadata request) plus the read of analysed_sst[:, LAT, LON] (series) or analysed_sst[...]
(all) into numpy. Nothing is cached before: every run is a new process and a new HTTP session.
Prints one JSON line: seconds, the result's bytes, its sha256 (computed after the timing), versions.
"""

import hashlib
import json
import sys
import time

import aiohttp
import fsspec
import zarr


def main():
    url, mode = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    group = zarr.open_consolidated(url, mode="r")
    sst = group["analysed_sst"]
    if mode == "series":
        values = sst[:, int(sys.argv[3]), int(sys.argv[4])]
    elif mode == "all":
        values = sst[...]
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - t0
    sha = hashlib.sha256(memoryview(values).cast("B")).hexdigest()
    print(json.dumps({"seconds": seconds, "bytes": values.nbytes, "sha256": sha, "zarr": zarr.__version__,
                      "fsspec": fsspec.__version__, "aiohttp": aiohttp.__version__, "store": type(sst.store).__name__}),
          flush=True)


if __name__ == "__main__":
    main()
