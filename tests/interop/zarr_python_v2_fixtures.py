#!/usr/bin/python3
"""Write Zarr v2 reference fixtures with zarr-python 2.13 (Debian 12 python3-zarr).

Usage:
    /usr/bin/python3 tests/interop/zarr_python_v2_fixtures.py OUTDIR

Produces:
    OUTDIR/data.zarr/           v2 hierarchy (root group NOT consolidated;
                                subgroup ``consolidated/`` has a .zmetadata)
    OUTDIR/expected/<name>.npy  np.save of the array as zarr-python reads it back
    OUTDIR/expected/<name>.json {"shape", "dtype", "data"} for object (|O) arrays
    OUTDIR/manifest.json        list of arrays and groups (schema in README.md)

Everything is deterministic: data comes from np.random.default_rng(seed) with a
seed derived from the array name (crc32), so adding an array does not change
the others.
"""

import json
import math
import os
import shutil
import sys
import zlib

import numcodecs
import numpy as np
import zarr

# ---------------------------------------------------------------------------
# Compressors (v2 "compressor" objects). Keys are used in the array names.
# ---------------------------------------------------------------------------
COMPRESSORS = {
    "raw": None,
    "zlib1": numcodecs.Zlib(level=1),
    "zlib9": numcodecs.Zlib(level=9),
    "gzip5": numcodecs.GZip(level=5),
    "zstd1": numcodecs.Zstd(level=1),
    "zstd3": numcodecs.Zstd(level=3),
    # zarr 2.x default compressor; kept to one array so a C# test can skip it
    "blosc_lz4": numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
}

# Unicode samples used for string data (empty, ASCII, non-ASCII, CJK, emoji)
STR_POOL = ["", "a", "héllo", "日本", "🚀🎉", "Ñoño", "zarr", "x y", "ß", "Ω≈ç"]
# fixed width subsets (must fit <U5 / |S7)
U5_POOL = ["", "a", "héllo", "日本", "🚀", "Ñoño", "zarr", "ß", "Ωç", "abcde"]
S7_POOL = [b"", b"a", b"abc", b"zarr", b"1234567", b"\x00ab", b"x\xffy", b"hello"]


def seed_for(name):
    return zlib.crc32(name.encode("utf-8"))


def make_data(name, dtype, shape):
    """Deterministic data for `dtype` with negatives, NaN, NaT, etc."""
    rng = np.random.default_rng(seed_for(name))
    dt = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    k = dt.kind
    if k == "b":
        flat = rng.integers(0, 2, n).astype(bool)
    elif k in "iu":
        info = np.iinfo(dt)
        lo = max(info.min, -(2 ** 62))
        hi = min(info.max, 2 ** 62)
        flat = rng.integers(lo, hi, n, endpoint=True, dtype=np.int64 if k == "i" else np.uint64)
        flat = flat.astype(dt)
        # include the extreme values (incl. sign bit / all-ones for unsigned)
        if n >= 3:
            flat[0] = info.min
            flat[1] = info.max
            if k == "i":
                flat[2] = -1
    elif k == "f":
        flat = (rng.standard_normal(n) * 1000).astype(dt)
        if n >= 4:
            flat[1] = np.nan
            flat[2] = -0.0
            flat[3] = np.inf
        if n >= 20:
            flat[n - 7] = -np.inf
            flat[n - 3] = np.nan
    elif k == "c":
        re = rng.standard_normal(n) * 100
        im = rng.standard_normal(n) * 100
        flat = (re + 1j * im).astype(dt)
        if n >= 3:
            flat[1] = complex(np.nan, 1.0)
            flat[2] = complex(-2.5, np.inf)
    elif k == "M":
        unit, count = np.datetime_data(dt)
        # values around 1970..2040 in the given unit, plus negatives (pre-1970)
        span = {"ns": 10 ** 18, "ms": 10 ** 12, "s": 10 ** 9, "D": 25000}.get(unit, 10 ** 8)
        flat = rng.integers(-span, span, n, dtype=np.int64).view(dt)
        flat = flat.copy()
        if n >= 2:
            flat[1] = np.datetime64("NaT")
    elif k == "m":
        unit, _ = np.datetime_data(dt)
        span = 10 ** 15 if unit == "ns" else 10 ** 8
        flat = rng.integers(-span, span, n, dtype=np.int64).view(dt).copy()
        if n >= 2:
            flat[1] = np.timedelta64("NaT")
    elif k == "S":
        idx = rng.integers(0, len(S7_POOL), n)
        flat = np.array([S7_POOL[i] for i in idx], dtype=dt)
    elif k == "U":
        idx = rng.integers(0, len(U5_POOL), n)
        flat = np.array([U5_POOL[i] for i in idx], dtype=dt)
    elif k == "O":
        idx = rng.integers(0, len(STR_POOL), n)
        flat = np.empty(n, dtype=object)
        for i, j in enumerate(idx):
            flat[i] = STR_POOL[j]
        if n >= len(STR_POOL):
            flat[: len(STR_POOL)] = STR_POOL  # every sample at least once
    else:
        raise ValueError("unsupported dtype " + str(dt))
    return flat.reshape(shape)


# ---------------------------------------------------------------------------
# Array specs. name = <dtype>.<compressor>.<fill>.<order>.<separator>[.extra]
# "sparse": chunks whose linear index % 3 == 1 are never written.
# ---------------------------------------------------------------------------
S1 = dict(shape=(23,), chunks=(5,))
S2 = dict(shape=(7, 11), chunks=(3, 4))
S3 = dict(shape=(5, 6, 7), chunks=(2, 4, 3))
S2B = dict(shape=(10, 3), chunks=(4, 2))
# fill_value=None: zarr fills the padding of a partially covered edge chunk
# with np.empty garbage, so these use shapes that are whole multiples of the
# chunk shape to keep the chunk files byte-for-byte deterministic.
S2N = dict(shape=(6, 8), chunks=(3, 4))
S1N = dict(shape=(20,), chunks=(5,))

NAT = np.datetime64("NaT")
TNAT = np.timedelta64("NaT")


def spec(tag, dtype, comp, fill_tag, fill, order, sep, shp, sparse=False, extra=None, **kw):
    sep_tag = {".": "dot", "/": "slash", None: "nosep"}[sep]
    name = ".".join([tag, comp, "fill_" + fill_tag, order, sep_tag] + ([extra] if extra else []))
    d = dict(name=name, dtype=dtype, compressor=comp, fill=fill, order=order, sep=sep, sparse=sparse)
    d.update(shp)
    d.update(kw)
    return d


ARRAYS = [
    # -- booleans / integers -------------------------------------------------
    spec("b1", "|b1", "zlib1", "false", False, "C", ".", S2, sparse=True),
    spec("b1", "|b1", "raw", "true", True, "F", "/", S3, sparse=True),
    spec("i1", "|i1", "raw", "0", 0, "C", ".", S1, sparse=True),
    spec("i2", "<i2", "zlib9", "neg1", -1, "F", "/", S2, sparse=True),
    spec("i4", "<i4", "gzip5", "42", 42, "C", ".", S3, sparse=True),
    spec("i8", "<i8", "zstd3", "null", None, "C", ".", S2N),
    spec("i8", "<i8", "zstd1", "min", -(2 ** 63), "C", None, S1, sparse=True),
    spec("u1", "|u1", "zstd1", "0", 0, "C", "/", S1, sparse=True),
    spec("u2", "<u2", "raw", "42", 42, "F", ".", S3, sparse=True),
    spec("u4", "<u4", "zlib1", "0", 0, "C", ".", S2, sparse=True),
    spec("u8", "<u8", "gzip5", "max", 2 ** 64 - 1, "C", ".", S1, sparse=True),
    spec("i4", "<i4", "blosc_lz4", "0", 0, "C", ".", S2, sparse=True),
    # -- floats ---------------------------------------------------------------
    spec("f2", "<f2", "zstd3", "nan", np.nan, "C", ".", S2, sparse=True),
    spec("f4", "<f4", "zstd1", "nan", np.nan, "C", ".", S2, sparse=True),
    spec("f4", "<f4", "gzip5", "null", None, "F", ".", S2N),
    spec("f8", "<f8", "zlib9", "inf", np.inf, "F", ".", S3, sparse=True),
    spec("f8", "<f8", "raw", "neginf", -np.inf, "C", "/", S1, sparse=True),
    spec("f8", "<f8", "zstd3", "1.5", 1.5, "C", None, S2B, sparse=True),
    # -- complex --------------------------------------------------------------
    spec("c8", "<c8", "zlib1", "0", 0, "C", ".", S2, sparse=True),
    spec("c8", "<c8", "raw", "cnan", complex(np.nan, 1.0), "C", ".", S1, sparse=True),
    spec("c16", "<c16", "zstd3", "complex", complex(1.5, -2.0), "F", ".", S2, sparse=True),
    # -- big endian -----------------------------------------------------------
    spec("i2_be", ">i2", "zlib1", "neg1", -1, "C", ".", S2, sparse=True),
    spec("i4_be", ">i4", "raw", "42", 42, "C", "/", S1, sparse=True),
    spec("u8_be", ">u8", "zstd1", "0", 0, "F", "/", S3, sparse=True),
    spec("f4_be", ">f4", "zstd3", "nan", np.nan, "F", ".", S2, sparse=True),
    spec("f8_be", ">f8", "gzip5", "neginf", -np.inf, "C", ".", S3, sparse=True),
    spec("c16_be", ">c16", "zlib9", "complex", complex(-1.0, 0.25), "C", ".", S1, sparse=True),
    # -- datetime / timedelta -------------------------------------------------
    spec("M8_ns", "<M8[ns]", "zstd3", "nat", NAT, "C", ".", S1, sparse=True),
    spec("M8_s", "<M8[s]", "zlib1", "0", 0, "C", "/", S2, sparse=True),
    spec("M8_D", "<M8[D]", "raw", "2000-01-01", np.datetime64("2000-01-01", "D"), "F", ".", S2, sparse=True),
    spec("M8_ms", "<M8[ms]", "gzip5", "null", None, "C", ".", S1N),
    spec("M8_10s", "<M8[10s]", "zstd1", "nat", NAT, "F", ".", S3, sparse=True),
    spec("m8_ns", "<m8[ns]", "zstd1", "0", 0, "C", ".", S2, sparse=True),
    spec("m8_s", "<m8[s]", "raw", "nat", TNAT, "C", "/", S1, sparse=True),
    # -- fixed-width strings --------------------------------------------------
    spec("S7", "|S7", "zlib1", "bytes", b"zz", "C", ".", S2, sparse=True),
    spec("S7", "|S7", "raw", "empty", b"", "F", "/", S1, sparse=True),
    spec("U5", "<U5", "zstd3", "str", "hé", "C", ".", S2, sparse=True),
    spec("U5_be", ">U5", "raw", "empty", "", "F", ".", S2, sparse=True),
    # -- variable-length strings (object dtype + VLenUTF8 filter) -------------
    spec("O_vlen_utf8", object, "zlib1", "empty", "", "C", ".", S1, sparse=True),
    spec("O_vlen_utf8", object, "zstd3", "null", None, "C", "/", S2, sparse=True),
    spec("O_vlen_utf8", object, "raw", "empty", "", "F", ".", S3, sparse=True),
    # -- write_empty_chunks=False: chunks equal to the fill are not stored ----
    dict(spec("i2", "<i2", "zlib1", "0", 0, "C", ".", S2, extra="skip_empty"),
         write_empty_chunks=False, zero_rows=(0, 2)),
    # -- 0-d arrays -----------------------------------------------------------
    dict(spec("f8", "<f8", "raw", "0", 0.0, "C", ".", dict(shape=(), chunks=()), extra="scalar")),
    dict(spec("i4", "<i4", "raw", "42", 42, "C", ".", dict(shape=(), chunks=()), extra="scalar_unwritten"),
         unwritten=True),
    # -- degenerate shapes ------------------------------------------------------
    spec("i4", "<i4", "zlib1", "7", 7, "C", ".", dict(shape=(4, 0), chunks=(2, 3)), extra="empty"),
    spec("u1", "|u1", "raw", "0", 0, "C", ".", dict(shape=(5, 4), chunks=(5, 4)), extra="single_chunk"),
    spec("i2", "<i2", "zstd1", "0", 0, "C", ".", dict(shape=(3, 2), chunks=(8, 8)), extra="chunk_gt_shape"),
]

# Arrays inside nested groups / the consolidated group (path -> spec)
NESTED_ARRAYS = [
    ("a/b/c/" + s["name"], s)
    for s in [spec("f4", "<f4", "zlib1", "nan", np.nan, "C", ".", S2, sparse=True)]
] + [
    ("a/" + s["name"], s)
    for s in [spec("i2", "<i2", "raw", "0", 0, "C", "/", S1)]
] + [
    ("consolidated/" + s["name"], s)
    for s in [
        spec("i4", "<i4", "zlib1", "0", 0, "C", ".", S2, sparse=True),
        spec("O_vlen_utf8", object, "raw", "empty", "", "C", ".", S1),
    ]
]

GROUP_ATTRS = {
    "": {"title": "Zarr.Cloud v2 interop fixtures", "zarr_python": zarr.__version__, "version": 1},
    "a": {"level": "a", "int": 1, "float": 2.5, "neg": -3, "bool": True, "null": None,
          "list": [1, "two", 3.0, None, [4, 5]], "unicode": "héllo 日本 🚀"},
    "a/b": {"nested": {"x": {"y": {"z": [1, 2, 3]}}, "empty_obj": {}, "empty_list": []}},
    "a/b/c": {"description": "deepest group", "big_int": 2 ** 53 + 1, "small": 1e-300},
    "a/empty_group": {},
    "consolidated": {"consolidated": True, "note": "has .zmetadata"},
}


def array_attrs(name):
    return {
        "name": name,
        "units": "m/s",
        "scale": 0.5,
        "flags": [1, 2, 4],
        "meta": {"source": "zarr-python", "ok": True, "none": None},
    }


def chunk_grid(shape, chunks):
    grid = [int(math.ceil(s / c)) if c else 0 for s, c in zip(shape, chunks)]
    return grid


def iter_chunks(shape, chunks):
    grid = chunk_grid(shape, chunks)
    for lin, idx in enumerate(np.ndindex(*grid)):
        yield lin, idx, tuple(slice(i * c, min((i + 1) * c, s)) for i, c, s in zip(idx, chunks, shape))


def chunk_key(idx, sep):
    return (sep or ".").join(str(i) for i in idx) if idx else "0"


def write_array(root, path, s):
    shape, chunks = tuple(s["shape"]), tuple(s["chunks"])
    kwargs = dict(shape=shape, chunks=chunks if shape else True, dtype=s["dtype"],
                  compressor=COMPRESSORS[s["compressor"]], fill_value=s["fill"],
                  order=s["order"], write_empty_chunks=s.get("write_empty_chunks", True))
    if s["sep"] is not None:
        kwargs["dimension_separator"] = s["sep"]
    if np.dtype(s["dtype"]).kind == "O":
        kwargs["object_codec"] = numcodecs.VLenUTF8()
    arr = root.create(path, **kwargs)

    attrs = array_attrs(path)
    attrs["_ARRAY_DIMENSIONS"] = ["dim%d" % i for i in range(len(shape))]
    arr.attrs.update(attrs)

    data = make_data(path, s["dtype"], shape)
    if "zero_rows" in s:  # make whole chunk rows equal to the fill value
        for r in s["zero_rows"]:
            data[r * chunks[0]:(r + 1) * chunks[0]] = s["fill"]

    unwritten = []
    if shape == ():
        if s.get("unwritten"):
            unwritten.append("0")
        else:
            arr[...] = data
    else:
        for lin, idx, sl in iter_chunks(shape, chunks):
            if s["sparse"] and lin % 3 == 1:
                unwritten.append(chunk_key(idx, s["sep"]))
                continue
            arr[sl] = data[sl]
    return arr, attrs, unwritten


def save_expected(outdir, path, arr):
    """Save what zarr-python reads back; return (relative file, dtype str)."""
    back = zarr.open(arr.store, mode="r", path=path)[...]
    fname = path.replace("/", "__")
    if back.dtype.kind == "O":
        rel = "expected/%s.json" % fname
        doc = {"shape": list(back.shape), "dtype": back.dtype.str,
               "data": [None if v is None else str(v) for v in back.ravel(order="C")]}
        with open(os.path.join(outdir, rel), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
    else:
        rel = "expected/%s.npy" % fname
        # (np.ascontiguousarray would turn a 0-d array into shape (1,))
        np.save(os.path.join(outdir, rel), back.copy(order="C"), allow_pickle=False)
    return rel, back.dtype.str


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = os.path.abspath(sys.argv[1])
    store_dir = os.path.join(outdir, "data.zarr")
    for sub in ("data.zarr", "expected"):
        shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
    if os.path.exists(os.path.join(outdir, "manifest.json")):
        os.remove(os.path.join(outdir, "manifest.json"))
    os.makedirs(os.path.join(outdir, "expected"))

    store = zarr.DirectoryStore(store_dir)
    root = zarr.group(store=store, overwrite=True)
    for gpath in sorted(GROUP_ATTRS):
        g = root if gpath == "" else root.require_group(gpath)
        g.attrs.update(GROUP_ATTRS[gpath])

    arrays = []
    all_specs = [(s["name"], s) for s in ARRAYS] + NESTED_ARRAYS
    names = [p for p, _ in all_specs]
    assert len(names) == len(set(names)), "duplicate array names"
    for path, s in all_specs:
        arr, attrs, unwritten = write_array(root, path, s)
        rel, dstr = save_expected(outdir, path, arr)
        with open(os.path.join(store_dir, path, ".zarray"), encoding="utf-8") as f:
            zarray = json.load(f)
        for key in unwritten:
            assert not os.path.exists(os.path.join(store_dir, path, key)), (path, key)
        # every chunk key of the grid that is not on disk (never written, or
        # skipped because write_empty_chunks=False)
        grid_keys = [chunk_key(idx, s["sep"]) for _, idx, _ in iter_chunks(tuple(s["shape"]), tuple(s["chunks"]))]
        if s["shape"] == ():
            grid_keys = ["0"]
        missing = [k for k in grid_keys if not os.path.exists(os.path.join(store_dir, path, k))]
        assert set(unwritten) <= set(missing), (path, unwritten, missing)
        arrays.append({
            "path": path,
            "dtype": zarray["dtype"],
            "shape": zarray["shape"],
            "chunks": zarray["chunks"],
            "order": zarray["order"],
            "fill_value": zarray["fill_value"],
            "compressor": None if zarray["compressor"] is None else zarray["compressor"]["id"],
            "filters": [f["id"] for f in (zarray["filters"] or [])],
            "dimension_separator": zarray.get("dimension_separator"),
            "expected": rel,
            "expected_dtype": dstr,
            "attributes": attrs,
            "unwritten_chunks": missing,
            "chunk_count": len(grid_keys),
            "zarray": zarray,
        })

    # NB: in zarr 2.13 consolidate_metadata(store, path=...) ignores `path` for
    # v2 stores (it consolidates the whole store into /.zmetadata), so we
    # consolidate a store rooted at the subgroup instead.
    zarr.consolidate_metadata(zarr.DirectoryStore(os.path.join(store_dir, "consolidated")))
    assert os.path.exists(os.path.join(store_dir, "consolidated", ".zmetadata"))
    assert not os.path.exists(os.path.join(store_dir, ".zmetadata"))

    groups = [{"path": g, "attributes": GROUP_ATTRS[g], "consolidated": g == "consolidated"}
              for g in sorted(GROUP_ATTRS)]

    manifest = {
        "format": "zarr-cloud-interop-manifest/1",
        "zarr_format": 2,
        "store": "data.zarr",
        "writer": {"library": "zarr-python", "zarr": zarr.__version__,
                   "numcodecs": numcodecs.__version__, "numpy": np.__version__},
        "arrays": arrays,
        "groups": groups,
    }
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    print("wrote %d arrays, %d groups to %s" % (len(arrays), len(groups), outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
