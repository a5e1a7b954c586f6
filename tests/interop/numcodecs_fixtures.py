#!/usr/bin/python3
"""Write Zarr v2 arrays with numcodecs' compressors, filters and checksums (zarr-python 2.13, numcodecs 0.11).

Usage:
    /usr/bin/python3 tests/interop/numcodecs_fixtures.py OUTDIR

Produces:
    OUTDIR/data.zarr/           a v2 group with one array per case
    OUTDIR/expected/<name>.npy  np.save of the array as zarr-python reads it back
                                (for lossy filters: the rounded values zarr-python sees)
    OUTDIR/expected/<name>.json {"shape", "dtype", "data"} for object (|O) arrays
    OUTDIR/manifest.json        {"arrays": [{path, expected, dtype, compressor, filters, zarray}]}

Each case is a compressor and/or a filter chain on a dtype, chunked so that edge chunks are partial and one
chunk in three is never written (it reads as the fill value). Data is deterministic (seeded by the name).
"""

import json
import os
import shutil
import sys
import zlib

import numcodecs
import numpy as np
import zarr

S1 = dict(shape=(23,), chunks=(5,))
S2 = dict(shape=(7, 11), chunks=(3, 4))
S3 = dict(shape=(5, 6, 7), chunks=(2, 4, 3))
LABELS = ["red", "green", "blue", "héllo", "日本"]


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode("utf-8")))


def data_for(name, kind, dtype, shape):
    """Data a filter makes sense on: kind is random, smooth (small steps), scaled (around 1000 with 0.1 steps),
    unit (in [0, 1)), bool, labels (strings from LABELS and some others)."""
    rng = rng_for(name)
    n = int(np.prod(shape))
    dt = np.dtype(dtype)
    if kind == "bool":
        flat = rng.integers(0, 2, n).astype(bool)
    elif kind == "labels":
        pool = LABELS + ["", "other", "Red"]
        flat = np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=object if dt.kind == "O" else dt)
    elif kind == "smooth":
        steps = rng.integers(-3, 4, n)
        flat = (np.cumsum(steps) + (50 if dt.kind == "u" else 0)).astype(dt) if dt.kind in "iu" else (np.cumsum(rng.standard_normal(n)) * 10).astype(dt)
        if dt.kind in "iu" and dt.itemsize == 8 and n > 2:
            flat[0] = np.iinfo(dt).max  # a first element far from the rest: the differences wrap
    elif kind == "scaled":
        flat = (1000 + rng.integers(0, 250, n) / 10 + rng.standard_normal(n) * 0.01).astype(dt)
    elif kind == "unit":
        flat = rng.random(n).astype(dt)
    elif kind == "ints":
        flat = rng.integers(-20000, 20000, n).astype(dt)
    else:  # random: the full range, with NaN and infinities in floats
        if dt.kind == "f":
            flat = (rng.standard_normal(n) * 1000).astype(dt)
            flat[1] = np.nan
            flat[2] = -0.0
            flat[3] = np.inf
        elif dt.kind == "c":
            flat = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
        elif dt.kind in "iu":
            info = np.iinfo(dt)
            flat = rng.integers(max(info.min, -(2 ** 62)), min(info.max, 2 ** 62), n, endpoint=True, dtype=np.int64 if dt.kind == "i" else np.uint64).astype(dt)
            flat[0] = info.min
            flat[1] = info.max
        elif dt.kind == "M":
            flat = rng.integers(-10 ** 18, 10 ** 18, n).view(dt).copy()
            flat[1] = np.datetime64("NaT")
        elif dt.kind == "U":
            pool = ["", "a", "héllo", "日本", "🚀", "zarr"]
            flat = np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=dt)
        elif dt.kind == "S":
            pool = [b"", b"a", b"abc", b"\x00ab", b"x\xffy", b"1234567"]
            flat = np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=dt)
        else:
            raise ValueError(dtype)
    return flat.reshape(shape)


def case(name, dtype, compressor=None, filters=None, kind="random", shape=S2, order="C", fill=0, **extra):
    return dict(name=name, dtype=dtype, compressor=compressor, filters=filters, kind=kind, order=order, fill=fill, extra=extra, **shape)


N = numcodecs
CASES = [
    # -- compressors ------------------------------------------------------------------------------
    case("lz4.i2", "<i2", N.LZ4()),
    case("lz4.f8.acc10", "<f8", N.LZ4(acceleration=10), shape=S3),
    case("lz4.u1.F", "|u1", N.LZ4(), order="F"),
    case("lz4.i4_be.smooth", ">i4", N.LZ4(), kind="smooth", shape=S1),
    case("lz4.U5", "<U5", N.LZ4(), fill=""),
    case("bz2.i4", "<i4", N.BZ2()),
    case("bz2.f4.level9", "<f4", N.BZ2(level=9), shape=S3, fill=np.nan),
    case("bz2.c16", "<c16", N.BZ2(level=5), shape=S1),
    case("bz2.S7", "|S7", N.BZ2(), fill=b""),
    case("lzma.xz.i8", "<i8", N.LZMA()),
    case("lzma.xz.f8.preset1", "<f8", N.LZMA(preset=1), shape=S3),
    case("lzma.xz.crc32.u2", "<u2", N.LZMA(check=1), shape=S1),
    case("lzma.xz.sha256.i2", "<i2", N.LZMA(check=10)),
    case("lzma.xz.none.f4", "<f4", N.LZMA(check=0), order="F"),
    case("lzma.alone.i4", "<i4", N.LZMA(format=2)),
    case("lzma.alone.f8_be.preset9", ">f8", N.LZMA(format=2, preset=9), shape=S1),
    case("lzma.auto.u8", "<u8", N.LZMA(format=0), encode_with=N.LZMA(format=1)),
    # -- checksums (as compressor, and as filter before a compressor) ------------------------------
    case("crc32.i4", "<i4", N.CRC32()),
    case("crc32.f8.F", "<f8", N.CRC32(), order="F", shape=S3),
    case("adler32.u2", "<u2", N.Adler32()),
    case("adler32.b1", "|b1", N.Adler32(), kind="bool", fill=False),
    case("crc32.zlib.i2", "<i2", N.Zlib(level=1), [N.CRC32()]),
    case("adler32.lz4.f4", "<f4", N.LZ4(), [N.Adler32()], shape=S1),
    # -- shuffle ------------------------------------------------------------------------------------
    case("shuffle2.zlib.i2", "<i2", N.Zlib(level=1), [N.Shuffle(elementsize=2)]),
    case("shuffle8.f8", "<f8", None, [N.Shuffle(elementsize=8)], shape=S3),
    case("shuffle4.bz2.f8", "<f8", N.BZ2(), [N.Shuffle(elementsize=4)]),
    case("shuffle16.c16", "<c16", N.LZ4(), [N.Shuffle(elementsize=16)], shape=S1),
    case("shuffle1.u1", "|u1", N.Zstd(level=1), [N.Shuffle(elementsize=1)]),
    case("shuffle2.i2_be.F", ">i2", N.Zlib(level=1), [N.Shuffle(elementsize=2)], order="F"),
    # -- delta --------------------------------------------------------------------------------------
    case("delta.i1", "|i1", N.Zlib(level=1), [N.Delta(dtype="i1")], kind="smooth"),
    case("delta.i2", "<i2", N.LZ4(), [N.Delta(dtype="<i2")], kind="random"),
    case("delta.i4.astype_i2", "<i4", N.Zstd(level=1), [N.Delta(dtype="<i4", astype="<i2")], kind="smooth", shape=S3),
    case("delta.i8.wrap", "<i8", N.BZ2(), [N.Delta(dtype="<i8")], kind="smooth", shape=S1),
    case("delta.u2", "<u2", None, [N.Delta(dtype="<u2")], kind="smooth"),
    case("delta.u8.wrap", "<u8", N.Zlib(level=1), [N.Delta(dtype="<u8")], kind="smooth", shape=S1),
    case("delta.i2.astype_i1", "<i2", N.Zlib(level=1), [N.Delta(dtype="<i2", astype="|i1")], kind="smooth", shape=S1),
    case("delta.f4", "<f4", N.Zlib(level=1), [N.Delta(dtype="<f4")], kind="smooth", fill=np.nan),
    case("delta.f8.astype_f4", "<f8", None, [N.Delta(dtype="<f8", astype="<f4")], kind="smooth", shape=S3),
    case("delta.f4.astype_f8", "<f4", None, [N.Delta(dtype="<f4", astype="<f8")], kind="smooth", shape=S1),
    case("delta.i4_be", ">i4", N.Zlib(level=1), [N.Delta(dtype=">i4")], kind="random"),
    case("delta.i2.F", "<i2", N.Zlib(level=1), [N.Delta(dtype="<i2")], kind="smooth", order="F", shape=S3),
    case("delta.M8ns_as_i8", "<M8[ns]", N.Zlib(level=1), [N.Delta(dtype="<i8")], kind="random", shape=S1, fill=np.datetime64("NaT")),
    case("delta.shuffle.bz2.i4", "<i4", N.BZ2(), [N.Delta(dtype="<i4"), N.Shuffle(elementsize=4)], kind="smooth"),
    # -- fixedscaleoffset ---------------------------------------------------------------------------
    case("fso.f8.u1", "<f8", N.Zlib(level=1), [N.FixedScaleOffset(offset=1000, scale=10, dtype="<f8", astype="|u1")], kind="scaled", fill=1000.0),
    case("fso.f4.i2", "<f4", None, [N.FixedScaleOffset(offset=1000, scale=10, dtype="<f4", astype="<i2")], kind="scaled", shape=S3),
    case("fso.f8.i4.float_offset", "<f8", N.LZ4(), [N.FixedScaleOffset(offset=1000.5, scale=1000, dtype="<f8", astype="<i4")], kind="scaled", shape=S1),
    case("fso.f4.u2.scale_float", "<f4", N.Zlib(level=1), [N.FixedScaleOffset(offset=0, scale=123.4, dtype="<f4", astype="<u2")], kind="unit"),
    case("fso.f2.i2", "<f2", None, [N.FixedScaleOffset(offset=1000, scale=3, dtype="<f2", astype="<i2")], kind="scaled", shape=S1),
    case("fso.i4.u1", "<i4", N.Zlib(level=1), [N.FixedScaleOffset(offset=100, scale=1, dtype="<i4", astype="|u1")], kind="smooth"),
    case("fso.i2.f8", "<i2", None, [N.FixedScaleOffset(offset=-7, scale=0.5, dtype="<i2", astype="<f8")], kind="ints", shape=S1),
    case("fso.f8_be.i2_be", ">f8", N.Zlib(level=1), [N.FixedScaleOffset(offset=1000, scale=100, dtype=">f8", astype=">i2")], kind="scaled"),
    case("fso.f8.u1.lzma", "<f8", N.LZMA(), [N.FixedScaleOffset(offset=1000, scale=10, dtype="<f8", astype="|u1")], kind="scaled", order="F"),
    # -- quantize -----------------------------------------------------------------------------------
    case("quantize.f4.d2", "<f4", N.Zlib(level=1), [N.Quantize(digits=2, dtype="<f4")], kind="unit"),
    case("quantize.f8.d3.astype_f4", "<f8", None, [N.Quantize(digits=3, dtype="<f8", astype="<f4")], kind="smooth", shape=S3),
    case("quantize.f8.d6", "<f8", N.BZ2(), [N.Quantize(digits=6, dtype="<f8")], kind="random", fill=np.nan),
    case("quantize.f2.d1", "<f2", None, [N.Quantize(digits=1, dtype="<f2")], kind="smooth", shape=S1),
    case("quantize.f4.d5", "<f4", None, [N.Quantize(digits=5, dtype="<f4")], kind="scaled", shape=S1),
    # -- bitround -----------------------------------------------------------------------------------
    case("bitround.f4.k3", "<f4", N.Zlib(level=1), [N.BitRound(keepbits=3)], kind="random"),
    case("bitround.f4.k0", "<f4", None, [N.BitRound(keepbits=0)], kind="random", shape=S1),
    case("bitround.f4.k23", "<f4", None, [N.BitRound(keepbits=23)], kind="random", shape=S1),
    case("bitround.f8.k12", "<f8", N.LZ4(), [N.BitRound(keepbits=12)], kind="random", shape=S3),
    case("bitround.f2.k4", "<f2", None, [N.BitRound(keepbits=4)], kind="random"),
    # -- packbits -----------------------------------------------------------------------------------
    case("packbits.b1", "|b1", None, [N.PackBits()], kind="bool", fill=False, shape=S1),
    case("packbits.b1.2d.zlib", "|b1", N.Zlib(level=1), [N.PackBits()], kind="bool", fill=True),
    case("packbits.b1.F.lz4", "|b1", N.LZ4(), [N.PackBits()], kind="bool", order="F", shape=S3),
    # -- categorize ---------------------------------------------------------------------------------
    case("categorize.O.u1", object, N.Zlib(level=1), [N.Categorize(labels=LABELS, dtype=object)], kind="labels", fill=""),
    case("categorize.O.i2.S1", object, None, [N.Categorize(labels=LABELS, dtype=object, astype="<i2")], kind="labels", fill="", shape=S1),
    case("categorize.U5.u2", "<U5", N.LZ4(), [N.Categorize(labels=LABELS, dtype="<U5", astype="<u2")], kind="labels", fill=""),
    # -- astype -------------------------------------------------------------------------------------
    case("astype.f8.as_f4", "<f8", N.Zlib(level=1), [N.AsType(encode_dtype="<f4", decode_dtype="<f8")], kind="random"),
    case("astype.i8.as_i2", "<i8", None, [N.AsType(encode_dtype="<i2", decode_dtype="<i8")], kind="ints", shape=S1),
    case("astype.f4.as_i4", "<f4", None, [N.AsType(encode_dtype="<i4", decode_dtype="<f4")], kind="scaled", shape=S3),
    case("astype.u1.as_f2", "|u1", N.LZ4(), [N.AsType(encode_dtype="<f2", decode_dtype="|u1")], kind="random"),
    case("astype.i2.as_f8.F", "<i2", N.BZ2(), [N.AsType(encode_dtype="<f8", decode_dtype="<i2")], kind="random", order="F"),
]


def write_case(root, c):
    shape, chunks = c["shape"], c["chunks"]
    kwargs = dict(shape=shape, chunks=chunks, dtype=c["dtype"], compressor=c["extra"].get("encode_with", c["compressor"]),
                  filters=c["filters"], fill_value=c["fill"], order=c["order"])
    arr = root.create(c["name"], **kwargs)
    data = data_for(c["name"], c["kind"], c["dtype"], shape)
    # write every chunk except one in three
    grid = [-(-s // k) for s, k in zip(shape, chunks)]
    for lin, idx in enumerate(np.ndindex(*grid)):
        if lin % 3 == 1:
            continue
        sl = tuple(slice(i * k, min((i + 1) * k, s)) for i, k, s in zip(idx, chunks, shape))
        arr[sl] = data[sl]
    if "encode_with" in c["extra"]:
        # written with one configuration, recorded with another that must read the same bytes
        path = os.path.join(root.store.path, c["name"], ".zarray")
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        meta["compressor"] = c["compressor"].get_config()
        with open(path, "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=4, sort_keys=True)
    return arr


def save_expected(outdir, store, name):
    back = zarr.open(store, mode="r", path=name)[...]
    if back.dtype.kind == "O":
        rel = "expected/%s.json" % name
        doc = {"shape": list(back.shape), "dtype": "|O", "data": [None if v is None else str(v) for v in back.ravel(order="C")]}
        with open(os.path.join(outdir, rel), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
    else:
        rel = "expected/%s.npy" % name
        np.save(os.path.join(outdir, rel), back.copy(order="C"), allow_pickle=False)
    return rel


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = os.path.abspath(sys.argv[1])
    for sub in ("data.zarr", "expected"):
        shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
    os.makedirs(os.path.join(outdir, "expected"))
    store = zarr.DirectoryStore(os.path.join(outdir, "data.zarr"))
    root = zarr.group(store=store, overwrite=True)
    arrays = []
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate names"
    for c in CASES:
        write_case(root, c)
        rel = save_expected(outdir, store, c["name"])
        with open(os.path.join(outdir, "data.zarr", c["name"], ".zarray"), encoding="utf-8") as f:
            zarray = json.load(f)
        arrays.append({
            "path": c["name"],
            "expected": rel,
            "dtype": zarray["dtype"],
            "compressor": None if zarray["compressor"] is None else zarray["compressor"]["id"],
            "filters": [f["id"] for f in (zarray["filters"] or [])],
            "zarray": zarray,
        })
    manifest = {"zarr_format": 2, "store": "data.zarr", "arrays": arrays,
                "writer": {"zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "numpy": np.__version__}}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print("wrote %d arrays to %s" % (len(arrays), outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
