#!/usr/bin/env node
// Write a Zarr v3 hierarchy with zarrita.js (reference data for the C# reader).
//
// Usage:
//   node tests/interop/zarrita_write.mjs OUTDIR
//
// Produces
//   OUTDIR/data.zarr/            v3 hierarchy written by zarrita.create / zarrita.set
//   OUTDIR/expected/<name>.json  {"shape":[...],"dtype":"<v3 data_type>","data":[flat, C order]}
//                                (value encoding as in zarrita_read.mjs: bigint -> string,
//                                NaN/Infinity/-Infinity -> strings)
//   OUTDIR/manifest.json         arrays + groups (schema: tests/interop/README.md)
//
// zarrita 0.7.5 has no encoder for gzip and vlen-utf8 (decode only). This
// script registers encoders for them in zarrita's public codec registry
// (gzip: node:zlib; vlen-utf8: the numcodecs/zarr-v3 layout, i.e. u32 LE
// item count, then per item u32 LE byte length + UTF-8 bytes). Arrays using
// them are flagged with "custom_encoders" in the manifest. Everything else is
// encoded by zarrita itself (bytes, transpose) or by the `numcodecs` package
// zarrita depends on (zstd, blosc).

import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

// zarrita's "exports" map hides package.json; resolve the entry point
// (…/zarrita/dist/src/index.js) and walk up to the package root instead.
const ZARRITA_VERSION = JSON.parse(
	fs.readFileSync(new URL("../../package.json", import.meta.resolve("zarrita")), "utf8"),
).version;

// ---------------------------------------------------------------------------
// Encoders zarrita lacks, registered next to its own decoders.
// ---------------------------------------------------------------------------
const builtinGzip = await zarr.registry.get("gzip")();
zarr.registry.set("gzip", async () => ({
	fromConfig(config, meta) {
		const inner = builtinGzip.fromConfig(config, meta);
		return {
			kind: "bytes_to_bytes",
			async encode(bytes) {
				return new Uint8Array(gzipSync(bytes, { level: config?.level ?? 6 }));
			},
			decode: (bytes) => inner.decode(bytes),
		};
	},
}));

const builtinVlen = await zarr.registry.get("vlen-utf8")();
zarr.registry.set("vlen-utf8", async () => ({
	fromConfig(config, meta) {
		const inner = builtinVlen.fromConfig(config, meta);
		return {
			kind: "array_to_bytes",
			encode(chunk) {
				// zarrita hands over a C-ordered chunk; holes (parts of a ragged
				// edge chunk outside the array) are written as "".
				const enc = new TextEncoder();
				const items = Array.from({ length: chunk.data.length }, (_, i) =>
					enc.encode(chunk.data[i] ?? ""),
				);
				const total = 4 + items.reduce((n, b) => n + 4 + b.length, 0);
				const out = new Uint8Array(total);
				const view = new DataView(out.buffer);
				view.setUint32(0, items.length, true);
				let pos = 4;
				for (const b of items) {
					view.setUint32(pos, b.length, true);
					out.set(b, pos + 4);
					pos += 4 + b.length;
				}
				return out;
			},
			decode: (bytes) => inner.decode(bytes),
		};
	},
}));

// ---------------------------------------------------------------------------
// deterministic data
// ---------------------------------------------------------------------------
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function seedOf(name) {
	let h = 2166136261;
	for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
	return h >>> 0;
}

const STRINGS = ["", "a", "héllo", "日本", "🚀🎉", "Ñoño", "zarr", "x y", "ß", "Ω≈ç"];

const INT_RANGE = {
	int8: [-128, 127],
	int16: [-32768, 32767],
	int32: [-2147483648, 2147483647],
	uint8: [0, 255],
	uint16: [0, 65535],
	uint32: [0, 4294967295],
};

function makeValues(name, dtype, n) {
	const rnd = mulberry32(seedOf(name));
	const out = new Array(n);
	for (let i = 0; i < n; i++) {
		if (dtype in INT_RANGE) {
			const [lo, hi] = INT_RANGE[dtype];
			out[i] = lo + Math.floor(rnd() * (hi - lo + 1));
			if (i === 0) out[i] = lo;
			if (i === 1) out[i] = hi;
		} else if (dtype === "int64" || dtype === "uint64") {
			const hi = BigInt(Math.floor(rnd() * 2 ** 32));
			const lo = BigInt(Math.floor(rnd() * 2 ** 32));
			const u = (hi << 32n) | lo;
			out[i] = dtype === "int64" ? BigInt.asIntN(64, u) : u;
			if (i === 0) out[i] = dtype === "int64" ? -(2n ** 63n) : 0n;
			if (i === 1) out[i] = dtype === "int64" ? 2n ** 63n - 1n : 2n ** 64n - 1n;
			if (i === 2 && dtype === "int64") out[i] = -1n;
		} else if (dtype === "float32" || dtype === "float64") {
			let v = (rnd() - 0.5) * 2000;
			if (dtype === "float32") v = Math.fround(v);
			out[i] = v;
			if (i === 1) out[i] = NaN;
			if (i === 2) out[i] = -0;
			if (i === 3) out[i] = Infinity;
			if (i === 4) out[i] = -Infinity;
			if (i === 5 && dtype === "float64") out[i] = 5e-324;
			if (i === 6 && dtype === "float64") out[i] = 1.7976931348623157e308;
			if (i === 7) out[i] = NaN;
		} else if (dtype === "bool") {
			out[i] = rnd() < 0.5;
		} else if (dtype === "string") {
			out[i] = i < STRINGS.length ? STRINGS[i] : STRINGS[Math.floor(rnd() * STRINGS.length)];
		} else {
			throw new Error(`no data generator for ${dtype}`);
		}
	}
	return out;
}

function typedArrayFor(dtype, values) {
	switch (dtype) {
		case "int8": return Int8Array.from(values);
		case "int16": return Int16Array.from(values);
		case "int32": return Int32Array.from(values);
		case "uint8": return Uint8Array.from(values);
		case "uint16": return Uint16Array.from(values);
		case "uint32": return Uint32Array.from(values);
		case "int64": return BigInt64Array.from(values);
		case "uint64": return BigUint64Array.from(values);
		case "float32": return Float32Array.from(values);
		case "float64": return Float64Array.from(values);
		case "bool": return new zarr.BoolArray(values);
		case "string": return values.slice();
		default: throw new Error(`unsupported dtype ${dtype}`);
	}
}

function jsonValue(v) {
	if (typeof v === "bigint") return v.toString();
	if (typeof v === "number") {
		if (Number.isNaN(v)) return "NaN";
		if (v === Infinity) return "Infinity";
		if (v === -Infinity) return "-Infinity";
	}
	return v;
}

// ---------------------------------------------------------------------------
// n-d helpers (C order)
// ---------------------------------------------------------------------------
const prod = (xs) => xs.reduce((a, b) => a * b, 1);
const cStrides = (shape) => {
	const s = new Array(shape.length);
	let step = 1;
	for (let d = shape.length - 1; d >= 0; d--) {
		s[d] = step;
		step *= shape[d];
	}
	return s;
};

function* ndindex(shape) {
	const n = prod(shape);
	const idx = new Array(shape.length).fill(0);
	for (let k = 0; k < n; k++) {
		yield idx.slice();
		for (let d = shape.length - 1; d >= 0; d--) {
			if (++idx[d] < shape[d]) break;
			idx[d] = 0;
		}
	}
}

/** Extract region [[start, stop], ...] of a flat C-order array. */
function extract(flat, shape, region) {
	const st = cStrides(shape);
	const rshape = region.map(([a, b]) => b - a);
	const out = [];
	for (const idx of ndindex(rshape)) {
		let off = 0;
		for (let d = 0; d < idx.length; d++) off += (idx[d] + region[d][0]) * st[d];
		out.push(flat[off]);
	}
	return { values: out, shape: rshape };
}

function inRegion(idx, region) {
	return idx.every((i, d) => i >= region[d][0] && i < region[d][1]);
}

// ---------------------------------------------------------------------------
// array specs
// ---------------------------------------------------------------------------
const LE = { name: "bytes", configuration: { endian: "little" } };
const BE = { name: "bytes", configuration: { endian: "big" } };
const VLEN = { name: "vlen-utf8", configuration: {} };
const gzip = (level) => ({ name: "gzip", configuration: { level } });
const zstd = (level) => ({ name: "zstd", configuration: { level, checksum: false } });
const transpose = (order) => ({ name: "transpose", configuration: { order } });
// numcodecs' wasm blosc ignores v3's string "shuffle" values (it always does
// noshuffle) and picks its own typesize, so declare exactly that.
const bloscNoShuffle = (typesize) => ({
	name: "blosc",
	configuration: { cname: "lz4", clevel: 5, shuffle: "noshuffle", typesize, blocksize: 0 },
});

// regions: list of [[start, stop], ...] written with zarrita.set; null = whole array
const ARRAYS = [
	{ name: "2d.chunked.ragged.i2", dtype: "int16", shape: [7, 11], chunks: [3, 4], codecs: [LE], fill: 0,
		dimensionNames: ["y", "x"], attributes: { units: "counts", scale: 0.5, tags: ["a", "b"], nested: { k: null } } },
	{ name: "2d.f4.fill_nan.partial", dtype: "float32", shape: [6, 9], chunks: [4, 4], codecs: [LE], fill: NaN,
		regions: [[[0, 6], [0, 4]]] },
	{ name: "1d.f8.fill_inf.sparse", dtype: "float64", shape: [20], chunks: [6], codecs: [LE], fill: Infinity,
		regions: [[[0, 6]], [[12, 20]]] },
	{ name: "1d.f8.fill_neginf", dtype: "float64", shape: [9], chunks: [4], codecs: [LE], fill: -Infinity },
	{ name: "2d.u1.dot_separator", dtype: "uint8", shape: [5, 5], chunks: [2, 3], codecs: [LE], fill: 255,
		separator: ".", regions: [[[0, 4], [0, 3]]] },
	{ name: "1d.bool.fill_true.sparse", dtype: "bool", shape: [13], chunks: [5], codecs: [LE], fill: true,
		regions: [[[0, 5]], [[10, 13]]] },
	{ name: "2d.bool", dtype: "bool", shape: [4, 6], chunks: [3, 4], codecs: [LE], fill: false },
	{ name: "2d.i8", dtype: "int64", shape: [5, 4], chunks: [2, 3], codecs: [LE], fill: -1,
		regions: [[[0, 4], [0, 4]]] },
	{ name: "1d.u8", dtype: "uint64", shape: [9], chunks: [4], codecs: [LE], fill: 0 },
	{ name: "1d.i1", dtype: "int8", shape: [10], chunks: [4], codecs: [LE], fill: -1 },
	{ name: "1d.u2.be", dtype: "uint16", shape: [10], chunks: [4], codecs: [BE], fill: 42 },
	{ name: "1d.i4.be", dtype: "int32", shape: [10], chunks: [3], codecs: [BE], fill: 0 },
	{ name: "1d.u4", dtype: "uint32", shape: [10], chunks: [4], codecs: [LE], fill: 0 },
	{ name: "2d.f4.be", dtype: "float32", shape: [3, 5], chunks: [2, 2], codecs: [BE], fill: 0 },
	{ name: "2d.i2.gzip", dtype: "int16", shape: [7, 11], chunks: [3, 4], codecs: [LE, gzip(5)], fill: 0,
		customEncoders: ["gzip"] },
	{ name: "2d.i4.zstd", dtype: "int32", shape: [7, 11], chunks: [3, 4], codecs: [LE, zstd(3)], fill: 7,
		regions: [[[0, 3], [0, 11]], [[6, 7], [4, 8]]] },
	{ name: "2d.f4.blosc", dtype: "float32", shape: [6, 7], chunks: [4, 4], codecs: [LE, bloscNoShuffle(4)], fill: 0 },
	{ name: "3d.i2.transpose_F.be", dtype: "int16", shape: [4, 5, 6], chunks: [3, 2, 4],
		codecs: [transpose([2, 1, 0]), BE], fill: 0 },
	{ name: "3d.f8.transpose_102.zstd", dtype: "float64", shape: [3, 4, 5], chunks: [2, 3, 2],
		codecs: [transpose([1, 0, 2]), LE, zstd(1)], fill: NaN, regions: [[[0, 2], [0, 3], [0, 5]]] },
	{ name: "1d.string.vlen", dtype: "string", shape: [13], chunks: [5], codecs: [VLEN], fill: "",
		customEncoders: ["vlen-utf8"], regions: [[[0, 5]], [[10, 13]]] },
	{ name: "2d.string.vlen.zstd", dtype: "string", shape: [4, 5], chunks: [3, 2], codecs: [VLEN, zstd(3)],
		fill: "", customEncoders: ["vlen-utf8"] },
	{ name: "0d.f8", dtype: "float64", shape: [], chunks: [], codecs: [LE], fill: 0, scalar: 3.25 },
	{ name: "group/subgroup/2d.i2", dtype: "int16", shape: [3, 3], chunks: [2, 2], codecs: [LE], fill: 0,
		attributes: { inside: "subgroup" } },
];

const GROUPS = [
	{ path: "", attributes: { title: "Zarr.Cloud v3 interop fixtures (zarrita)", zarrita: ZARRITA_VERSION,
		numbers: [1, 2.5, -3], nested: { a: { b: [true, false, null] } }, unicode: "héllo 日本 🚀" } },
	{ path: "group", attributes: { level: 1 } },
	{ path: "group/subgroup", attributes: { level: 2, empty: {}, list: [] } },
	{ path: "empty_group", attributes: {} },
];

function chunkKey(coords, separator) {
	return ["c", ...coords].join(separator ?? "/");
}

async function writeArray(root, storeDir, outdir, spec) {
	const loc = root.resolve(spec.name);
	const opts = {
		shape: spec.shape,
		chunkShape: spec.chunks,
		dtype: spec.dtype,
		codecs: spec.codecs,
		fillValue: spec.fill,
		attributes: spec.attributes ?? {},
	};
	if (spec.separator) opts.chunkSeparator = spec.separator;
	if (spec.dimensionNames) opts.dimensionNames = spec.dimensionNames;
	const arr = await zarr.create(loc, opts);

	const n = prod(spec.shape);
	let full;
	const unwritten = [];
	if (spec.shape.length === 0) {
		await zarr.set(arr, null, spec.scalar);
		full = [spec.scalar];
	} else {
		const values = makeValues(spec.name, spec.dtype, n);
		const regions = spec.regions ?? [spec.shape.map((s) => [0, s])];
		for (const region of regions) {
			const sub = extract(values, spec.shape, region);
			await zarr.set(
				arr,
				region.map(([a, b]) => zarr.slice(a, b)),
				{ data: typedArrayFor(spec.dtype, sub.values), shape: sub.shape, stride: cStrides(sub.shape) },
			);
		}
		full = [];
		for (const idx of ndindex(spec.shape)) {
			const off = idx.reduce((o, i, d) => o + i * cStrides(spec.shape)[d], 0);
			full.push(regions.some((r) => inRegion(idx, r)) ? values[off] : spec.fill);
		}
		// chunks that no written region touches must not exist
		const grid = spec.shape.map((s, d) => Math.ceil(s / spec.chunks[d]));
		for (const c of ndindex(grid)) {
			const chunkRegion = c.map((ci, d) => [ci * spec.chunks[d], Math.min((ci + 1) * spec.chunks[d], spec.shape[d])]);
			const touched = regions.some((r) => r.every(([a, b], d) => a < chunkRegion[d][1] && b > chunkRegion[d][0]));
			const key = chunkKey(c, spec.separator);
			const exists = fs.existsSync(path.join(storeDir, spec.name, key));
			if (touched !== exists) {
				throw new Error(`${spec.name}: chunk ${key} exists=${exists} but touched=${touched}`);
			}
			if (!touched) unwritten.push(key);
		}
	}

	const fname = spec.name.replaceAll("/", "__");
	const rel = `expected/${fname}.json`;
	fs.writeFileSync(
		path.join(outdir, rel),
		`${JSON.stringify({ shape: spec.shape, dtype: spec.dtype, data: full.map(jsonValue) })}\n`,
	);
	const zarrJson = JSON.parse(fs.readFileSync(path.join(storeDir, spec.name, "zarr.json"), "utf8"));
	return {
		path: spec.name,
		dtype: zarrJson.data_type,
		shape: zarrJson.shape,
		chunks: zarrJson.chunk_grid.configuration.chunk_shape,
		fill_value: zarrJson.fill_value,
		codecs: zarrJson.codecs.map((c) => c.name),
		chunk_key_separator: zarrJson.chunk_key_encoding.configuration?.separator ?? "/",
		dimension_names: zarrJson.dimension_names ?? null,
		attributes: zarrJson.attributes,
		expected: rel,
		unwritten_chunks: unwritten,
		custom_encoders: spec.customEncoders ?? [],
		zarr_json: zarrJson,
	};
}

async function main(argv) {
	if (argv.length !== 1) {
		process.stderr.write("usage: zarrita_write.mjs OUTDIR\n");
		return 2;
	}
	const outdir = path.resolve(argv[0]);
	const storeDir = path.join(outdir, "data.zarr");
	fs.rmSync(storeDir, { recursive: true, force: true });
	fs.rmSync(path.join(outdir, "expected"), { recursive: true, force: true });
	fs.mkdirSync(path.join(outdir, "expected"), { recursive: true });

	const root = zarr.root(new FileSystemStore(storeDir));
	for (const g of GROUPS) {
		await zarr.create(g.path ? root.resolve(g.path) : root, { attributes: g.attributes });
	}
	const arrays = [];
	for (const spec of ARRAYS) arrays.push(await writeArray(root, storeDir, outdir, spec));

	const manifest = {
		format: "zarr-cloud-interop-manifest/1",
		zarr_format: 3,
		store: "data.zarr",
		writer: { library: "zarrita", zarrita: ZARRITA_VERSION, node: process.version },
		arrays,
		groups: GROUPS.map((g) => ({ path: g.path, attributes: g.attributes })),
	};
	fs.writeFileSync(path.join(outdir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
	process.stdout.write(`wrote ${arrays.length} arrays, ${GROUPS.length} groups to ${outdir}\n`);
	return 0;
}

process.exitCode = await main(process.argv.slice(2));
