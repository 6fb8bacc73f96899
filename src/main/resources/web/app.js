// lossgrid serve: the page. It draws the error surface from the API's float values on a canvas, runs
// gradient descent where the learner clicks, and animates the path over the surface, with the loss,
// the 1-D curve at the current b and the predictions beside it. Words come from /api/text, the same
// resource bundles as the CLI's.
'use strict';

const MARGIN = { left: 66, right: 78, top: 12, bottom: 44 };
const GRID_POINTS = 200;
const CONTOURS = 12;

const state = {
  lang: (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en',
  text: {},
  data: null,
  loss: 'mae',
  lags: 1,
  surface: null,
  heat: null,
  start: { w: 0, b: 0 },
  run: null,
  shown: 0,
  playing: false,
  pending: {},
  seriesData: null,
};

const $ = (id) => document.getElementById(id);
const canvas = $('surface');
const ctx = canvas.getContext('2d');
const charts = {};

// ---- words ----------------------------------------------------------------------------------------

/** A message of the bundles: MessageFormat's {0}, {1}, ... filled in, and '' read as '. */
function t(key, ...args) {
  const pattern = state.text[key];
  if (pattern === undefined) return key;
  return pattern.replace(/''/g, "'").replace(/\{(\d+)[^}]*\}/g, (m, i) => String(args[Number(i)]));
}

async function loadText() {
  const answer = await api('GET', '/api/text?lang=' + state.lang);
  state.text = answer.text;
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('web.title');
  for (const el of document.querySelectorAll('[data-text]')) el.textContent = t(el.dataset.text);
  $('lang').textContent = state.lang === 'zh' ? 'English' : '中文';
  showDataName();
  if (state.surface) drawSurface();
  if (state.run) { setLossChart(); showStatus(); updateSide(true); }
  if (state.seriesData) drawData(null);
}

// ---- the API --------------------------------------------------------------------------------------

async function api(method, path, body, type) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.body = typeof body === 'string' ? body : JSON.stringify(body);
    options.headers['Content-Type'] = type || 'application/json';
  }
  const response = await fetch(path, options);
  const answer = await response.json();
  if (!response.ok) {
    const error = new Error(answer.error ? answer.error.message : 'HTTP ' + response.status);
    error.answer = answer;
    throw error;
  }
  return answer;
}

function query(extra) {
  const params = new URLSearchParams({ loss: state.loss, lags: String(state.lags) });
  if (state.data) params.set('data', state.data);
  for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
  return params.toString();
}

function showMessage(text) {
  const box = $('message');
  box.hidden = !text;
  box.textContent = text || '';
}

// ---- the error surface ----------------------------------------------------------------------------

function plotArea() {
  return { x: MARGIN.left, y: MARGIN.top, w: canvas.width - MARGIN.left - MARGIN.right,
    h: canvas.height - MARGIN.top - MARGIN.bottom };
}

function toPixel(w, b) {
  const g = state.surface.grid, a = plotArea();
  return [a.x + (w - g.w.min) / (g.w.max - g.w.min) * a.w, a.y + (1 - (b - g.b.min) / (g.b.max - g.b.min)) * a.h];
}

function fromPixel(x, y) {
  const g = state.surface.grid, a = plotArea();
  return { w: g.w.min + (x - a.x) / a.w * (g.w.max - g.w.min), b: g.b.min + (1 - (y - a.y) / a.h) * (g.b.max - g.b.min) };
}

/** Google's turbo colour map (polynomial fit): blue low, red high, as the book's figures. */
function turbo(x) {
  x = Math.min(1, Math.max(0, x));
  const r = 34.61 + x * (1172.33 + x * (-10793.56 + x * (33300.12 + x * (-38394.49 + x * 14825.05))));
  const g = 23.31 + x * (557.33 + x * (1225.33 + x * (-3574.96 + x * (1073.77 + x * 707.56))));
  const b = 27.2 + x * (3211.1 + x * (-15327.97 + x * (27814.0 + x * (-22569.18 + x * 6838.66))));
  return [r, g, b].map((c) => Math.max(0, Math.min(255, c)));
}

async function loadSurface() {
  document.body.dataset.state = 'loading';
  showMessage('');
  try {
    const extra = { points: String(GRID_POINTS), format: 'json' };
    if (state.lags > 1) extra.at = 'optimum';
    state.surface = await api('GET', '/api/surface?' + query(extra));
    $('others').hidden = state.lags === 1;
    buildHeat();
    drawSurface();
    document.body.dataset.state = 'ready';
  } catch (e) {
    state.surface = null; state.heat = null;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    document.body.dataset.state = 'error';
    showMessage(e.message);
  }
}

/** The heat map, contours and axes, drawn once per surface into an off-screen canvas. */
function buildHeat() {
  const s = state.surface, nw = s.grid.w.n, nb = s.grid.b.n, a = plotArea();
  const values = s.values.map((v) => (v === null ? NaN : v));
  const finite = values.filter(Number.isFinite);
  let lo = finite[0], hi = finite[0];
  for (const v of finite) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const log = lo > 0 && hi / lo > 50;
  const f = (v) => (log ? Math.log10(v) : v);
  const flo = f(lo), fhi = f(hi);
  const level = (v) => (f(v) - flo) / (fhi - flo || 1);
  const off = document.createElement('canvas');
  off.width = canvas.width; off.height = canvas.height;
  const g = off.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, off.width, off.height);
  const image = g.createImageData(Math.round(a.w), Math.round(a.h));
  for (let py = 0; py < image.height; py++) {
    const fb = (1 - py / (image.height - 1)) * (nb - 1);
    const i0 = Math.floor(fb), i1 = Math.min(nb - 1, i0 + 1), ti = fb - i0;
    for (let px = 0; px < image.width; px++) {
      const fw = px / (image.width - 1) * (nw - 1);
      const j0 = Math.floor(fw), j1 = Math.min(nw - 1, j0 + 1), tj = fw - j0;
      const v = (1 - ti) * ((1 - tj) * values[i0 * nw + j0] + tj * values[i0 * nw + j1])
        + ti * ((1 - tj) * values[i1 * nw + j0] + tj * values[i1 * nw + j1]);
      const k = (py * image.width + px) * 4;
      const [r, gg, b] = Number.isFinite(v) ? turbo(level(v)) : [128, 128, 128];
      image.data[k] = r; image.data[k + 1] = gg; image.data[k + 2] = b; image.data[k + 3] = 255;
    }
  }
  g.putImageData(image, a.x, a.y);
  g.strokeStyle = 'rgba(255,255,255,0.55)';
  g.lineWidth = 1;
  for (let c = 1; c <= CONTOURS; c++) {
    const target = Math.pow(c / (CONTOURS + 1), 1.6);
    contour(g, values.map(level), nw, nb, target);
  }
  axes(g);
  colourBar(g, lo, hi, log);
  state.heat = off;
}

/** One contour by marching squares over the grid, in pixels. */
function contour(g, levels, nw, nb, target) {
  const gw = state.surface.grid.w, gb = state.surface.grid.b;
  const px = (j) => toPixel(gw.min + j / (nw - 1) * (gw.max - gw.min), 0)[0];
  const py = (i) => toPixel(0, gb.min + i / (nb - 1) * (gb.max - gb.min))[1];
  g.beginPath();
  for (let i = 0; i < nb - 1; i++) {
    for (let j = 0; j < nw - 1; j++) {
      const v = [levels[i * nw + j], levels[i * nw + j + 1], levels[(i + 1) * nw + j + 1], levels[(i + 1) * nw + j]];
      if (!v.every(Number.isFinite)) continue;
      const corners = [[j, i], [j + 1, i], [j + 1, i + 1], [j, i + 1]];
      const cuts = [];
      for (let e = 0; e < 4; e++) {
        const a = v[e], b = v[(e + 1) % 4];
        if ((a < target) !== (b < target)) {
          const s = (target - a) / (b - a);
          const [ja, ia] = corners[e], [jb, ib] = corners[(e + 1) % 4];
          cuts.push([ja + s * (jb - ja), ia + s * (ib - ia)]);
        }
      }
      for (let k = 0; k + 1 < cuts.length; k += 2) {
        const interp = (c) => [px(0) + (c[0]) * (px(1) - px(0)), py(0) + c[1] * (py(1) - py(0))];
        const p = interp(cuts[k]), q = interp(cuts[k + 1]);
        g.moveTo(p[0], p[1]); g.lineTo(q[0], q[1]);
      }
    }
  }
  g.stroke();
}

function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function axes(g) {
  const s = state.surface, a = plotArea();
  g.strokeStyle = '#555'; g.lineWidth = 1; g.strokeRect(a.x, a.y, a.w, a.h);
  g.fillStyle = '#222'; g.font = '12px sans-serif';
  g.textAlign = 'center'; g.textBaseline = 'top';
  for (const w of niceTicks(s.grid.w.min, s.grid.w.max, 7)) {
    const [x] = toPixel(w, s.grid.b.min);
    g.fillRect(x, a.y + a.h, 1, 5); g.fillText(String(w), x, a.y + a.h + 7);
  }
  g.textAlign = 'right'; g.textBaseline = 'middle';
  for (const b of niceTicks(s.grid.b.min, s.grid.b.max, 8)) {
    const [, y] = toPixel(s.grid.w.min, b);
    g.fillRect(a.x - 5, y, 5, 1); g.fillText(String(b), a.x - 8, y);
  }
  g.font = 'bold 14px sans-serif'; g.textAlign = 'center'; g.textBaseline = 'bottom';
  g.fillText(s.grid.axes[0], a.x + a.w / 2, canvas.height - 4);
  g.save(); g.translate(16, a.y + a.h / 2); g.rotate(-Math.PI / 2); g.fillText(s.grid.axes[1], 0, 0); g.restore();
}

/** The colour scale beside the map, labelled in loss (logarithmic where the map is). */
function colourBar(g, lo, hi, log) {
  const a = plotArea(), x = a.x + a.w + 10, width = 14;
  for (let py = 0; py < a.h; py++) {
    const [r, gg, b] = turbo(1 - py / (a.h - 1));
    g.fillStyle = `rgb(${r},${gg},${b})`;
    g.fillRect(x, a.y + py, width, 1);
  }
  g.strokeStyle = '#555'; g.strokeRect(x, a.y, width, a.h);
  g.fillStyle = '#222'; g.font = '11px sans-serif'; g.textAlign = 'left'; g.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const f = k / 4, value = log ? Math.pow(10, Math.log10(lo) + f * (Math.log10(hi) - Math.log10(lo))) : lo + f * (hi - lo);
    const y = a.y + (1 - f) * a.h;
    g.fillRect(x + width, y, 4, 1);
    g.fillText(short(value), x + width + 6, y);
  }
}

/** A number in at most 3 significant digits, for the colour bar: 4.05e7, 403690 → 4.04e5, 512. */
function short(v) {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(2).replace('e+', 'e')
    : String(Number(v.toPrecision(3)));
}

function marker(x, y, shape, fill, stroke, size) {
  ctx.beginPath();
  if (shape === 'diamond') { ctx.moveTo(x, y - size); ctx.lineTo(x + size, y); ctx.lineTo(x, y + size); ctx.lineTo(x - size, y); ctx.closePath(); }
  else if (shape === 'triangle') { ctx.moveTo(x, y - size); ctx.lineTo(x + size, y + size * 0.8); ctx.lineTo(x - size, y + size * 0.8); ctx.closePath(); }
  else ctx.arc(x, y, size, 0, 2 * Math.PI);
  if (fill) { ctx.fillStyle = fill; ctx.fill(); }
  if (stroke) { ctx.strokeStyle = stroke; ctx.lineWidth = 2; ctx.stroke(); }
}

function drawSurface() {
  if (!state.heat) return;
  ctx.drawImage(state.heat, 0, 0);
  const s = state.surface, a = plotArea();
  ctx.save();
  ctx.beginPath(); ctx.rect(a.x, a.y, a.w, a.h); ctx.clip();
  const [ox, oy] = toPixel(s.optimum.w[0], s.optimum.b);
  marker(ox, oy, 'diamond', '#111', '#fff', 7);
  ctx.font = 'bold 12px sans-serif';
  label(t('web.optimum'), ox - 12 - ctx.measureText(t('web.optimum')).width - 6, oy - 8, '#111');
  if (s.book) {
    const [bx, by] = toPixel(s.book.w, s.book.b);
    marker(bx, by, 'triangle', '#e600c8', '#fff', 7);
    label(t('web.book'), bx + 8, by + 1, '#b0009a');
  }
  if (state.run) drawPath();
  ctx.restore();
}

/** A label on a white box with its top-left corner at (x, y), kept inside the plot. */
function label(text, x, y, colour) {
  const a = plotArea();
  ctx.font = 'bold 12px sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
  const width = ctx.measureText(text).width + 6;
  const left = Math.min(Math.max(a.x + 2, x), a.x + a.w - width - 2);
  const top = Math.min(Math.max(a.y + 2, y), a.y + a.h - 18);
  ctx.fillStyle = 'rgba(255,255,255,0.85)'; ctx.fillRect(left, top, width, 16);
  ctx.fillStyle = colour; ctx.fillText(text, left + 3, top + 2);
}

function pathPoint(i) {
  const p = state.run.trajectory[i];
  return { w: p.params.w[0], b: p.params.b, loss: p.loss, step: p.step };
}

function drawPath() {
  const n = state.shown, points = state.run.trajectory;
  ctx.strokeStyle = '#fff'; ctx.lineWidth = 2; ctx.beginPath();
  for (let i = 0; i <= n && i < points.length; i++) {
    const p = pathPoint(i);
    if (!Number.isFinite(p.w) || !Number.isFinite(p.b)) break;
    const [x, y] = toPixel(p.w, p.b);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  }
  ctx.stroke();
  const first = pathPoint(0), [sx, sy] = toPixel(first.w, first.b);
  marker(sx, sy, 'circle', null, '#fff', 6);
  const now = pathPoint(Math.min(n, points.length - 1));
  if (!Number.isFinite(now.w) || !Number.isFinite(now.b)) return;
  const [x, y] = toPixel(now.w, now.b);
  if (n + 1 < points.length) {
    const next = pathPoint(n + 1);
    if (Number.isFinite(next.w) && Number.isFinite(next.b)) arrow(x, y, ...toPixel(next.w, next.b));
  }
  marker(x, y, 'circle', '#d21e1e', '#fff', 6);
}

/** The step -eta grad L from the current point to the next, as a red arrow. */
function arrow(x0, y0, x1, y1) {
  const dx = x1 - x0, dy = y1 - y0, length = Math.hypot(dx, dy);
  if (length < 1) return;
  ctx.strokeStyle = '#d21e1e'; ctx.fillStyle = '#d21e1e'; ctx.lineWidth = 2.5;
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  const head = Math.min(10, length / 2), ux = dx / length, uy = dy / length;
  ctx.beginPath(); ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux);
  ctx.lineTo(x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux);
  ctx.closePath(); ctx.fill();
}

// ---- gradient descent -----------------------------------------------------------------------------

function learningRate() {
  return Number(Math.pow(10, Number($('lr').value)).toPrecision(3));
}

function showLearningRate() {
  $('lr-value').textContent = String(learningRate());
}

function trainBody(steps) {
  const s = state.surface, init = { b: state.start.b, w1: state.start.w };
  for (let j = 1; j < s.optimum.w.length; j++) init['w' + (j + 1)] = s.optimum.w[j];
  const body = { loss: state.loss, lags: state.lags, lr: learningRate(), steps, optimizer: $('optimizer').value,
    scale: $('scale').value, init };
  if (state.data) body.data = state.data;
  return body;
}

async function descend() {
  state.playing = false;
  showMessage('');
  $('final').hidden = true;
  document.body.dataset.state = 'training';
  try {
    state.run = await api('POST', '/api/train', trainBody(Math.max(1, Math.min(100000, Number($('steps').value) || 1))));
  } catch (e) {
    document.body.dataset.state = 'error';
    showMessage(e.message);
    return;
  }
  state.shown = 0;
  setLossChart();
  if (state.run.error) showMessage(state.run.error.message);
  document.body.dataset.state = 'playing';
  play(true);
}

function play(on) {
  state.playing = on;
  $('play').textContent = t(on ? 'web.pause' : 'web.play');
  if (on) requestAnimationFrame(tick);
}

function tick() {
  if (!state.playing || !state.run) return;
  const last = state.run.trajectory.length - 1;
  state.shown = Math.min(last, state.shown + Number($('speed').value));
  render();
  if (state.shown >= last) { finish(); return; }
  requestAnimationFrame(tick);
}

function render() {
  drawSurface();
  const p = pathPoint(Math.min(state.shown, state.run.trajectory.length - 1));
  showStatus();
  markLossChart(p.step);
  updateSide(false);
}

/** The step, loss and parameters at the shown point, and how the run ended once it is shown whole. */
function showStatus() {
  const r = state.run, p = pathPoint(Math.min(state.shown, r.trajectory.length - 1));
  let text = t('web.status', p.step, fmt(p.loss), fmt(p.w), fmt(p.b));
  if (state.shown >= r.trajectory.length - 1) {
    const what = r.diverged ? t('lr.diverged.at', r.diverged_at_step) : r.converged ? t('web.converged') : t('web.budget');
    text += '   ' + t('web.done', what);
  }
  $('status').textContent = text;
}

function finish() {
  play(false);
  const r = state.run;
  showStatus();
  const end = pathPoint(r.trajectory.length - 1);
  $('final-w').textContent = String(r.params.w[0]);
  $('final-b').textContent = String(r.params.b);
  $('final').hidden = !Number.isFinite(end.w);
  updateSide(true);
  document.body.dataset.state = 'done';
}

function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

// ---- the charts beside the surface ----------------------------------------------------------------

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
  return charts[id];
}

function setLossChart() {
  const points = state.run.trajectory.filter((p) => Number.isFinite(p.loss) && p.loss > 0).map((p) => [p.step, p.loss]);
  chart('loss-chart').setOption({
    animation: false, grid: { left: 64, right: 16, top: 16, bottom: 36 },
    xAxis: { type: 'value', name: t('web.steps'), nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'log', name: 'L', axisLabel: { formatter: (v) => fmt(v) } },
    series: [{ type: 'line', showSymbol: false, data: points, lineStyle: { color: '#1f5ab4', width: 2 },
      markLine: { symbol: 'none', data: [], lineStyle: { color: '#d21e1e' }, label: { show: false } } }],
  }, true);
}

function markLossChart(step) {
  chart('loss-chart').setOption({ series: [{ markLine: { data: [{ xAxis: step }] } }] });
}

/** The curve and the predictions follow the descent: at most one request of each at a time. */
function updateSide(force) {
  if (!state.run || !state.surface || !state.seriesData) return;
  const p = pathPoint(Math.min(state.shown, state.run.trajectory.length - 1));
  if (!Number.isFinite(p.w) || !Number.isFinite(p.b) || Math.abs(p.w) > 1e9 || Math.abs(p.b) > 1e12) return;
  once('curve', force, () => drawCurve(p));
  once('predict', force, () => drawPredictions(p));
}

function once(name, force, work) {
  const now = Date.now();
  if (state.pending[name] || (!force && now - (state.pending[name + 'At'] || 0) < 350)) return;
  state.pending[name] = true;
  state.pending[name + 'At'] = now;
  work().catch(() => {}).finally(() => { state.pending[name] = false; });
}

async function drawCurve(p) {
  const g = state.surface.grid;
  const at = ['b=' + p.b];
  for (let j = 1; j < state.surface.optimum.w.length; j++) at.push('w' + (j + 1) + '=' + state.surface.optimum.w[j]);
  const curve = await api('GET', '/api/curve?' + query({ param: 'w1', range: g.w.min + ':' + g.w.max + ':201',
    at: at.join(','), w0: String(p.w) }));
  const half = 0.15 * (g.w.max - g.w.min);
  chart('curve-chart').setOption({
    animation: false, grid: { left: 64, right: 16, top: 16, bottom: 36 },
    xAxis: { type: 'value', name: 'w1', nameLocation: 'middle', nameGap: 24, min: g.w.min, max: g.w.max },
    yAxis: { type: 'value', name: 'L', scale: true, axisLabel: { formatter: (v) => fmt(v) } },
    series: [
      { type: 'line', showSymbol: false, data: curve.u.map((u, i) => [u, curve.values[i]]), lineStyle: { color: '#1f5ab4', width: 2 } },
      { type: 'line', showSymbol: false, data: [[curve.w0 - half, curve.loss_at_w0 - curve.slope * half],
        [curve.w0 + half, curve.loss_at_w0 + curve.slope * half]], lineStyle: { color: '#e67814', type: 'dashed', width: 2 } },
      { type: 'scatter', data: [[curve.w0, curve.loss_at_w0]], symbolSize: 10, itemStyle: { color: '#d21e1e' } },
    ],
  }, true);
}

async function loadSeries() {
  const params = new URLSearchParams();
  if (state.data) params.set('data', state.data);
  state.seriesData = await api('GET', '/api/series?' + params);
  drawData(null);
}

/** A canvas click, a control or a preset starts work only on a surface that is there. */
function ready() {
  return state.surface && document.body.dataset.state !== 'loading';
}

function dates(first, n) {
  const out = [], d = new Date(first + 'T00:00:00Z');
  for (let i = 0; i < n; i++) { out.push(d.toISOString().slice(0, 10)); d.setUTCDate(d.getUTCDate() + 1); }
  return out;
}

async function drawPredictions(p) {
  const init = ['b=' + p.b, 'w1=' + p.w];
  for (let j = 1; j < state.surface.optimum.w.length; j++) init.push('w' + (j + 1) + '=' + state.surface.optimum.w[j]);
  const predictions = await api('GET', '/api/predict?' + query({ init: init.join(',') }));
  drawData(predictions);
}

function drawData(predictions) {
  const s = state.seriesData;
  const days = dates(s.first, s.days);
  const split = s.train_until;
  const series = [{ name: t('predict.true'), type: 'line', showSymbol: false, data: s.views.map((v, i) => [days[i], v]),
    lineStyle: { width: 1, color: '#1f5ab4' }, itemStyle: { color: '#1f5ab4' },
    markArea: { silent: true, itemStyle: { color: 'rgba(230,120,20,0.08)' }, data: [[{ xAxis: nextDay(split) }, { xAxis: s.last }]] } }];
  if (predictions) {
    const test = dates(predictions.first, predictions.test_days);
    series.push({ name: t('predict.predicted') + ' (L\' = ' + fmt(predictions.test_loss) + ')', type: 'line', showSymbol: false,
      data: predictions.predicted.map((v, i) => [test[i], v]), lineStyle: { width: 1.2, color: '#d21e1e' }, itemStyle: { color: '#d21e1e' } });
  }
  chart('data-chart').setOption({
    animation: false, legend: { top: 0 }, grid: { left: 64, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'time' }, yAxis: { type: 'value', name: t('series.views'), scale: true }, series,
  }, true);
}

function nextDay(date) {
  const d = new Date(date + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10);
}

// ---- controls -------------------------------------------------------------------------------------

function showDataName() {
  $('data-name').textContent = state.dataName ? t('web.uploaded', state.dataName, state.dataDays) : t('web.sample');
}

async function reload() {
  state.run = null; state.shown = 0; play(false);
  $('status').textContent = ''; $('final').hidden = true;
  chart('loss-chart').setOption({ title: { text: t('web.hint'), left: 'center', top: 'middle',
    textStyle: { fontSize: 13, fontWeight: 'normal', color: '#5b6475' } } }, true);
  await loadSurface();
  await loadSeries();
  if (state.surface && state.seriesData) {
    const o = state.surface.optimum;
    await drawCurve({ w: state.start.w, b: o.b });
    await drawPredictions({ w: o.w[0], b: o.b });
  }
}

async function preset(fraction) {
  if (!ready()) return;
  if ($('loss').value === 'mae') { $('loss').value = 'mse'; state.loss = 'mse'; await loadSurface(); }
  $('optimizer').value = 'gd';
  const probe = await api('POST', '/api/train', trainBody(1));
  const lr = fraction * probe.stable_lr;
  $('lr').min = String(Math.min(Number($('lr').min), Math.floor(Math.log10(lr))));
  $('lr').value = String(Math.log10(lr));
  showLearningRate();
  $('steps').value = '60';
  state.start = { w: 0, b: 0 };
  await descend();
}

canvas.addEventListener('click', (event) => {
  if (!ready()) return;
  const r = canvas.getBoundingClientRect();
  const x = (event.clientX - r.left) * canvas.width / r.width, y = (event.clientY - r.top) * canvas.height / r.height;
  const a = plotArea();
  if (x < a.x || x > a.x + a.w || y < a.y || y > a.y + a.h) return;
  state.start = fromPixel(x, y);
  descend();
});
$('play').addEventListener('click', () => {
  if (!state.run) return;
  if (state.shown >= state.run.trajectory.length - 1) state.shown = 0;
  play(!state.playing);
});
$('step').addEventListener('click', () => {
  if (!state.run) return;
  play(false);
  state.shown = Math.min(state.run.trajectory.length - 1, state.shown + 1);
  render();
  if (state.shown === state.run.trajectory.length - 1) finish();
});
$('lr').addEventListener('input', showLearningRate);
$('loss').addEventListener('change', () => { state.loss = $('loss').value; reload().catch((e) => showMessage(e.message)); });
$('lags').addEventListener('change', () => { state.lags = Number($('lags').value); reload().catch((e) => showMessage(e.message)); });
$('lang').addEventListener('click', () => { state.lang = state.lang === 'zh' ? 'en' : 'zh'; loadText(); });
for (const button of document.querySelectorAll('[data-preset]')) {
  button.addEventListener('click', () => preset(Number(button.dataset.preset)).catch((e) => showMessage(e.message)));
}
$('upload').addEventListener('change', async () => {
  const file = $('upload').files[0];
  if (!file) return;
  try {
    const answer = await api('POST', '/api/data?name=' + encodeURIComponent(file.name), await file.text(), 'text/csv');
    state.data = answer.data; state.dataName = answer.name; state.dataDays = answer.days;
    state.lags = 1; $('lags').value = '1';
    showDataName();
    await reload();
  } catch (e) {
    showMessage(e.message);
  }
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

showLearningRate();
loadText().then(reload).catch((e) => showMessage(e.message));
