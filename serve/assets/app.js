// normsim workbench: the page of `normsim serve`. The model runs on the
// server; this script draws the controls from the parameter registry, sends
// what the user changes, and draws the updates the server streams.
'use strict';

const OI = {
  black: '#000000', orange: '#E69F00', sky: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', red: '#D55E00', purple: '#CC79A7', grey: '#555555', light: '#999999', grid: '#e4e4e4',
};
const LATTICE = [[0x00, 0x72, 0xB2], [0xD5, 0x5E, 0x00], [0x00, 0x9E, 0x73], [0xF0, 0xE4, 0x42]];
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0]; // 0 = as fast as it goes

const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
};

const W = {
  id: null, params: null, catalog: null, state: null, gen: -1,
  points: [], log: [], lattice: null, status: null,
  off: {}, // metric name -> {m, lo, hi} offsets in a point
  controls: {}, // key -> {set(value), row}
  es: null, dirty: true, lastReadout: 0, trail: [],
};

// ---------- the server ----------

async function api(method, path, body) {
  const opt = { method, headers: {} };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const r = await fetch(path, opt);
  let data = null;
  try { data = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) {
    const err = new Error((data && data.error) || `${method} ${path}: ${r.status} ${r.statusText}`);
    err.status = r.status;
    err.problems = (data && data.problems) || [];
    throw err;
  }
  return data;
}

const sessionPath = (p) => `/api/s/${W.id}/${p}`;

function banner(msg, problems) {
  const b = $('banner');
  b.replaceChildren();
  if (!msg) { b.hidden = true; return; }
  b.append(msg);
  if (problems && problems.length > 1) b.append(el('ul', {}, ...problems.map((p) => el('li', { text: p }))));
  b.hidden = false;
}

// linkRequest reads a share link's query: the scenario it names and the
// settings it changes.
function linkRequest(search) {
  const q = new URLSearchParams(search);
  const req = {};
  if (q.get('scenario')) req.scenario = q.get('scenario');
  if (q.get('toml_z')) { req.toml_z = q.get('toml_z'); req.file = q.get('file') || 'link.toml'; }
  const sets = q.getAll('set');
  if (sets.length) req.set = sets;
  return req;
}

async function startSession() {
  const saved = sessionStorage.getItem('normsim-session');
  const search = location.search.replace(/^\?/, '');
  if (saved) {
    try {
      W.id = saved;
      const st = await api('GET', sessionPath('state'));
      if (search && search !== st.share) {
        applyState(await api('POST', sessionPath('load'), linkRequest(search)));
      } else {
        applyState(st);
      }
      return;
    } catch (e) {
      if (e.status && e.status !== 404) banner(e.message, e.problems);
      W.id = null;
    }
  }
  let res;
  try {
    res = await api('POST', '/api/session', linkRequest(search));
  } catch (e) {
    if (!search || e.status === 429 || e.status === 503) throw e;
    banner('This link could not be restored: ' + e.message, e.problems);
    res = await api('POST', '/api/session', {});
  }
  W.id = res.id;
  sessionStorage.setItem('normsim-session', W.id);
  applyState(res.state);
}

function connect() {
  if (W.es) W.es.close();
  W.es = new EventSource(sessionPath('stream'));
  W.es.addEventListener('update', (ev) => onFrame(JSON.parse(ev.data)));
  W.es.onerror = async () => {
    // The server retries by itself; a session that is gone needs a new one.
    try {
      await api('GET', sessionPath('state'));
    } catch (e) {
      if (e.status === 404) {
        W.es.close();
        sessionStorage.removeItem('normsim-session');
        banner('The session had expired: a new one was started with the settings of the link.');
        await startSession();
        connect();
      }
    }
  };
}

function onFrame(f) {
  if (f.state) applyState(f.state);
  if (f.reset || f.gen !== W.gen) {
    W.gen = f.gen; W.points = []; W.log = []; W.lattice = null; W.trail = [];
    $('log').replaceChildren();
  }
  if (f.points && f.points.length) {
    if (f.from === W.points.length) W.points.push(...f.points);
    else if (f.from < W.points.length) { W.points.length = f.from; W.points.push(...f.points); }
  }
  if (f.log) addLog(f.log);
  if (f.lattice) W.lattice = decodeLattice(f.lattice);
  setStatus(f.status);
  if (f.closed) banner('This session was closed by the server: reload the page for a new one.');
  W.dirty = true;
}

// ---------- controls ----------

function buildControls() {
  const P = W.params;
  let i = 1;
  for (const m of P.metrics) {
    W.off[m.name] = m.band ? { m: i, lo: i + 1, hi: i + 2 } : { m: i };
    i += m.band ? 3 : 1;
  }
  for (const name of P.markers) W.off[name] = { m: i++ };

  const run = $('run-params');
  for (const p of P.run) run.append(control(p));
  const groups = $('groups');
  for (const g of P.groups) {
    const gd = el('details', { class: 'group', id: 'grp-' + g.name.toLowerCase().replace(/[^a-z]+/g, '-') },
      el('summary', {}, g.name, el('span', { class: 'gdoc', text: g.doc })));
    for (const s of g.sections) {
      const sd = el('details', { class: 'section', id: 'sec-' + s.name },
        el('summary', {}, el('span', { text: `[${s.name}] ` }), el('span', { class: 'sdoc', text: s.doc })));
      for (const p of s.params) sd.append(control(p));
      gd.append(sd);
    }
    groups.append(gd);
  }
}

function fmtNum(x) {
  if (x === null || x === undefined || !isFinite(x)) return 'n/a';
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return String(+x.toPrecision(4));
}

// allowed says what a parameter allows, briefly: a huge upper bound (a
// guard against typos) is left out.
function allowed(p) {
  if (p.kind === 'int' || p.kind === 'float') {
    const lo = p.lo !== undefined && p.lo > -1e6 ? p.lo : undefined;
    const hi = p.hi !== undefined && p.hi < 1e6 ? p.hi : undefined;
    if (lo === undefined && hi === undefined) return '';
    if (hi === undefined) return (p.lo_open ? '> ' : '>= ') + lo;
    if (lo === undefined) return (p.hi_open ? '< ' : '<= ') + hi;
  }
  return p.allowed;
}

// control builds the row of one parameter: a slider and a number, a switch,
// a select, or a text field for values with a syntax of their own.
function control(p) {
  const id = 'p-' + p.key;
  const short = p.key.split('.').slice(1).join('.');
  const docID = 'd-' + p.key;
  const errID = 'e-' + p.key;
  const tip = `${p.key}: ${p.doc}. Allowed: ${allowed(p) || 'see the doc'}; default ${p.default}.` + (p.event ? ' Events may change it during a run.' : '');
  const row = el('div', { class: 'param', 'data-key': p.key, title: tip });
  const label = el('label', { for: id, text: p.run ? p.doc.split(';')[0].replace(/^./, (c) => c.toUpperCase()) : short });
  if (p.run) label.textContent = { 'run.seed': 'Seed', 'run.replicates': 'Replicates', 'run.steps': 'Steps' }[p.key] || short;
  const doc = el('small', { class: 'doc', id: docID, text: p.doc + (allowed(p) ? ` (${allowed(p)})` : '') });
  const err = el('span', { class: 'err', id: errID, role: 'alert' });
  row.append(label);
  let set;
  const send = (text) => change(p.key, text);
  const desc = `${docID} ${errID}`;
  if (p.kind === 'float' || p.kind === 'int') {
    const rng = el('input', { type: 'range', id: id + '-slider', min: p.soft_lo, max: p.soft_hi, step: p.step, 'aria-label': short + ' (slider)', 'aria-describedby': desc });
    const num = el('input', { type: 'number', id, step: p.kind === 'int' ? 1 : 'any', 'aria-describedby': desc });
    if (p.lo !== undefined) num.min = p.lo;
    if (p.hi !== undefined) num.max = p.hi;
    rng.addEventListener('input', () => { num.value = rng.value; });
    rng.addEventListener('change', () => send(rng.value));
    num.addEventListener('change', () => send(num.value.trim()));
    set = (v) => {
      const x = Number(v);
      if (document.activeElement !== num) num.value = v;
      if (isFinite(x)) {
        if (x > Number(rng.max)) rng.max = x;
        if (x < Number(rng.min)) rng.min = x;
        rng.value = x;
      }
    };
    row.append(rng, num);
  } else if (p.kind === 'seed') {
    const num = el('input', { type: 'text', id, inputmode: 'numeric', pattern: '[0-9]+', 'aria-describedby': desc, class: 'wide' });
    num.addEventListener('change', () => send(num.value.trim()));
    set = (v) => { if (document.activeElement !== num) num.value = v; };
    row.append(num);
  } else if (p.kind === 'bool') {
    const sw = el('input', { type: 'checkbox', role: 'switch', id, class: 'switch', 'aria-describedby': desc });
    sw.addEventListener('change', () => send(sw.checked ? 'true' : 'false'));
    set = (v) => { sw.checked = v === 'true'; sw.setAttribute('aria-checked', sw.checked); };
    row.append(sw);
  } else if (p.kind === 'enum') {
    const sel = el('select', { id, 'aria-describedby': desc }, ...p.enum.map((n) => el('option', { value: n, text: n })));
    sel.addEventListener('change', () => send(JSON.stringify(sel.value)));
    set = (v) => { sel.value = v.replace(/^"|"$/g, ''); };
    row.append(sel);
  } else {
    const txt = el('input', { type: 'text', id, class: 'wide', spellcheck: 'false', 'aria-describedby': desc });
    txt.addEventListener('change', () => send(txt.value.trim()));
    set = (v) => { if (document.activeElement !== txt) txt.value = v; };
    row.append(txt);
  }
  row.append(doc, err);
  W.controls[p.key] = { set, row, err };
  return row;
}

async function change(key, text) {
  const c = W.controls[key];
  c.err.textContent = '';
  try {
    applyState(await api('POST', sessionPath('set'), { set: [`${key}=${text}`] }));
    banner('');
  } catch (e) {
    c.err.textContent = e.problems && e.problems.length ? e.problems.join('\n') : e.message;
    if (W.state) c.set(W.state.values[key]);
  }
}

// ---------- state ----------

function applyState(st) {
  if (W.state && st.version < W.state.version && st.gen <= W.state.gen) return;
  const first = !W.state;
  const scenarioChanged = first || W.state.scenario.name !== st.scenario.name || W.state.scenario.source !== st.scenario.source;
  W.state = st;
  for (const [key, c] of Object.entries(W.controls)) {
    if (st.values[key] !== undefined) c.set(st.values[key]);
    c.row.classList.toggle('changed', st.changed.includes(key));
  }
  $('speed').value = Math.max(0, SPEEDS.indexOf(st.speed));
  $('speed-out').textContent = st.speed === 0 ? 'fastest' : `${st.speed} steps/s`;
  $('scenario-title').textContent = st.scenario.title;
  pickScenario(st.scenario.source);
  $('download').href = sessionPath('scenario.toml');
  $('handout').href = sessionPath('handout.html');
  if (st.share) {
    const q = '?' + st.share;
    if (location.search !== q) history.replaceState(null, '', location.pathname + q);
  } else if (location.search) {
    history.replaceState(null, '', location.pathname);
  }
  $('share-url').value = st.share ? location.origin + location.pathname + '?' + st.share : '';
  $('share-note').textContent = st.share_note || '';
  if (st.notice) banner(st.notice);
  if (scenarioChanged) {
    renderAbout(st.scenario); renderTeach(st.scenario); setupThird(st);
    revealChanged(st.changed);
  }
  $('check').disabled = st.checking;
  setStatus(st.status);
  W.dirty = true;
}

// revealChanged opens the groups and sections that hold changed settings,
// so that a shared link shows what it changed.
function revealChanged(keys) {
  for (const k of keys) {
    let e = W.controls[k] && W.controls[k].row;
    while (e && (e = e.parentElement)) if (e.tagName === 'DETAILS') e.open = true;
  }
}

function pickScenario(source) {
  const sel = $('scenario');
  let opt = [...sel.options].find((o) => o.value === source);
  if (!opt) {
    opt = el('option', { value: source, text: source.startsWith('file ') ? `${source} (opened)` : source });
    sel.prepend(opt);
  }
  sel.value = source;
}

function setStatus(s) {
  if (!s || !W.state) return;
  W.status = s;
  const st = W.state;
  const go = $('go');
  go.textContent = s.running ? 'Pause' : 'Go';
  go.setAttribute('aria-pressed', s.running ? 'true' : 'false');
  go.disabled = (s.done || !!s.error) && !s.running;
  $('step').disabled = s.done || !!s.error;
  $('progress').max = st.steps;
  $('progress').value = s.t;
  $('progress-text').textContent = `Step ${s.t} of ${st.steps}. ${st.live_replicates} of ${st.replicates} replicates live (median and 10-90% band), seed ${st.seed}, kernel ${st.kernel}.`;
  // The live region says only what changes the state of the run.
  let text;
  if (s.error) text = `Stopped at step ${s.t}: ${s.error}`;
  else if (s.done) text = `Run over at step ${s.t}: ${s.outcome}. Press setup to run again.`;
  else if (s.running) text = 'Running.';
  else if (s.t > 0) text = `Paused at step ${s.t}.`;
  else text = 'Set up at step 0: press go.';
  const p = $('status');
  if (p.textContent !== text) p.textContent = text;
  p.classList.toggle('err', !!s.error);
}

function renderAbout(sc) {
  const a = $('about');
  a.replaceChildren();
  a.append(el('p', {}, el('strong', { text: sc.title }), ` (${sc.source}, name ${sc.name})`));
  const para = (h, t) => { if (t) a.append(el('h3', { text: h }), el('p', { text: t })); };
  const list = (h, xs) => { if (xs.length) a.append(el('h3', { text: h }), el('ul', {}, ...xs.map((x) => el('li', { text: x })))); };
  if (!sc.exercise) para('What it is', sc.what);
  para('How it works', sc.how);
  list('Things to notice', sc.notice);
  list('Things to try', sc.try);
  if (sc.events.length) list('Timeline', sc.events.map((e) => `step ${e.step}: ${e.set}`));
  list('References', sc.references);
}

function renderTeach(sc) {
  const t = $('teach');
  t.hidden = sc.goals.length === 0;
  $('teach-h').textContent = sc.exercise ? (sc.title.startsWith('Exercise') ? sc.title : `Exercise: ${sc.title}`) : 'Goals of this scenario';
  $('task').textContent = sc.exercise ? sc.what : 'This scenario states what it should produce. Check runs every replicate and grades it, as normsim check does.';
  $('goals').replaceChildren(...sc.goals.map((g) => el('li', {},
    el('span', { text: (g.kind === 'claim' ? 'Claim: ' : '') + g.text }),
    g.hint ? el('details', {}, el('summary', { text: 'Hint' }), el('span', { text: g.hint })) : null)));
  $('check-result').hidden = true;
  $('check-status').textContent = '';
}

async function runCheck() {
  const btn = $('check');
  btn.disabled = true;
  const st = W.state;
  $('check-status').textContent = `Checking: ${st.replicates} replicates of ${st.steps} steps...`;
  const out = $('check-result');
  try {
    const r = await api('POST', sessionPath('check'));
    const v = (x) => el('span', { class: 'verdict ' + (x === 'PASS' || x === 'SUPPORTED' ? 'pass' : 'fail'), text: x });
    const items = [];
    for (const g of r.goals) {
      items.push(el('li', {}, v(g.verdict), g.line.replace(/^(PASS|FAIL)\s*/, '')));
      if (g.hint) items.push(el('li', { class: 'hint', text: 'Hint: ' + g.hint }));
    }
    for (const c of r.claims) {
      items.push(el('li', {}, v(c.verdict), c.claim));
      if (c.hint) items.push(el('li', { class: 'hint', text: 'Hint: ' + c.hint }));
    }
    out.replaceChildren(
      el('p', {}, el('span', { class: 'verdict big ' + (r.verdict === 'PASS' ? 'pass' : 'fail'), id: 'verdict', text: r.verdict }),
        `${r.met} of ${r.total} goals and claims met, over ${r.replicates} replicates of ${r.steps} steps (seed ${r.seed}), in ${r.seconds.toFixed(1)} s.`),
      el('ul', {}, ...items),
      el('details', {}, el('summary', { text: 'The full report (as normsim check prints it)' }), el('pre', { text: r.text })));
    out.hidden = false;
    $('check-status').textContent = `Checked: ${r.verdict}.`;
  } catch (e) {
    $('check-status').textContent = 'The check failed: ' + e.message;
  } finally {
    btn.disabled = false;
  }
}

// downloadHandout fetches the handout (it runs the scenario, which takes a
// moment) and saves it, or says why it could not be made.
async function downloadHandout(ev) {
  ev.preventDefault();
  const a = $('handout');
  if (a.getAttribute('aria-busy') === 'true') return;
  a.setAttribute('aria-busy', 'true');
  const label = a.textContent;
  a.textContent = 'Preparing the handout...';
  try {
    const r = await fetch(sessionPath('handout.html'));
    if (!r.ok) {
      let msg = `${r.status} ${r.statusText}`;
      try { msg = (await r.json()).error; } catch (e) { /* not JSON */ }
      throw new Error(msg);
    }
    const m = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '');
    const url = URL.createObjectURL(await r.blob());
    const tmp = el('a', { href: url, download: m ? m[1] : 'handout.html' });
    document.body.append(tmp);
    tmp.click();
    tmp.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    banner('The handout could not be made: ' + e.message);
  } finally {
    a.textContent = label;
    a.removeAttribute('aria-busy');
  }
}

// ---------- the log ----------

function addLog(entries) {
  const ol = $('log');
  for (const e of entries) {
    ol.append(el('li', { class: e.kind }, el('span', { class: 'st', text: `step ${e.step}` }), e.text));
  }
  while (ol.children.length > 300) ol.firstChild.remove();
  ol.scrollTop = ol.scrollHeight;
}

// ---------- charts ----------

function val(p, name, part) {
  const o = W.off[name];
  if (!o) return null;
  const i = part === 'lo' ? o.lo : part === 'hi' ? o.hi : o.m;
  return i === undefined ? null : p[i];
}

function canvasBox(cv) {
  const r = cv.getBoundingClientRect();
  const d = window.devicePixelRatio || 1;
  const w = Math.max(10, Math.round(r.width)), h = Math.max(10, Math.round(r.height));
  if (cv.width !== w * d || cv.height !== h * d) { cv.width = w * d; cv.height = h * d; }
  const g = cv.getContext('2d');
  g.setTransform(d, 0, 0, d, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  return { g, w, h };
}

function niceStep(span, n) {
  const raw = span / Math.max(1, n);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

// panel draws series over steps 0..steps in box b of context g.
function panel(g, b, o) {
  const steps = Math.max(1, W.state.steps);
  let ymin = o.ymin, ymax = o.ymax;
  if (ymax === undefined) {
    ymax = o.floor || 0.01;
    for (const p of W.points) for (const s of o.series) {
      const x = s.get(p, s.band ? 'hi' : 'm');
      if (x !== null && isFinite(x) && x > ymax) ymax = x;
    }
    const st = niceStep(ymax, 4);
    ymax = st * Math.ceil(ymax / st * 0.9999);
  }
  const X = (t) => b.x + (t / steps) * b.w;
  const Y = (v) => b.y + b.h - ((v - ymin) / (ymax - ymin)) * b.h;
  g.save();
  // grid and axes
  g.strokeStyle = OI.grid; g.lineWidth = 1; g.fillStyle = '#333';
  g.textAlign = 'right'; g.textBaseline = 'middle';
  const ys = niceStep(ymax - ymin, o.yticks || 4);
  for (let v = Math.ceil(ymin / ys) * ys; v <= ymax + 1e-9; v += ys) {
    g.beginPath(); g.moveTo(b.x, Y(v)); g.lineTo(b.x + b.w, Y(v)); g.stroke();
    g.fillText(fmtNum(+v.toPrecision(6)), b.x - 4, Y(v));
  }
  if (o.xaxis !== false) {
    g.textAlign = 'center'; g.textBaseline = 'top';
    const xs = niceStep(steps, 6);
    for (let t = 0; t <= steps; t += xs) g.fillText(String(t), X(t), b.y + b.h + 3);
  }
  if (o.ylabel) {
    g.save(); g.translate(b.x - 34, b.y + b.h / 2); g.rotate(-Math.PI / 2);
    g.textAlign = 'center'; g.textBaseline = 'bottom'; g.fillText(o.ylabel, 0, 0); g.restore();
  }
  g.strokeStyle = '#888'; g.strokeRect(b.x, b.y, b.w, b.h);
  g.beginPath(); g.rect(b.x, b.y - 1, b.w, b.h + 2); g.clip();
  // events: dashed grey verticals with their labels, light until they fire
  g.setLineDash([4, 3]); g.textAlign = 'left'; g.textBaseline = 'top';
  const now = W.status ? W.status.t : 0;
  for (const e of W.state.scenario.events) {
    g.strokeStyle = g.fillStyle = e.step <= now ? OI.grey : '#bbbbbb';
    g.beginPath(); g.moveTo(X(e.step), b.y); g.lineTo(X(e.step), b.y + b.h); g.stroke();
    if (o.labels !== false) g.fillText(e.label, X(e.step) + 3, b.y + 2);
  }
  g.setLineDash([]);
  for (const h of o.hlines || []) {
    g.setLineDash(h.dash || [2, 3]); g.strokeStyle = h.color || OI.black;
    g.beginPath(); g.moveTo(b.x, Y(h.y)); g.lineTo(b.x + b.w, Y(h.y)); g.stroke();
  }
  g.setLineDash([]);
  // bands, then lines
  for (const s of o.series) {
    if (!s.band) continue;
    g.fillStyle = s.color + '48';
    let run = [];
    const flushBand = () => {
      if (run.length > 1) {
        g.beginPath();
        run.forEach(([t, lo], i) => (i ? g.lineTo(X(t), Y(lo)) : g.moveTo(X(t), Y(lo))));
        for (let i = run.length - 1; i >= 0; i--) g.lineTo(X(run[i][0]), Y(run[i][2]));
        g.closePath(); g.fill();
      }
      run = [];
    };
    for (const p of W.points) {
      const lo = s.get(p, 'lo'), hi = s.get(p, 'hi');
      if (lo === null || hi === null) flushBand(); else run.push([p[0], lo, hi]);
    }
    flushBand();
  }
  for (const s of o.series) {
    g.strokeStyle = s.color; g.lineWidth = s.width || 2; g.setLineDash(s.dash || []);
    g.beginPath();
    let pen = false;
    for (const p of W.points) {
      const v = s.get(p, 'm');
      if (v === null || !isFinite(v)) { pen = false; continue; }
      if (pen) g.lineTo(X(p[0]), Y(v)); else g.moveTo(X(p[0]), Y(v));
      pen = true;
    }
    g.stroke();
  }
  g.setLineDash([]);
  // forum meetings: grey ticks along the bottom, failed ones vermillion
  if (o.forums) {
    for (const p of W.points) {
      const held = val(p, 'forum'), failed = val(p, 'forum_failed');
      if (held > 0) {
        g.strokeStyle = failed > 0 ? OI.red : OI.grey; g.lineWidth = failed > 0 ? 2 : 1.2;
        g.beginPath(); g.moveTo(X(p[0]), b.y + b.h); g.lineTo(X(p[0]), b.y + b.h - (failed > 0 ? 12 : 8)); g.stroke();
      }
    }
  }
  g.restore();
  return { X, Y };
}

const perState = (name) => (p, part) => { const v = val(p, name, part); return v === null ? null : v / W.state.states; };
const plain = (name) => (p, part) => val(p, name, part);

function drawConvergence() {
  const { g, w, h } = canvasBox($('c-conv'));
  const top = { x: 46, y: 8, w: w - 56, h: (h - 34) * 0.68 };
  const bot = { x: 46, y: top.y + top.h + 12, w: w - 56, h: (h - 34) * 0.32 - 10 };
  panel(g, top, {
    ymin: 0, ymax: 1, xaxis: false, ylabel: 'share', forums: true,
    hlines: [{ y: W.state.high, color: OI.light }, { y: W.state.low, color: OI.light }],
    series: [
      { get: plain('belief_restraint_mean'), color: OI.blue, band: true },
      { get: plain('restraint_compliant'), color: OI.orange, dash: [7, 4], band: true },
    ],
  });
  panel(g, bot, {
    ymin: 0, floor: W.state.epsilon * 1.5, yticks: 2, ylabel: 'spread', labels: false,
    hlines: [{ y: W.state.epsilon, dash: [6, 3], color: OI.black }],
    series: [{ get: plain('belief_restraint_sd'), color: OI.purple, band: true }],
  });
}

function drawAttribution() {
  const { g, w, h } = canvasBox($('c-attr'));
  panel(g, { x: 46, y: 8, w: w - 56, h: h - 26 }, {
    ymin: 0, ylabel: 'per state per step', forums: false,
    series: [
      { get: perState('detections'), color: OI.blue },
      { get: perState('true_accusations'), color: OI.green, dash: [7, 4], band: true },
      { get: perState('false_accusations'), color: OI.red, dash: [2, 3], band: true },
      { get: perState('public_accusations'), color: OI.sky, width: 1.5 },
      { get: perState('private_accusations'), color: OI.purple, dash: [7, 4], width: 1.5 },
    ],
  });
}

// The third chart: adoption and forums for the cyber model; traits for
// Axelrod's games; cooperation for the 2x2 game.
function thirdSpec() {
  const k = W.state.kernel;
  if (k === 'axelrod') return {
    title: 'Traits', legend: [['line blue', 'boldness (readiness to escalate)'], ['dash orange', 'vengefulness (readiness to punish)']],
    series: [{ get: plain('boldness_mean'), color: OI.blue, band: true }, { get: plain('vengefulness_mean'), color: OI.orange, dash: [7, 4], band: true }],
  };
  if (k === 'game' || k === 'lattice-game') return {
    title: 'Cooperation', legend: [['line blue', 'share of states restraining (cooperating)']],
    series: [{ get: plain('restraint_rate'), color: OI.blue }],
  };
  return {
    title: 'Adoption and forums',
    legend: [['line green', 'adopted the norm'], ['dash blue', 'adopted, weighted by power'], ['line orange', 'stringency of the text'],
      ['dot purple', 'legitimacy'], ['tick grey', 'forum met'], ['tick red', 'forum failed']],
    forums: true,
    series: [
      { get: plain('adoption'), color: OI.green, band: true },
      { get: plain('adoption_power'), color: OI.blue, dash: [7, 4] },
      { get: plain('stringency'), color: OI.orange, width: 1.5 },
      { get: plain('legitimacy_mean'), color: OI.purple, dash: [2, 3], width: 1.5 },
    ],
  };
}

function setupThird(st) {
  const spec = thirdSpec();
  $('h-third').textContent = spec.title;
  $('c-adopt').setAttribute('aria-label', spec.title + ' chart');
  $('legend-third').replaceChildren(...spec.legend.map(([c, t]) => el('li', {}, el('span', { class: 'sw ' + c }), t)));
  const wl = $('legend-world');
  if (st.lattice) {
    $('h-world').textContent = 'World: the lattice (replicate 0)';
    wl.replaceChildren(...[['blue', 'restraint'], ['red', 'escalation'], ['green', 'newly restraining'], ['yellow', 'newly escalating']]
      .map(([c, t]) => el('li', {}, el('span', { class: 'sw box ' + c, style: null }), t)));
    for (const [i, li] of [...wl.children].entries()) li.firstChild.style.background = `rgb(${LATTICE[i].join(',')})`;
  } else if (st.kernel === 'axelrod') {
    $('h-world').textContent = 'World: boldness and vengefulness';
    wl.replaceChildren(el('li', {}, 'the population (median of replicates), its path; shaded: where Galan and Izquierdo call the norm established (blue) or collapsed (vermillion)'));
  } else {
    $('h-world').textContent = 'World: states by power';
    wl.replaceChildren(
      el('li', {}, el('span', { class: 'sw box' }), 'one square = 1% of a third of the states'),
      el('li', {}, el('span', { class: 'sw box blue' }), 'restraint'),
      el('li', {}, el('span', { class: 'sw box red' }), 'escalation'),
      el('li', {}, el('span', { class: 'sw box green' }), 'adopted'));
    for (const [i, c] of [[1, OI.blue], [2, OI.red], [3, OI.green]]) wl.children[i].firstChild.style.background = c;
  }
}

function drawThird() {
  const { g, w, h } = canvasBox($('c-adopt'));
  const spec = thirdSpec();
  panel(g, { x: 46, y: 8, w: w - 56, h: h - 26 }, { ymin: 0, ymax: 1, ylabel: 'share', forums: spec.forums, series: spec.series });
}

function decodeLattice(f) {
  const bin = atob(f.cells);
  const n = f.w * f.h;
  const img = new ImageData(f.w, f.h);
  const d = img.data;
  for (let k = 0; k < n; k++) {
    const c = (bin.charCodeAt(k >> 2) >> (2 * (k & 3))) & 3;
    const rgb = LATTICE[c];
    d[4 * k] = rgb[0]; d[4 * k + 1] = rgb[1]; d[4 * k + 2] = rgb[2]; d[4 * k + 3] = 255;
  }
  const counts = [0, 0, 0, 0];
  for (let k = 0; k < n; k++) counts[(bin.charCodeAt(k >> 2) >> (2 * (k & 3))) & 3]++;
  return { t: f.t, w: f.w, h: f.h, img, counts };
}

function drawWorld() {
  const cv = $('c-world');
  const { g, w, h } = canvasBox(cv);
  const st = W.state;
  const last = W.points[W.points.length - 1];
  const readout = $('r-world');
  if (st.lattice) {
    const L = W.lattice;
    if (!L) return;
    const off = W.off_canvas || (W.off_canvas = document.createElement('canvas'));
    off.width = L.w; off.height = L.h;
    off.getContext('2d').putImageData(L.img, 0, 0);
    const s = Math.min(w / L.w, h / L.h);
    g.imageSmoothingEnabled = false;
    g.drawImage(off, (w - L.w * s) / 2, (h - L.h * s) / 2, L.w * s, L.h * s);
    const n = L.w * L.h;
    readout.textContent = `Step ${L.t}, replicate 0, ${L.w} x ${L.h} sites: restraint ${pct(L.counts[0] / n)}, escalation ${pct(L.counts[1] / n)}, newly restraining ${pct(L.counts[2] / n)}, newly escalating ${pct(L.counts[3] / n)}.`;
    return;
  }
  if (!last) return;
  if (st.kernel === 'axelrod') {
    const b = { x: 46, y: 8, w: Math.min(w - 56, h - 30), h: Math.min(w - 56, h - 30) };
    g.fillStyle = OI.blue + '30'; g.fillRect(b.x, b.y, b.w * 2 / 7, b.h * 2 / 7);
    g.fillStyle = OI.red + '30'; g.fillRect(b.x + b.w * 6 / 7, b.y + b.h * 6 / 7, b.w / 7, b.h / 7);
    g.strokeStyle = '#888'; g.strokeRect(b.x, b.y, b.w, b.h);
    g.fillStyle = '#333'; g.textAlign = 'center'; g.textBaseline = 'top';
    g.fillText('boldness', b.x + b.w / 2, b.y + b.h + 4);
    g.save(); g.translate(b.x - 8, b.y + b.h / 2); g.rotate(-Math.PI / 2); g.textBaseline = 'bottom'; g.fillText('vengefulness', 0, 0); g.restore();
    const P = (bo, ve) => [b.x + bo * b.w, b.y + (1 - ve) * b.h];
    g.strokeStyle = OI.grey; g.lineWidth = 1; g.beginPath();
    let pen = false;
    for (const p of W.points) {
      const bo = val(p, 'boldness_mean'), ve = val(p, 'vengefulness_mean');
      if (bo === null || ve === null) continue;
      const [x, y] = P(bo, ve);
      if (pen) g.lineTo(x, y); else g.moveTo(x, y);
      pen = true;
    }
    g.stroke();
    const bo = val(last, 'boldness_mean'), ve = val(last, 'vengefulness_mean');
    if (bo !== null && ve !== null) {
      const [x, y] = P(bo, ve);
      g.fillStyle = OI.orange; g.strokeStyle = OI.black; g.beginPath(); g.arc(x, y, 6, 0, 2 * Math.PI); g.fill(); g.stroke();
      readout.textContent = `Step ${last[0]}: mean boldness ${fmtNum(bo)}, mean vengefulness ${fmtNum(ve)} (median of ${st.live_replicates} replicates).`;
    }
    return;
  }
  // States by power tercile: what sim exposes today (see the package doc).
  const terciles = [['low', 'restraint_power_low', 'adoption_power_low'], ['middle', 'restraint_power_mid', 'adoption_power_mid'], ['high', 'restraint_power_high', 'adoption_power_high']];
  let rows = terciles.map(([n, r, a]) => [n + ' power', val(last, r), val(last, a)]);
  if (rows.every((r) => r[1] === null && r[2] === null)) rows = [['all states', val(last, 'restraint_rate'), val(last, 'adoption')]];
  const cw = Math.min((w - 20) / rows.length, h - 50);
  const cell = (cw - 24) / 10;
  const x0 = (w - cw * rows.length) / 2;
  const parts = [];
  rows.forEach(([name, r, a], i) => {
    const x = x0 + i * cw + 12, y = 18;
    g.fillStyle = '#333'; g.textAlign = 'center'; g.textBaseline = 'bottom';
    g.fillText(name, x + cell * 5, y - 3);
    const nr = r === null ? -1 : Math.round(r * 100), na = a === null ? 0 : Math.round(a * 100);
    for (let k = 0; k < 100; k++) {
      const cx = x + (k % 10) * cell, cy = y + Math.floor(k / 10) * cell;
      g.fillStyle = nr < 0 ? '#ddd' : k < nr ? OI.blue : OI.red;
      g.fillRect(cx + 1, cy + 1, cell - 2, cell - 2);
      if (k < na) { g.strokeStyle = OI.green; g.lineWidth = 2; g.strokeRect(cx + 2, cy + 2, cell - 4, cell - 4); }
    }
    g.fillStyle = '#333'; g.textBaseline = 'top';
    g.fillText(`restraint ${r === null ? 'n/a' : pct(r)}, adopted ${a === null ? 'n/a' : pct(a)}`, x + cell * 5, y + cell * 10 + 4);
    parts.push(`${name}: restraint ${r === null ? 'not measured' : pct(r)}, adopted ${a === null ? 'n/a' : pct(a)}`);
  });
  readout.textContent = `Step ${last[0]} (median of ${st.live_replicates} replicates): ` + parts.join('; ') + '.';
}

const pct = (x) => (x === null || !isFinite(x) ? 'n/a' : Math.round(x * 100) + '%');

function readouts() {
  const last = W.points[W.points.length - 1];
  if (!last) return;
  const t = last[0];
  const r = (n, part) => fmtNum(val(last, n, part));
  $('r-conv').textContent = `Step ${t}: restraint belief ${r('belief_restraint_mean')} (${r('belief_restraint_mean', 'lo')} to ${r('belief_restraint_mean', 'hi')}), restraint rate ${r('restraint_compliant')}, spread ${r('belief_restraint_sd')} (converged below ${W.state.epsilon}).`;
  const ps = (n) => fmtNum(val(last, n) / W.state.states);
  $('r-attr').textContent = W.state.kernel === 'game' || W.state.kernel === 'lattice-game' ? 'The 2x2 game has no detection or attribution: this chart stays empty.' : `Step ${t}, per state: detections ${ps('detections')}, true accusations ${ps('true_accusations')}, false ${ps('false_accusations')}, public ${ps('public_accusations')}, private ${ps('private_accusations')}.`;
  const spec = thirdSpec();
  $('r-adopt').textContent = spec.title === 'Adoption and forums'
    ? `Step ${t}: adopted ${r('adoption')}, by power ${r('adoption_power')}, stringency ${r('stringency')}, legitimacy ${r('legitimacy_mean')}.`
    : spec.title === 'Traits' ? `Step ${t}: boldness ${r('boldness_mean')}, vengefulness ${r('vengefulness_mean')}.`
      : `Step ${t}: restraining ${r('restraint_rate')}.`;
}

// frame draws what changed, at most 15 times a second: the server sends
// at most 20 updates a second, and the page stays free for the user.
function frame(now) {
  if (W.dirty && W.state && now - (W.lastDraw || 0) >= 66) {
    W.dirty = false;
    W.lastDraw = now;
    drawConvergence(); drawAttribution(); drawThird(); drawWorld();
    if (now - W.lastReadout > 500 || !(W.status && W.status.running)) { readouts(); W.lastReadout = now; }
  }
  requestAnimationFrame(frame);
}

// ---------- wiring ----------

async function act(action, body) {
  try {
    applyState(await api('POST', sessionPath(action), body));
  } catch (e) {
    banner(e.message, e.problems);
  }
}

function wire() {
  $('setup').addEventListener('click', () => act('setup'));
  $('go').addEventListener('click', () => act(W.status && W.status.running ? 'pause' : 'go'));
  $('step').addEventListener('click', () => act('step', { steps: 1 }));
  $('speed').addEventListener('input', () => {
    const v = SPEEDS[+$('speed').value];
    $('speed-out').textContent = v === 0 ? 'fastest' : `${v} steps/s`;
  });
  $('speed').addEventListener('change', () => act('speed', { speed: SPEEDS[+$('speed').value] }));
  $('check').addEventListener('click', runCheck);
  $('handout').addEventListener('click', downloadHandout);
  $('scenario').addEventListener('change', async () => {
    const v = $('scenario').value;
    if (v.startsWith('file ')) return;
    try { applyState(await api('POST', sessionPath('load'), { scenario: v })); banner(''); } catch (e) { banner(e.message, e.problems); pickScenario(W.state.scenario.source); }
  });
  $('upload').addEventListener('change', async () => {
    const f = $('upload').files[0];
    if (!f) return;
    if (f.size > 256 * 1024) { banner(`${f.name} has ${f.size} bytes: a scenario may have at most 262144 here.`); return; }
    try {
      applyState(await api('POST', sessionPath('load'), { toml: await f.text(), file: f.name }));
      banner('');
    } catch (e) {
      banner(`${f.name}: ${e.message}`, e.problems);
    }
    $('upload').value = '';
  });
  $('share').addEventListener('click', () => {
    const box = $('share-box');
    box.hidden = !box.hidden;
    $('share').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) { $('share-url').focus(); $('share-url').select(); }
  });
  $('copy').addEventListener('click', async () => {
    const u = $('share-url').value;
    if (!u) return;
    try { await navigator.clipboard.writeText(u); $('share-note').textContent = 'Copied.'; } catch (e) {
      $('share-url').select(); document.execCommand('copy'); $('share-note').textContent = 'Copied.';
    }
  });
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)) return;
    if (e.key === 'g') { e.preventDefault(); $('go').click(); }
    else if (e.key === '.') { e.preventDefault(); $('step').click(); }
    else if (e.key === 'r') { e.preventDefault(); $('setup').click(); }
  });
  window.addEventListener('resize', () => { W.dirty = true; });
  window.addEventListener('pagehide', () => { if (W.id && W.status && W.status.running) navigator.sendBeacon(sessionPath('pause')); });
}

async function main() {
  wire();
  try {
    const [params, catalog] = await Promise.all([api('GET', '/api/params'), api('GET', '/api/scenarios')]);
    W.params = params; W.catalog = catalog;
    $('handout').hidden = !params.handouts;
    const sel = $('scenario');
    sel.append(el('optgroup', { label: 'Scenarios' }, ...catalog.scenarios.map((e) => el('option', { value: e.name, text: `${e.name}: ${e.title}` }))));
    sel.append(el('optgroup', { label: 'Exercises' }, ...catalog.exercises.map((e) => el('option', { value: e.name, text: e.title }))));
    buildControls();
    await startSession();
    connect();
    document.body.dataset.ready = '1';
  } catch (e) {
    banner('The workbench could not start: ' + e.message, e.problems);
  }
  requestAnimationFrame(frame);
}

main();
