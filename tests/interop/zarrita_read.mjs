#!/usr/bin/env node
// Read Zarr arrays (v2 or v3) with zarrita.js and print them as JSON.
//
// Usage (run from anywhere; node resolves zarrita from /work/main/node_modules):
//   node tests/interop/zarrita_read.mjs STORE_DIR ARRAY_PATH
//       -> {"shape":[...],"dtype":"<zarrita dtype>","data":[...flat, C order...]}
//          exit 1 (and {"error": "..."} on stdout) if the array cannot be read
//   node tests/interop/zarrita_read.mjs STORE_DIR --all MANIFEST_JSON
//       -> {"<path>": {"shape","dtype","data"} | {"error": "..."}, ...}
//          MANIFEST_JSON is either a manifest ({"arrays":[{"path":...},...]})
//          or a plain JSON list of array paths. Exit 0 even if some arrays
//          failed (look for "error" members); exit 2 on usage errors.
//
// Value encoding in "data": numbers as JSON numbers (-0 prints as 0),
// NaN/Infinity/-Infinity as the strings "NaN"/"Infinity"/"-Infinity",
// int64/uint64 (bigint) as decimal strings, booleans as true/false,
// strings as-is (v2 |S arrays are decoded by zarrita as UTF-8 with NULs
// stripped), null for missing object values.

import * as fs from "node:fs";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

function encodeValue(v) {
	switch (typeof v) {
		case "bigint":
			return v.toString();
		case "number":
			if (Number.isNaN(v)) return "NaN";
			if (v === Infinity) return "Infinity";
			if (v === -Infinity) return "-Infinity";
			return v;
		case "boolean":
		case "string":
			return v;
		case "undefined":
			return null;
		default:
			return v === null ? null : typeof v === "object" ? v : String(v);
	}
}

function elementGetter(data) {
	// BoolArray / ByteStringArray / UnicodeStringArray expose get(i);
	// typed arrays and plain JS arrays (string / v2:object) are indexable.
	if (
		data instanceof zarr.BoolArray ||
		data instanceof zarr.ByteStringArray ||
		data instanceof zarr.UnicodeStringArray
	) {
		return (i) => data.get(i);
	}
	return (i) => data[i];
}

/** Flatten an ndarray-like {data, shape, stride} into a C-order JS array. */
function flattenC(chunk) {
	const { data, shape, stride } = chunk;
	const get = elementGetter(data);
	const size = shape.reduce((a, b) => a * b, 1);
	const out = new Array(size);
	if (size === 0) return out;
	const rank = shape.length;
	const idx = new Array(rank).fill(0);
	let offset = 0;
	for (let n = 0; n < size; n++) {
		out[n] = encodeValue(get(offset));
		// increment the multi-index in C order, keeping `offset` in sync
		for (let d = rank - 1; d >= 0; d--) {
			idx[d]++;
			offset += stride[d];
			if (idx[d] < shape[d]) break;
			offset -= stride[d] * shape[d];
			idx[d] = 0;
		}
	}
	return out;
}

function errorText(err) {
	let msg = err?.message ?? String(err);
	if (err?.cause?.message && !msg.includes(err.cause.message)) {
		msg += ` (cause: ${err.cause.message})`;
	}
	return msg;
}

async function readArray(storeDir, root, path) {
	const loc = path === "" || path === "/" ? root : root.resolve(path);
	// Pin the format when the metadata file is there: the auto-detecting
	// zarr.open() turns e.g. "unsupported dtype" into a vague "Not found".
	const dir = `${storeDir}/${loc.path}`;
	const open = fs.existsSync(`${dir}/zarr.json`)
		? zarr.open.v3
		: fs.existsSync(`${dir}/.zarray`)
			? zarr.open.v2
			: zarr.open;
	const arr = await open(loc, { kind: "array" });
	if (arr.shape.length === 0) {
		const value = await zarr.get(arr, null);
		// zarrita returns the bare scalar for 0-d arrays
		const scalar =
			value !== null && typeof value === "object" && "data" in value
				? flattenC(value)[0]
				: encodeValue(value);
		return { shape: [], dtype: arr.dtype, data: [scalar] };
	}
	const chunk = await zarr.get(arr, null);
	return { shape: [...chunk.shape], dtype: arr.dtype, data: flattenC(chunk) };
}

function usage() {
	process.stderr.write(
		"usage: zarrita_read.mjs STORE_DIR ARRAY_PATH\n" +
			"       zarrita_read.mjs STORE_DIR --all MANIFEST_JSON\n",
	);
	process.exit(2);
}

async function main(argv) {
	if (argv.length < 2) usage();
	const storeDir = argv[0];
	if (!fs.existsSync(storeDir)) {
		process.stderr.write(`store directory not found: ${storeDir}\n`);
		process.exit(2);
	}
	const root = zarr.root(new FileSystemStore(storeDir));

	if (argv[1] === "--all") {
		if (argv.length !== 3) usage();
		const manifest = JSON.parse(fs.readFileSync(argv[2], "utf8"));
		const entries = Array.isArray(manifest) ? manifest : manifest.arrays ?? [];
		const paths = entries.map((e) => (typeof e === "string" ? e : e.path));
		const result = {};
		for (const p of paths) {
			try {
				result[p] = await readArray(storeDir, root, p);
			} catch (err) {
				result[p] = { error: errorText(err) };
			}
		}
		process.stdout.write(`${JSON.stringify(result)}\n`);
		return 0;
	}

	if (argv.length !== 2) usage();
	try {
		process.stdout.write(`${JSON.stringify(await readArray(storeDir, root, argv[1]))}\n`);
		return 0;
	} catch (err) {
		process.stdout.write(`${JSON.stringify({ error: errorText(err) })}\n`);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
