#!/usr/bin/python3
"""Verify Zarr v2 arrays written by another implementation with zarr-python 2.13.

Usage:
    /usr/bin/python3 tests/interop/zarr_python_v2_verify.py STORE MANIFEST

STORE     directory of the v2 hierarchy root (the folder holding the root .zgroup)
MANIFEST  manifest.json (schema: tests/interop/README.md). Every "expected"
          path is relative to the manifest's folder.

For every array in the manifest this opens STORE/<path> with
zarr.open(..., mode='r') and checks
  * the data, value by value, against the expected .npy / .json
    (floats/complex: NaN == NaN; datetime/timedelta: exact int64 incl. NaT;
    everything else exact), and the dtype exactly (incl. byte order);
  * with "lossy": true, against the expected values passed through the array's
    own filters by numcodecs (encode, then decode), as zarr-python stores them;
  * every optional metadata key that is present in the manifest entry:
    dtype, shape, chunks, order, fill_value, compressor, filters,
    dimension_separator, attributes, unwritten_chunks.
Groups listed under "groups" are checked for existence, "attributes" and,
with "consolidated": true, for a consistent .zmetadata.

Output: one line per item, "OK <path>" or "FAIL <path>: <reason>" (groups are
reported as "group:<path>", the root group as "group:/"), a summary on stderr.
Exit status: 0 all OK, 1 any failure, 2 usage error.
"""

import json
import math
import os
import sys
import traceback

import numpy as np
import zarr
from zarr.meta import Metadata2

# "string" is what zarr-python 3 fixtures use for variable-length strings
OBJECT_DTYPES = {"|O", "O", "object", "<O", ">O", "string", "str"}


class Fail(Exception):
    pass


# ---------------------------------------------------------------------------
# expected values
# ---------------------------------------------------------------------------
def _json_scalar(v, dt):
    """Convert one JSON element of an expected .json file to a numpy-able value."""
    k = dt.kind
    if k == "f":
        return float(v) if isinstance(v, str) else v  # "NaN", "Infinity", "-Infinity"
    if k == "c":
        if isinstance(v, (list, tuple)):
            re, im = (float(x) if isinstance(x, str) else x for x in v)
            return complex(re, im)
        return complex(v)
    if k in "iu":
        return int(v)  # ints may come as strings (64-bit safety)
    if k == "S":
        return v.encode("latin-1") if isinstance(v, str) else bytes(v)
    return v


def _flatten(data, shape, dtype):
    """Canonical form is a flat C-order list; nested lists (numpy .tolist()
    style, as in the zarr-python 3 fixtures) are flattened here."""
    n = int(np.prod(shape)) if shape else 1
    if not isinstance(data, list):
        return [data]  # 0-d written as a bare scalar
    is_complex = dtype not in OBJECT_DTYPES and np.dtype(dtype).kind == "c"
    if len(data) == n and not (not is_complex and any(isinstance(v, list) for v in data)):
        return data
    levels = len(shape) - 1 if len(data) == shape[0] else len(shape)
    out = data
    for _ in range(max(levels, 0)):
        out = [x for v in out for x in v]
    return out


def load_expected(path):
    if path.endswith(".npy"):
        return np.load(path, allow_pickle=False)
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        shape = tuple(doc["shape"])
        data = _flatten(doc["data"], shape, doc["dtype"])
        if doc["dtype"] in OBJECT_DTYPES:
            out = np.empty(len(data), dtype=object)
            for i, v in enumerate(data):
                out[i] = v
            return out.reshape(shape)
        dt = np.dtype(doc["dtype"])
        if dt.kind in "Mm":
            # ints (raw int64 in the dtype's unit, may be strings) or ISO strings / "NaT" / null
            out = np.empty(len(data), dtype=dt)
            raw = out.view(np.int64)
            for i, v in enumerate(data):
                if isinstance(v, int) or (isinstance(v, str) and v.lstrip("-").isdigit()):
                    raw[i] = int(v)
                else:
                    out[i] = np.array("NaT" if v is None else v, dtype=dt)
            return out.reshape(shape)
        return np.array([_json_scalar(v, dt) for v in data], dtype=dt).reshape(shape)
    raise Fail("unknown expected file type: %s" % path)


# ---------------------------------------------------------------------------
# comparisons
# ---------------------------------------------------------------------------
def _fmt(v):
    r = repr(v)
    return r if len(r) < 80 else r[:77] + "..."


def first_mismatch(actual, expected, neq):
    idx = np.argwhere(neq)
    i = tuple(int(x) for x in idx[0]) if idx.size else ()
    return "%d value(s) differ; first at %s: got %s, expected %s" % (
        int(np.count_nonzero(neq)), list(i), _fmt(actual[i]), _fmt(expected[i]))


def compare_values(actual, expected):
    if actual.dtype != expected.dtype or actual.dtype.str != expected.dtype.str:
        raise Fail("dtype %s != expected %s" % (actual.dtype.str, expected.dtype.str))
    if actual.shape != expected.shape:
        raise Fail("shape %s != expected %s" % (list(actual.shape), list(expected.shape)))
    if actual.size == 0:
        return
    k = actual.dtype.kind
    if k == "f":
        neq = ~((actual == expected) | (np.isnan(actual) & np.isnan(expected)))
    elif k == "c":
        def part_neq(a, e):
            return ~((a == e) | (np.isnan(a) & np.isnan(e)))
        neq = part_neq(actual.real, expected.real) | part_neq(actual.imag, expected.imag)
    elif k in "Mm":
        neq = actual.view(np.int64) != expected.view(np.int64)
    elif k == "O":
        a_flat, e_flat = actual.ravel(), expected.ravel()
        neq = np.array([not (type(a) is type(e) and a == e) for a, e in zip(a_flat, e_flat)],
                       dtype=bool).reshape(actual.shape)
    else:
        neq = actual != expected
    neq = np.asarray(neq)
    if neq.any():
        raise Fail(first_mismatch(actual, expected, neq))


def same_scalar(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (bytes, str)) or isinstance(b, (bytes, str)):
        return type(a) is type(b) and a == b
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "Mm" or b.dtype.kind in "Mm":
        return a.dtype == b.dtype and a.view(np.int64) == b.view(np.int64)
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        ac, bc = complex(a), complex(b)
        return all(x == y or (math.isnan(x) and math.isnan(y))
                   for x, y in ((ac.real, bc.real), (ac.imag, bc.imag)))
    return bool(a == b)


def attrs_diff(have, want):
    keys = sorted(set(have) | set(want))
    parts = []
    for k in keys:
        if k not in have:
            parts.append("missing %r" % k)
        elif k not in want:
            parts.append("unexpected %r" % k)
        elif have[k] != want[k]:
            parts.append("%r: %s != manifest %s" % (k, json.dumps(have[k])[:80], json.dumps(want[k])[:80]))
    return "attributes differ: " + "; ".join(parts)


def codec_matches(spec, codec):
    """spec: None | "id" | {"id":..., ...}; codec: numcodecs codec or None."""
    if spec is None:
        return codec is None
    if codec is None:
        return False
    cfg = codec.get_config()
    if isinstance(spec, str):
        return cfg.get("id") == spec
    return all(cfg.get(k) == v for k, v in spec.items())


def check_metadata(arr, entry, zarray):
    errs = []
    if "dtype" in entry and np.dtype(entry["dtype"]).str != arr.dtype.str:
        errs.append("dtype %s != manifest %s" % (arr.dtype.str, entry["dtype"]))
    if "dtype" in entry and entry["dtype"] != zarray.get("dtype"):
        errs.append(".zarray dtype %r != manifest %r" % (zarray.get("dtype"), entry["dtype"]))
    if "shape" in entry and list(arr.shape) != list(entry["shape"]):
        errs.append("shape %s != manifest %s" % (list(arr.shape), entry["shape"]))
    if "chunks" in entry and list(arr.chunks) != list(entry["chunks"]):
        errs.append("chunks %s != manifest %s" % (list(arr.chunks), entry["chunks"]))
    if "order" in entry and arr.order != entry["order"]:
        errs.append("order %s != manifest %s" % (arr.order, entry["order"]))
    if "fill_value" in entry:
        want = Metadata2.decode_fill_value(entry["fill_value"], arr.dtype)
        if not same_scalar(arr.fill_value, want):
            errs.append("fill_value %s (.zarray %s) != manifest %s" % (
                _fmt(arr.fill_value), json.dumps(zarray.get("fill_value")), json.dumps(entry["fill_value"])))
    if "compressor" in entry and not codec_matches(entry["compressor"], arr.compressor):
        errs.append("compressor %s != manifest %s" % (
            None if arr.compressor is None else arr.compressor.get_config(), entry["compressor"]))
    if "filters" in entry:
        want = entry["filters"] or []
        have = arr.filters or []
        if len(want) != len(have) or not all(codec_matches(w, h) for w, h in zip(want, have)):
            errs.append("filters %s != manifest %s" % ([h.get_config() for h in have], want))
    if "dimension_separator" in entry:
        have = zarray.get("dimension_separator") or "."
        want = entry["dimension_separator"] or "."
        if have != want:
            errs.append("dimension_separator %r != manifest %r" % (have, want))
    if "attributes" in entry and entry["attributes"] is not None:
        have = arr.attrs.asdict()
        if have != entry["attributes"]:
            errs.append(attrs_diff(have, entry["attributes"]))
    if errs:
        raise Fail("; ".join(errs))


def filters_roundtrip(arr, values):
    """The values as numcodecs itself stores and reads them back through the array's filters (for lossy
    filters such as quantize or fixedscaleoffset, whose result the writer cannot know). These filters work
    element by element, so running them on the whole array equals running them chunk by chunk."""
    chunk = np.ascontiguousarray(values)
    for f in arr.filters or []:
        chunk = f.encode(chunk)
    for f in reversed(arr.filters or []):
        chunk = f.decode(chunk)
    if arr.dtype == object:
        return np.asarray(chunk, dtype=object).reshape(values.shape)
    return np.ascontiguousarray(chunk).view(arr.dtype).reshape(values.shape)


def check_array(store_dir, base_dir, entry):
    path = entry["path"].strip("/")
    node_dir = os.path.join(store_dir, path)
    zarray_path = os.path.join(node_dir, ".zarray")
    if not os.path.isfile(zarray_path):
        raise Fail("no .zarray at %s" % zarray_path)
    with open(zarray_path, encoding="utf-8") as f:
        zarray = json.load(f)
    if zarray.get("zarr_format") != 2:
        raise Fail(".zarray zarr_format is %r" % zarray.get("zarr_format"))
    arr = zarr.open(zarr.DirectoryStore(store_dir), mode="r", path=path)
    if not isinstance(arr, zarr.Array):
        raise Fail("not an array: %r" % type(arr))
    check_metadata(arr, entry, zarray)
    for key in entry.get("unwritten_chunks") or []:
        if os.path.exists(os.path.join(node_dir, key)):
            raise Fail("chunk %s should not exist" % key)
    if "expected" in entry and entry["expected"]:
        expected = load_expected(os.path.join(base_dir, entry["expected"]))
        if entry.get("lossy"):
            expected = filters_roundtrip(arr, expected)
        compare_values(arr[...], expected)


def check_group(store_dir, entry):
    path = entry["path"].strip("/")
    if not os.path.isfile(os.path.join(store_dir, path, ".zgroup")):
        raise Fail("no .zgroup")
    g = zarr.open_group(zarr.DirectoryStore(store_dir), mode="r", path=path)
    if "attributes" in entry and entry["attributes"] is not None:
        have = g.attrs.asdict()
        if have != entry["attributes"]:
            raise Fail(attrs_diff(have, entry["attributes"]))
    if entry.get("consolidated"):
        sub = zarr.DirectoryStore(os.path.join(store_dir, path))
        if ".zmetadata" not in sub:
            raise Fail("consolidated: no .zmetadata")
        meta = json.loads(sub[".zmetadata"])
        if meta.get("zarr_consolidated_format") != 1:
            raise Fail("zarr_consolidated_format %r" % meta.get("zarr_consolidated_format"))
        on_disk = {k: json.loads(sub[k]) for k in sub
                   if k.rsplit("/", 1)[-1] in (".zarray", ".zgroup", ".zattrs")}
        cons = meta.get("metadata", {})
        if set(cons) != set(on_disk):
            raise Fail("consolidated keys differ: missing %s, extra %s" % (
                sorted(set(on_disk) - set(cons)), sorted(set(cons) - set(on_disk))))
        bad = [k for k in on_disk if on_disk[k] != cons[k]]
        if bad:
            raise Fail("consolidated metadata differs from files for %s" % bad)
        zarr.open_consolidated(sub, mode="r")  # must load


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    store_dir = os.path.abspath(argv[1])
    manifest_path = os.path.abspath(argv[2])
    base_dir = os.path.dirname(manifest_path)
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    arrays = manifest if isinstance(manifest, list) else manifest.get("arrays", [])
    groups = [] if isinstance(manifest, list) else manifest.get("groups", [])

    n_ok = n_fail = 0
    items = [("group", g) for g in groups] + [("array", a) for a in arrays]
    for kind, entry in items:
        label = entry["path"].strip("/")
        if kind == "group":
            label = "group:" + (label or "/")
        try:
            if kind == "group":
                check_group(store_dir, entry)
            else:
                check_array(store_dir, base_dir, entry)
            print("OK %s" % label)
            n_ok += 1
        except Fail as e:
            print("FAIL %s: %s" % (label, e))
            n_fail += 1
        except Exception as e:  # zarr/numpy errors: report, keep going
            msg = "%s: %s" % (type(e).__name__, e)
            print("FAIL %s: %s" % (label, msg.replace("\n", " ")))
            if os.environ.get("INTEROP_DEBUG"):
                traceback.print_exc()
            n_fail += 1
        sys.stdout.flush()
    print("SUMMARY: %d ok, %d failed (zarr %s, numpy %s)" % (n_ok, n_fail, zarr.__version__, np.__version__),
          file=sys.stderr)
    if n_ok + n_fail == 0:
        print("FAIL manifest: no arrays or groups listed")
        return 1
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
