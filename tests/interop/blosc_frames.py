#!/usr/bin/python3
"""Blosc frames written and read by the C library (Debian's c-blosc 1.21 through python-blosc and numcodecs 0.11).

    blosc_frames.py generate OUTDIR     write data/*.bin, frames.bin and manifest.json (the test matrix)
    blosc_frames.py verify OUTDIR       decode OUTDIR/ours.bin (frames written by Zarr.Cloud, listed in
                                        OUTDIR/ours.json) with the C library; compare with data/*.bin

Run with /usr/bin/python3 (Debian's python3-blosc and python3-numcodecs). Deterministic.

Matrix (each case names its input by data kind and size; inputs are written once):
  * cname x shuffle x typesize (1,2,4,8,16,3,7) x clevel (0,1,5,9) x sizes 0, 1, 15, 16, 1000, 256 KiB + 3,
    compressible and random data;
  * 4 MiB (sampled, to keep the run short): every cname x shuffle at typesize 4, clevel 5, both data kinds,
    and typesizes 1, 2, 8, 16, 3, 7 with lz4 and blosclz, shuffle and bitshuffle, clevel 1, compressible data;
  * explicit block sizes (128, 1000, 4096, 65536, 300000) on 1000 and 256 KiB + 3 bytes;
  * every typesize 1..255 on 1000 and 5003 bytes (lz4 + shuffle, blosclz + bitshuffle, zstd + noshuffle);
  * the split modes of c-blosc 1.14+ (ALWAYS, NEVER, AUTO = the 1.11 rule), and frames as c-blosc before 1.11
    wrote them (no "don't split" flag; derived from NEVER frames whose blocks the old rule would not split).
Writers alternate between python-blosc (blosc.compress) and numcodecs (Blosc.encode on an array whose
itemsize is the typesize), which both call the same libblosc.
"""
import json
import os
import sys

import blosc
import numcodecs
import numpy as np

CNAMES = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"]
SHUFFLES = [0, 1, 2]  # noshuffle, shuffle, bitshuffle
TYPESIZES = [1, 2, 4, 8, 16, 3, 7]
CLEVELS = [0, 1, 5, 9]
SMALL = [0, 1, 15, 16, 1000]
MID = 256 * 1024 + 3
BIG = 4 * 1024 * 1024


def data(kind, size):
    if kind == "r":
        return np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    # compressible: a smooth float32 signal with a little noise, as a measured field would be
    n = size // 4 + 1
    x = np.arange(n, dtype=np.float64)
    v = (np.sin(x * 0.001) * 20 + 15 + np.random.default_rng(7).normal(0, 0.01, n)).astype("<f4")
    return v.tobytes()[:size]


def compress(raw, cname, clevel, shuffle, typesize, blocksize, splitmode, writer):
    os.environ["BLOSC_SPLITMODE"] = splitmode
    if writer == "numcodecs":
        arr = np.frombuffer(raw, dtype="V%d" % typesize) if len(raw) % typesize == 0 else None
        if arr is not None:
            return bytes(numcodecs.Blosc(cname=cname, clevel=clevel, shuffle=shuffle, blocksize=blocksize).encode(arr))
        writer = "python-blosc"
    blosc.set_blocksize(blocksize)
    try:
        return blosc.compress(raw, typesize=typesize, clevel=clevel, shuffle=shuffle, cname=cname)
    finally:
        blosc.set_blocksize(0)


def generate(out):
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    inputs = {}
    cases = []

    def add(kind, size, cname, clevel, shuffle, typesize, blocksize=0, splitmode="FORWARD_COMPAT", old=False):
        key = "%s%d" % (kind, size)
        if key not in inputs:
            inputs[key] = data(kind, size)
            with open(os.path.join(out, "data", key + ".bin"), "wb") as f:
                f.write(inputs[key])
        cases.append(dict(data=key, cname=cname, clevel=clevel, shuffle=shuffle, typesize=typesize,
                          blocksize=blocksize, splitmode=splitmode, old=old))

    for size in SMALL + [MID]:
        for kind in "cr":
            for cname in CNAMES:
                for shuffle in SHUFFLES:
                    for ts in TYPESIZES:
                        for clevel in CLEVELS:
                            add(kind, size, cname, clevel, shuffle, ts)
    for kind in "cr":
        for cname in CNAMES:
            for shuffle in SHUFFLES:
                add(kind, BIG, cname, 5, shuffle, 4)
    for ts in [1, 2, 8, 16, 3, 7]:
        for cname in ["lz4", "blosclz"]:
            for shuffle in [1, 2]:
                add("c", BIG, cname, 1, shuffle, ts)
    for size in [1000, MID]:
        for bs in [128, 1000, 4096, 65536, 300000]:
            for cname in ["blosclz", "lz4", "zstd"]:
                for shuffle in SHUFFLES:
                    for ts in [1, 4, 7]:
                        add("c", size, cname, 5, shuffle, ts, blocksize=bs)
    for size in [1000, 5003]:
        for ts in range(1, 256):
            add("c", size, "lz4", 5, 1, ts)
            add("c", size, "blosclz", 5, 2, ts)
            add("r", size, "zstd", 3, 0, ts)
    for size in [1000, MID]:
        for mode in ["ALWAYS", "NEVER", "AUTO"]:
            for cname in CNAMES:
                for shuffle in [1, 2]:
                    for ts in [1, 2, 4, 16, 7, 17, 40]:
                        add("c", size, cname, 5, shuffle, ts, splitmode=mode)
                        if mode == "NEVER":
                            add("c", size, cname, 5, shuffle, ts, splitmode=mode, old=True)

    frames = open(os.path.join(out, "frames.bin"), "wb")
    offset = 0
    kept = []
    skipped = {"c-blosc cannot read it": 0, "the old writers would have split it": 0}
    for i, c in enumerate(cases):
        raw = inputs[c["data"]]
        writer = "numcodecs" if i % 2 else "python-blosc"
        frame = bytearray(compress(raw, c["cname"], c["clevel"], c["shuffle"], c["typesize"], c["blocksize"], c["splitmode"], writer))
        if c["old"]:
            # pre-1.11 frames had no bit 4: clear it where the old rule (typesize <= 16 and 128 bytes or more
            # per stream) would not have split, i.e. where the frame means the same without it
            ts, bs = frame[3], int.from_bytes(frame[8:12], "little")
            if ts <= 16 and bs // ts >= 128 and not (frame[2] & 0x02):
                skipped["the old writers would have split it"] += 1
                continue
            frame[2] &= ~0x10
        try:
            ok = blosc.decompress(bytes(frame)) == raw if raw else True
        except Exception:
            ok = False
        if not ok:
            # BLOSC_SPLITMODE=ALWAYS splits blocks the readers do not expect split (types over 16 bytes)
            skipped["c-blosc cannot read it"] += 1
            continue
        c.update(id=len(kept), writer=writer, offset=offset, length=len(frame))
        frames.write(frame)
        offset += len(frame)
        kept.append(c)
    frames.close()
    manifest = dict(format="zarr-cloud-blosc-frames/1", blosc=blosc.__version__, blosclib=blosc.blosclib_version,
                    numcodecs=numcodecs.__version__, cases=kept, skipped=skipped)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    print("%d frames, skipped %s" % (len(kept), skipped))


def verify(out):
    with open(os.path.join(out, "ours.json")) as f:
        cases = json.load(f)
    with open(os.path.join(out, "ours.bin"), "rb") as f:
        frames = f.read()
    inputs = {}
    failures = 0
    for i, c in enumerate(cases):
        key = c["data"]
        if key not in inputs:
            with open(os.path.join(out, "data", key + ".bin"), "rb") as f:
                inputs[key] = f.read()
        raw = inputs[key]
        frame = frames[c["offset"]:c["offset"] + c["length"]]
        try:
            if i % 2 and raw:  # numcodecs 0.11 cannot decode an empty frame, even its own
                got = bytes(numcodecs.Blosc().decode(frame))
            else:
                got = blosc.decompress(frame)
            # the header as c-blosc reads it
            nbytes, cbytes, blocksize = blosc.get_cbuffer_sizes(frame) if hasattr(blosc, "get_cbuffer_sizes") else (len(raw), len(frame), 0)
            if got != raw:
                raise ValueError("decoded %d bytes that differ from the input (%d bytes)" % (len(got), len(raw)))
            if nbytes != len(raw) or cbytes != len(frame):
                raise ValueError("header nbytes %d cbytes %d" % (nbytes, cbytes))
            print("OK %d" % c["id"])
        except Exception as e:
            failures += 1
            print("FAIL %d %s: %s" % (c["id"], json.dumps(c), e))
    print("%d frames, %d failed" % (len(cases), failures), file=sys.stderr)
    sys.exit(1 if failures or not cases else 0)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("generate", "verify"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    (generate if sys.argv[1] == "generate" else verify)(sys.argv[2])
