#!/usr/bin/python3
"""One cold remote read with zarr-python 2.13 + fsspec (HTTPFileSystem over aiohttp).

Usage: /usr/bin/python3 read_remote_zarr_python.py GROUP_URL series LAT_INDEX LON_INDEX
       /usr/bin/python3 read_remote_zarr_python.py GROUP_URL all

Times, with time.perf_counter, zarr.open_consolidated(GROUP_URL) (an FSStore over fsspec's HTTP file
system: the .zmetadata request) plus the read of analysed_sst[:, LAT, LON] (series) or analysed_sst[...]
(all) into numpy. Nothing is cached before: every run is a new process and a new HTTP session.
Prints one JSON line: seconds, the result's bytes, its sha256 (computed after the timing), versions, and the
requests fsspec keeps in flight: its gather batch size, capped by aiohttp's connections per session (TCPConnector's
default limit, which fsspec's HTTP file system does not change).
"""

import hashlib
import inspect
import json
import sys
import time

import aiohttp
import fsspec
import fsspec.asyn
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
    batch = fsspec.asyn._get_batch_size()
    connections = inspect.signature(aiohttp.TCPConnector.__init__).parameters["limit"].default
    print(json.dumps({"seconds": seconds, "concurrency": min(batch, connections) if connections else batch, "bytes": values.nbytes, "sha256": sha, "zarr": zarr.__version__,
                      "fsspec": fsspec.__version__, "aiohttp": aiohttp.__version__, "store": type(sst.chunk_store).__name__}),
          flush=True)


if __name__ == "__main__":
    main()
