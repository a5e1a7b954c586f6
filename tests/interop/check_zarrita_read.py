#!/usr/bin/python3
"""Compare the batch output of zarrita_read.mjs with expected values.

Usage:
    /usr/bin/python3 tests/interop/check_zarrita_read.py READ_JSON EXPECTED [--strict]

READ_JSON  output of `node zarrita_read.mjs STORE --all LIST` ({path: {shape,dtype,data} | {error}})
EXPECTED   either a manifest.json (each array's "expected" is relative to the
           manifest's folder) or a directory holding <name>.npy / <name>.json
           where <name> is the array path with "/" replaced by "__".

Prints "OK <path>", "FAIL <path>: <reason>" or "UNSUPPORTED <path>: <zarrita error>".
Exit 1 if anything FAILed (with --strict also if anything is UNSUPPORTED).
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zarr_python_v2_verify import Fail, compare_values, load_expected  # noqa: E402

# zarrita dtype name -> numpy kind + itemsize (byte order is not visible in zarrita)
ZARRITA_NUMERIC = {
    "bool": ("b", 1), "int8": ("i", 1), "int16": ("i", 2), "int32": ("i", 4), "int64": ("i", 8),
    "uint8": ("u", 1), "uint16": ("u", 2), "uint32": ("u", 4), "uint64": ("u", 8),
    "float16": ("f", 2), "float32": ("f", 4), "float64": ("f", 8),
}


def expected_path(expected_arg, path, manifest_index):
    if manifest_index is not None:
        entry = manifest_index.get(path)
        if entry is None or not entry.get("expected"):
            return None
        return os.path.join(os.path.dirname(os.path.abspath(expected_arg)), entry["expected"])
    base = os.path.join(expected_arg, path.strip("/").replace("/", "__"))
    for ext in (".npy", ".json"):
        if os.path.exists(base + ext):
            return base + ext
    return None


def dtype_compatible(zdtype, exp_dtype):
    if zdtype in ZARRITA_NUMERIC:
        return ZARRITA_NUMERIC[zdtype] == (exp_dtype.kind, exp_dtype.itemsize)
    if zdtype in ("string", "v2:object"):
        return exp_dtype.kind in "OU"
    if zdtype.startswith("v2:U"):
        return exp_dtype.kind == "U" and exp_dtype.itemsize == 4 * int(zdtype[4:])
    if zdtype.startswith("v2:S"):
        return exp_dtype.kind == "S" and exp_dtype.itemsize == int(zdtype[4:])
    return False


def to_numpy(read, exp_dtype):
    """zarrita JSON data -> numpy array with the expected dtype."""
    data = read["data"]
    k = exp_dtype.kind
    if k == "f":
        vals = [float(v) if isinstance(v, str) else v for v in data]
    elif k in "iu":
        vals = [int(v) for v in data]
    elif k == "b":
        vals = [bool(v) for v in data]
    elif k == "S":
        vals = [v.encode("utf-8") for v in data]
    elif k == "O":
        out = np.empty(len(data), dtype=object)
        for i, v in enumerate(data):
            out[i] = v
        return out.reshape(read["shape"])
    else:
        vals = data
    return np.array(vals, dtype=exp_dtype).reshape(read["shape"])


def main(argv):
    args = [a for a in argv[1:] if a != "--strict"]
    strict = "--strict" in argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        results = json.load(f)
    manifest_index = None
    if os.path.isfile(args[1]):
        with open(args[1], encoding="utf-8") as f:
            m = json.load(f)
        manifest_index = {a["path"]: a for a in (m if isinstance(m, list) else m["arrays"])}

    n_fail = n_unsup = n_ok = 0
    for path, read in results.items():
        try:
            if "error" in read:
                print("UNSUPPORTED %s: %s" % (path, read["error"]))
                n_unsup += 1
                continue
            exp_file = expected_path(args[1], path, manifest_index)
            if exp_file is None:
                raise Fail("no expected file")
            expected = load_expected(exp_file)
            if not dtype_compatible(read["dtype"], expected.dtype):
                raise Fail("zarrita dtype %s does not match expected %s" % (read["dtype"], expected.dtype.str))
            if list(read["shape"]) != list(expected.shape):
                raise Fail("shape %s != expected %s" % (read["shape"], list(expected.shape)))
            compare_values(to_numpy(read, expected.dtype), expected)
            print("OK %s" % path)
            n_ok += 1
        except Exception as e:  # noqa: BLE001
            print("FAIL %s: %s" % (path, e))
            n_fail += 1
    print("SUMMARY: %d ok, %d failed, %d unsupported by zarrita" % (n_ok, n_fail, n_unsup), file=sys.stderr)
    return 1 if n_fail or (strict and n_unsup) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
