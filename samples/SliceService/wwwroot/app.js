// The slice service's page: a colour map of one time step from the binary slice endpoint, a time slider, and the
// time series at a clicked point. Plain JavaScript, no build step, no libraries.
'use strict';

const $ = id => document.getElementById(id);
const api = '/api/datasets';
const maxMapCells = 1_000_000; // the map is subsampled with a step to stay under this
const state = { dataset: null, variable: null, cf: null, lat: [], lon: [], times: [], step: 1, range: null, request: null };

const typedArrays = { '|b1': Uint8Array, '|i1': Int8Array, '|u1': Uint8Array, '<i2': Int16Array, '<u2': Uint16Array,
  '<i4': Int32Array, '<u4': Uint32Array, '<f4': Float32Array, '<f8': Float64Array, '<i8': BigInt64Array, '<u8': BigUint64Array };

async function getJson(url, signal) {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(await problem(response));
  return response.json();
}

async function problem(response) {
  try { const p = await response.json(); return `${response.status} ${p.title}: ${p.detail ?? ''}`; }
  catch { return `${response.status} ${response.statusText}`; }
}

const path = (...parts) => parts.map(encodeURIComponent).join('/');
const status = text => { $('status').textContent = text; };

// CF time units ("days since 1970-01-01 00:00:00 UTC") to milliseconds since 1970.
function timeDecoder(units) {
  const m = /^\s*(\w+)\s+since\s+(.+?)\s*$/i.exec(units ?? '');
  if (!m) return null;
  const unit = { day: 864e5, days: 864e5, d: 864e5, hour: 36e5, hours: 36e5, h: 36e5, minute: 6e4, minutes: 6e4,
    second: 1e3, seconds: 1e3, s: 1e3, millisecond: 1, milliseconds: 1, ms: 1 }[m[1].toLowerCase()];
  let text = m[2].replace(/\s*UTC$/i, '').trim().replace(' ', 'T');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(text)) text += text.includes('T') ? 'Z' : 'T00:00:00Z';
  const epoch = Date.parse(text);
  return unit && !Number.isNaN(epoch) ? v => epoch + v * unit : null;
}

const isoDate = ms => new Date(ms).toISOString().slice(0, 10);

// Unpacks stored values: scale_factor, add_offset; fill values become NaN; kelvin shown as °C.
function decoder(cf) {
  const fills = new Set((cf.fillValues ?? []).map(Number));
  const kelvin = /^k(elvin)?$/i.test(cf.units ?? '');
  const offset = cf.addOffset - (kelvin ? 273.15 : 0);
  return { units: kelvin ? '°C' : (cf.units ?? ''), decode: raw => fills.has(raw) ? NaN : raw * cf.scaleFactor + offset, kelvin };
}

async function coordinate(name, signal) {
  const body = await getJson(`${api}/${path(state.dataset)}/arrays/${path(name)}/slice?format=json`, signal);
  return body.data.map(Number);
}

async function openDataset(name) {
  state.dataset = name;
  const info = await getJson(`${api}/${path(name)}`);
  const dims = a => (a.dimensions ?? []).map(d => (d ?? '').toLowerCase());
  const gridded = info.arrays.find(a => ['time', 'lat', 'lon'].every(d => dims(a).includes(d)))
    ?? info.arrays.find(a => a.shape.length === 3);
  if (!gridded) throw new Error(`dataset ${name} has no array over time, lat and lon`);
  const [timeName, latName, lonName] = gridded.dimensions ?? ['time', 'lat', 'lon'];
  state.variable = gridded;
  state.cf = decoder(gridded.cf);
  [state.lat, state.lon] = await Promise.all([coordinate(latName), coordinate(lonName)]);
  const timeInfo = info.arrays.find(a => a.path === timeName);
  const toMs = timeDecoder(timeInfo?.attributes?.units);
  const times = timeInfo ? await coordinate(timeName) : [...Array(gridded.shape[0]).keys()];
  state.times = toMs ? times.map(toMs) : null;
  state.step = Math.max(1, Math.ceil(Math.sqrt(gridded.shape[1] * gridded.shape[2] / maxMapCells)));
  state.range = null;
  $('variable').textContent = `${gridded.path} [${gridded.shape.join(' × ')}] ${gridded.attributes?.long_name ?? ''}`;
  const slider = $('time');
  slider.max = String(gridded.shape[0] - 1);
  slider.value = '0';
  await drawMap(0);
}

// Fetches one time step as raw binary and paints it.
async function drawMap(t) {
  state.request?.abort();
  const request = state.request = new AbortController();
  const step = state.step;
  $('date').textContent = state.times ? isoDate(state.times[t]) : `step ${t}`;
  const url = `${api}/${path(state.dataset)}/arrays/${path(state.variable.path)}/slice?format=bin&sel=${t},::${step},::${step}`;
  let response;
  try {
    response = await fetch(url, { signal: request.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    throw e;
  }
  if (!response.ok) throw new Error(await problem(response));
  const [rows, cols] = response.headers.get('X-Zarr-Shape').split(',').map(Number);
  const Type = typedArrays[response.headers.get('X-Zarr-Dtype')];
  if (!Type) throw new Error(`data type ${response.headers.get('X-Zarr-Dtype')} cannot be drawn`);
  const raw = new Type(await response.arrayBuffer());
  if (request !== state.request) return; // a later time step was asked for meanwhile
  const values = Float64Array.from(raw, v => state.cf.decode(Number(v)));
  if (!state.range) state.range = valueRange(values);
  paint(values, rows, cols);
  const canvas = $('map');
  canvas.dataset.timeIndex = String(t);
  canvas.dataset.drawn = 'true';
  status('');
}

function valueRange(values) {
  let min = Infinity, max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
  if (min === Infinity) return [0, 1];
  return min === max ? [min - 1, max + 1] : [min, max];
}

// A perceptual blue-to-red ramp.
const stops = [[48, 18, 59], [70, 134, 251], [27, 229, 181], [164, 252, 60], [249, 186, 56], [122, 4, 3]];
function color(x) {
  const p = Math.min(Math.max(x, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(p), stops.length - 2), f = p - i;
  return stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
}

function paint(values, rows, cols) {
  const canvas = $('map');
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const [min, max] = state.range;
  const northUp = state.lat[0] < state.lat[state.lat.length - 1]; // rows stored south first are drawn flipped
  for (let r = 0; r < rows; r++) {
    const source = (northUp ? rows - 1 - r : r) * cols;
    for (let c = 0; c < cols; c++) {
      const v = values[source + c], o = (r * cols + c) * 4;
      const [red, green, blue] = Number.isFinite(v) ? color((v - min) / (max - min)) : [190, 190, 190];
      image.data[o] = red; image.data[o + 1] = green; image.data[o + 2] = blue; image.data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  $('legend-min').textContent = `${min.toFixed(1)} ${state.cf.units}`;
  $('legend-max').textContent = `${max.toFixed(1)} ${state.cf.units}`;
}

function drawColorbar() {
  const bar = $('colorbar'), ctx = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    const [r, g, b] = color(x / (bar.width - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, 0, 1, bar.height);
  }
}

// The grid point under a click: canvas pixel to (lat, lon) of the subsampled grid.
async function onMapClick(event) {
  const canvas = $('map'), box = canvas.getBoundingClientRect();
  const c = Math.min(canvas.width - 1, Math.floor((event.clientX - box.left) / box.width * canvas.width));
  const r = Math.min(canvas.height - 1, Math.floor((event.clientY - box.top) / box.height * canvas.height));
  const northUp = state.lat[0] < state.lat[state.lat.length - 1];
  const lat = state.lat[(northUp ? canvas.height - 1 - r : r) * state.step];
  const lon = state.lon[c * state.step];
  const marker = $('marker');
  marker.style.left = `${(c + 0.5) / canvas.width * 100}%`;
  marker.style.top = `${(r + 0.5) / canvas.height * 100}%`;
  marker.hidden = false;
  const series = await getJson(`${api}/${path(state.dataset)}/timeseries?lat=${lat}&lon=${lon}&var=${encodeURIComponent(state.variable.path)}`);
  drawSeries(series);
}

function drawSeries(series) {
  const svg = $('chart'), width = 720, height = 260, pad = { left: 56, right: 12, top: 12, bottom: 28 };
  const values = series.values.map(v => v === null ? NaN : state.cf.kelvin ? v - 273.15 : v);
  const [min, max] = valueRange(values);
  const x = i => pad.left + (values.length < 2 ? 0 : i / (values.length - 1)) * (width - pad.left - pad.right);
  const y = v => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);
  // Gaps (fill values) split the line.
  const runs = [[]];
  values.forEach((v, i) => Number.isFinite(v) ? runs[runs.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`) : runs.push([]));
  const ns = 'http://www.w3.org/2000/svg';
  const el = (name, attrs, text) => {
    const e = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  svg.replaceChildren(
    el('line', { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom }),
    el('line', { x1: pad.left, x2: pad.left, y1: pad.top, y2: height - pad.bottom }),
    el('text', { x: 4, y: pad.top + 10 }, max.toFixed(2)),
    el('text', { x: 4, y: height - pad.bottom }, min.toFixed(2)),
    el('text', { x: pad.left, y: height - 8 }, series.times?.[0]?.slice(0, 10) ?? '0'),
    el('text', { x: width - pad.right, y: height - 8, 'text-anchor': 'end' }, series.times?.at(-1)?.slice(0, 10) ?? String(values.length - 1)),
    ...runs.filter(r => r.length > 0).map(r => el('polyline', { points: r.join(' ') })));
  svg.dataset.points = String(values.length);
  svg.dataset.lat = String(series.latitude);
  svg.dataset.lon = String(series.longitude);
  const ns_ = series.latitude >= 0 ? 'N' : 'S', ew = series.longitude >= 0 ? 'E' : 'W';
  const empty = values.every(v => !Number.isFinite(v)) ? ' (land: no data)' : '';
  $('series-title').textContent = `${series.variable} (${state.cf.units}) at ${Math.abs(series.latitude)}°${ns_}, ${Math.abs(series.longitude)}°${ew}${empty}`;
}

const report = e => status(String(e.message ?? e));

async function start() {
  drawColorbar();
  const names = await getJson(api);
  if (names.length === 0) throw new Error('no datasets are configured (Zarr:Datasets)');
  const select = $('dataset');
  select.replaceChildren(...names.map(n => new Option(n, n)));
  const wanted = new URLSearchParams(location.search).get('dataset');
  select.value = names.includes(wanted) ? wanted : names[0];
  select.addEventListener('change', () => openDataset(select.value).catch(report));
  $('time').addEventListener('input', e => drawMap(Number(e.target.value)).catch(report));
  $('map').addEventListener('click', e => onMapClick(e).catch(report));
  await openDataset(select.value);
}

start().catch(report);
