/**
 * The HTML report's own script (see ../html.ts). It runs in the browser, reads the
 * analysis and the `explain` texts from two `<script type="application/json">`
 * blocks, and builds the page. Captured strings are attacker-controlled: they reach
 * the document only as text nodes (`text()`, `textContent`) or as values of fixed,
 * non-URL attributes set with setAttribute; nothing here parses HTML.
 * A session's diagram is drawn when it is first opened, a few hundred lines at a time.
 */
import type { AnalysisResult, Finding, SessionOut, Severity, TranscriptEntry } from '../../model.js';
import type { CodeLesson, CommandLesson, Lesson, RuleLesson } from '../lesson.js';
import type { framesLabel as FramesLabel } from '../labels.js';

/** labels.ts's framesLabel (`2, 4, 6–9 … and N more frames`): ../html.ts puts its source before this script, which cannot import. */
declare const framesLabel: typeof FramesLabel;

type Child = Node | string | number | null | undefined | false;

const SVG_NS = 'http://www.w3.org/2000/svg';
const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
/** Transcript lines drawn per chunk of a diagram; the next chunk is drawn on demand. */
const CHUNK = 300;
/** Characters of a line shown on an arrow; the whole line is in the explanation. */
const LABEL_CHARS = 54;

function readJson<T>(id: string): T {
  const el = document.getElementById(id);
  return JSON.parse(el?.textContent ?? 'null') as T;
}

const result = readJson<AnalysisResult>('pop3scope-data');
const lesson = readJson<Lesson>('pop3scope-lesson');
const commandLessons = new Map<string, CommandLesson>(lesson.commands.map((c) => [c.keyword, c]));
const codeLessons = new Map<string, CodeLesson>(lesson.codes.map((c) => [c.code, c]));
const ruleLessons = new Map<string, RuleLesson>(lesson.rules.map((r) => [r.id, r]));

// ---------------------------------------------------------------- DOM helpers

/** An element with fixed attributes (names and values chosen here) and text children. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  append(el, children);
  return el;
}

function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

function button(label: Child, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

// ---------------------------------------------------------------- labels (as src/report/labels.ts prints them)

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function size(octets: number): string {
  const units: [number, string][] = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'KB']];
  for (const [n, unit] of units) if (octets >= n) return `${(octets / n).toFixed(1)} ${unit}`;
  return `${octets} B`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Seconds since the epoch, keeping the fraction Date.parse would round to milliseconds. */
function seconds(iso: string): number {
  const m = /^(.*?:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!m) return NaN;
  return Date.parse(m[1] + 'Z') / 1000 + (m[2] ? Number('0.' + m[2]) : 0);
}

function elapsed(from: string, to: string): string {
  const d = seconds(to) - seconds(from);
  return Number.isFinite(d) ? `${d.toFixed(3)} s` : '';
}

function clip(text: string, max = LABEL_CHARS): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** A client line as the transcript prints it (the argument arrives redacted from the analysis). */
function clientLine(e: TranscriptEntry): string {
  if (e.command !== undefined) return e.argument === undefined ? e.command : `${e.command} ${e.argument}`;
  if (e.sasl) return `[SASL] ${e.argument ?? ''}`.trimEnd();
  if (e.secret) return '[redacted]';
  return e.raw ?? e.argument ?? '(empty line)';
}

function serverLine(e: TranscriptEntry): string {
  if (e.status === undefined) return e.secret ? '[redacted]' : (e.raw ?? e.text ?? '');
  const text = e.text ?? '';
  const code = e.code !== undefined && !text.startsWith(`[${e.code}]`) ? `[${e.code}] ` : '';
  return `${e.status} ${code}${text}`.trimEnd();
}

function lineOf(e: TranscriptEntry): string {
  return e.from === 'client' ? clientLine(e) : serverLine(e);
}

function sameFrame(a: number | string, b: number | string): boolean {
  return String(a) === String(b);
}

function entryHasFrame(e: TranscriptEntry, frame: number | string): boolean {
  return sameFrame(e.frame, frame) || (e.frames ?? []).some((f) => sameFrame(f, frame));
}

// ---------------------------------------------------------------- page state

const findingsBySession = new Map<string, Finding[]>();
for (const f of result.findings) {
  if (f.session === null) continue;
  const list = findingsBySession.get(f.session) ?? [];
  list.push(f);
  findingsBySession.set(f.session, list);
}

function worst(findings: readonly Finding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) if (best === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best]) best = f.severity;
  return best;
}

interface SessionView {
  session: SessionOut;
  index: number;
  details: HTMLDetailsElement;
  drawn: boolean;
}
const views: SessionView[] = [];

/** Opens a session's details, draws it if needed, and scrolls it into view. */
function openSession(index: number, frame?: number | string): void {
  const v = views[index];
  if (!v) return;
  if (v.details.hidden) resetFilters();
  v.details.open = true;
  drawSession(v);
  const target = frame === undefined ? null : v.details.querySelector<SVGElement>(`[data-frame="${CSS.escape(String(frame))}"]`);
  (target ?? v.details).scrollIntoView({ block: 'center' });
  if (target) target.focus({ preventScroll: true });
  else v.details.querySelector('summary')?.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- overview

function header(): HTMLElement {
  const first = result.captures.map((c) => c.first).filter((t): t is string => t !== null).sort()[0];
  const last = result.captures.map((c) => c.last).filter((t): t is string => t !== null).sort().at(-1);
  const chips = h('p', { class: 'chips' });
  for (const sev of ['critical', 'high', 'medium', 'low', 'info'] as Severity[]) {
    const n = result.findings.filter((f) => f.severity === sev).length;
    if (n > 0) chips.append(h('span', { class: `chip sev-${sev}` }, `${n} ${sev}`));
  }
  if (result.findings.length === 0) chips.append(h('span', { class: 'chip ok' }, 'no findings'));
  return h('header', { class: 'top' },
    h('h1', {}, 'POP3 sessions in ', result.captures.map((c) => c.path).join(', ')),
    h('p', { class: 'sub' },
      `${count(result.sessions.length, 'session')}, ${count(result.findings.length, 'finding')}`,
      first && last ? ` · ${first} → ${last} (${elapsed(first, last)})` : '',
      ` · ${result.tool.name} ${result.tool.version}`),
    chips);
}

function captureFacts(): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-capture' }, h('h2', { id: 'h-capture' }, 'Capture'));
  for (const c of result.captures) {
    const dl = h('dl', { class: 'facts' });
    const fact = (k: string, ...v: Child[]) => dl.append(h('dt', {}, k), h('dd', {}, ...v));
    fact('file', h('code', {}, c.path));
    fact('format', [c.format, c.compression, c.timestampPrecision === null ? null : `${c.timestampPrecision} timestamps`].filter(Boolean).join(', '));
    fact('link types', c.linkTypes.join(', ') || '–');
    fact('packets', c.packets.toLocaleString('en'), c.bytes === undefined ? '' : ` (${size(c.bytes)})`);
    if (c.first !== null && c.last !== null) fact('time', `${c.first} → ${c.last}`, h('span', { class: 'dim' }, ` (${elapsed(c.first, c.last)})`));
    const skipped = Object.entries(c.skipped ?? {});
    if (skipped.length > 0) fact('skipped', skipped.map(([k, n]) => `${k} ${n}`).join(', '));
    if (c.warnings.length > 0) {
      fact('warnings', h('ul', { class: 'plain' }, ...c.warnings.map((w) => h('li', { class: w.fatal ? 'bad' : 'warn' },
        h('code', {}, w.code), ' ', w.message,
        w.offset === undefined ? '' : `, offset ${w.offset}`, w.frame === undefined ? '' : `, frame ${w.frame}`))));
    } else {
      fact('warnings', 'none');
    }
    section.append(dl);
  }
  const more = h('dl', { class: 'facts' });
  if (result.connections) more.append(h('dt', {}, 'connections'), h('dd', {}, `${result.connections.total} on POP3 ports, ${result.connections.empty} without data (not listed)`));
  const limits = Object.entries(result.limits ?? {});
  if (limits.length > 0) more.append(h('dt', {}, 'limits hit'), h('dd', { class: 'warn' }, limits.map(([k, n]) => `${k} ${n}`).join(', ')));
  if (more.childElementCount > 0) section.append(more);
  return section;
}

function findingsSection(): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-findings' }, h('h2', { id: 'h-findings' }, 'Findings'));
  const sorted = result.findings.map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.i - b.i);
  if (sorted.length === 0) section.append(h('p', { class: 'dim' }, 'No rule found anything to report.'));
  const list = h('ol', { class: 'findings' });
  for (const { f } of sorted) {
    const index = result.sessions.findIndex((s) => s.id === f.session);
    const item = h('li', { class: `finding sev-${f.severity}`, 'data-rule': f.rule, 'data-session': f.session ?? '' },
      h('div', { class: 'finding-head' },
        h('span', { class: `badge sev-${f.severity}` }, f.severity),
        button(f.rule, () => showRule(f.rule, f), { class: 'link rule' }),
        f.frames.length > 0 ? h('span', { class: 'dim' }, ` frame${f.frames.length === 1 ? '' : 's'} ${framesLabel(f.frames)}`) : null,
        index >= 0 ? button(`session #${f.session} →`, () => openSession(index, f.frames[0]), { class: 'link goto' }) : null),
      h('p', { class: 'message' }, f.message),
      h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), f.remediation));
    list.append(item);
  }
  section.append(list);
  return section;
}

const TRANSPORTS = ['plain', 'stls', 'implicit-tls'] as const;
const TRANSPORT_WORDS: Record<string, string> = { plain: 'clear text', stls: 'STLS (TLS after a clear start)', 'implicit-tls': 'implicit TLS (port 995)' };

/** One bar per session over the capture's time, in lanes so overlapping sessions stay apart. */
function timeline(): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-timeline' }, h('h2', { id: 'h-timeline' }, 'Timeline'));
  const spans = result.sessions.map((s, i) => ({ i, s, a: seconds(s.start), b: seconds(s.end) }))
    .filter((x) => Number.isFinite(x.a) && Number.isFinite(x.b));
  if (spans.length === 0) {
    section.append(h('p', { class: 'dim' }, 'No sessions.'));
    return section;
  }
  // Folds, not spreads: a spread of one argument per session throws RangeError past ~120,000.
  const t0 = spans.reduce((m, x) => Math.min(m, x.a), Infinity);
  const t1 = spans.reduce((m, x) => Math.max(m, x.b), t0 + 1e-3);
  const n = spans.length;
  const W = 1000, left = 10, right = 40;
  let laneH = n > 120 ? 6 : n > 30 ? 12 : 20, gap = n > 120 ? 2 : 6;
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (W - left - right);
  const pxTime = (px: number) => (px * (t1 - t0)) / (W - left - right);
  const lanes: number[] = [];
  const placed = spans.sort((p, q) => p.a - q.a).map((sp) => {
    // Bars are at least 6 px wide, and a 36 px label follows them when lanes are tall.
    const end = Math.max(sp.b, sp.a + pxTime(6)) + pxTime(laneH >= 20 ? 36 : 4);
    let lane = lanes.findIndex((free) => free <= sp.a);
    if (lane < 0) { lane = lanes.length; lanes.push(end); } else lanes[lane] = end;
    return { ...sp, lane };
  });
  // Many sessions at once: thinner lanes, so the timeline stays a picture, not a scroll.
  if (lanes.length * (laneH + gap) > 480) {
    const pitch = 480 / lanes.length;
    laneH = pitch * 0.75;
    gap = pitch * 0.25;
  }
  const height = 24 + lanes.length * (laneH + gap) + 18;
  const root = svg('svg', { viewBox: `0 0 ${W} ${height}`, class: 'timeline', role: 'img', 'aria-label': `${count(spans.length, 'session')} over ${(t1 - t0).toFixed(3)} seconds` });
  for (let k = 0; k <= 4; k++) {
    const t = t0 + ((t1 - t0) * k) / 4;
    root.append(svg('line', { x1: x(t), x2: x(t), y1: 16, y2: height - 16, class: 'tick' }),
      svg('text', { x: x(t), y: 11, class: 'axis', 'text-anchor': k === 0 ? 'start' : k === 4 ? 'end' : 'middle' }, `+${(t - t0).toFixed(3)} s`));
  }
  for (const p of placed) {
    const y = 20 + p.lane * (laneH + gap);
    const width = Math.max(6, x(p.b) - x(p.a));
    const bar = svg('rect', { x: x(p.a), y, width, height: laneH, rx: 3, class: `bar t-${p.s.transport}` },
      svg('title', {}, `#${p.s.id} ${endpoint(p.s.client)} → ${endpoint(p.s.server)} ${p.s.transport}${p.s.user === null ? '' : ' ' + p.s.user}`));
    bar.addEventListener('click', () => openSession(p.i));
    root.append(bar);
    if (laneH >= 20) root.append(svg('text', { x: x(p.a) + width + 4, y: y + 14, class: 'bar-label' }, `#${p.s.id}`));
    for (const f of findingsBySession.get(p.s.id) ?? []) {
      const at = frameTime(p.s, f.frames[0]);
      const fx = x(Number.isFinite(at) ? at : p.a);
      // A diamond on the bar's top edge, so the bar's colour stays visible.
      root.append(svg('path', { d: `M${fx} ${y - 4} l3.5 4 l-3.5 4 l-3.5 -4 z`, class: `mark sev-${f.severity}` },
        svg('title', {}, `${f.severity} ${f.rule}`)));
    }
  }
  const legend = h('p', { class: 'legend' }, ...TRANSPORTS.map((t) => h('span', { class: `key t-${t}` }, TRANSPORT_WORDS[t])),
    h('span', { class: 'key mark-key' }, 'finding'));
  section.append(root, legend);
  return section;
}

function frameTime(s: SessionOut, frame: number | string | undefined): number {
  if (frame === undefined) return NaN;
  const e = s.transcript.find((t) => entryHasFrame(t, frame));
  return e ? seconds(e.time) : NaN;
}

// ---------------------------------------------------------------- sessions list

interface Column {
  key: string;
  label: string;
  value: (s: SessionOut) => string | number;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'id', label: '#', value: (s) => Number(s.id) || s.id, numeric: true },
  { key: 'client', label: 'client', value: (s) => endpoint(s.client) },
  { key: 'server', label: 'server', value: (s) => endpoint(s.server) },
  { key: 'transport', label: 'transport', value: (s) => s.transport },
  { key: 'user', label: 'user', value: (s) => s.user ?? '' },
  { key: 'auth', label: 'auth', value: (s) => s.auth.map((a) => `${a.mechanism} ${a.outcome}`).join(', ') || (s.transport === 'plain' ? '–' : 'inside TLS') },
  { key: 'retrieved', label: 'retrieved', value: (s) => s.messages.retrieved.length, numeric: true },
  { key: 'deleted', label: 'deleted', value: (s) => s.messages.deleted.length, numeric: true },
  { key: 'committed', label: 'committed', value: (s) => (s.messages.deleted.length === 0 ? '–' : s.messages.committed ? 'yes' : 'lost') },
  { key: 'ended', label: 'ended', value: (s) => s.ended },
  { key: 'findings', label: 'findings', value: (s) => (findingsBySession.get(s.id) ?? []).length, numeric: true },
];

const filters = { user: '', server: '', transport: '', finding: '' };
let shownCount: HTMLElement;
const filterInputs: (HTMLInputElement | HTMLSelectElement)[] = [];

function sessionsSection(): HTMLElement {
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-sessions' }, h('h2', { id: 'h-sessions' }, 'Sessions'));
  const bar = h('div', { class: 'filters', role: 'search' });
  const field = (label: string, control: HTMLInputElement | HTMLSelectElement, key: keyof typeof filters) => {
    control.addEventListener('input', () => { filters[key] = control.value.trim().toLowerCase(); applyFilters(); });
    filterInputs.push(control);
    bar.append(h('label', {}, label, ' ', control));
  };
  field('user', h('input', { type: 'search', placeholder: 'any', name: 'user' }), 'user');
  field('server', h('input', { type: 'search', placeholder: 'any', name: 'server' }), 'server');
  field('transport', select('transport', ['', ...TRANSPORTS]), 'transport');
  const rules = [...new Set(result.findings.map((f) => f.rule))].sort();
  field('finding', select('finding', ['', 'none', ...rules]), 'finding');
  shownCount = h('span', { class: 'dim count', 'aria-live': 'polite' });
  bar.append(shownCount);

  // Each session is a native <details>: its <summary> keeps the disclosure button's role, so the
  // list is not dressed up as an ARIA table; the column header is a row of sort buttons.
  const list = h('div', { class: 'sessions', 'aria-label': 'sessions' });
  const head = h('div', { class: 'row head' });
  let sortKey = 'id';
  let ascending = true;
  const sortButtons: HTMLButtonElement[] = [];
  for (const col of COLUMNS) {
    const sort = button(col.label, () => {
      ascending = sortKey === col.key ? !ascending : true;
      sortKey = col.key;
      for (const b of sortButtons) { b.removeAttribute('data-sort'); b.removeAttribute('aria-pressed'); }
      sort.setAttribute('data-sort', ascending ? 'ascending' : 'descending');
      sort.setAttribute('aria-pressed', 'true');
      sort.setAttribute('aria-label', `sort by ${col.label}, ${ascending ? 'ascending' : 'descending'}`);
      const sorted = [...views].sort((a, b) => compare(col.value(a.session), col.value(b.session)) * (ascending ? 1 : -1) || a.index - b.index);
      for (const v of sorted) list.append(v.details);
    }, { class: 'sort', title: `sort by ${col.label}` });
    if (col.key === 'id') sort.setAttribute('data-sort', 'ascending');
    sortButtons.push(sort);
    head.append(h('span', { class: `c-${col.key}` }, sort));
  }
  list.append(head);
  result.sessions.forEach((s, index) => {
    const details = h('details', { class: 'session', 'data-index': String(index), 'data-session': s.id, 'data-transport': s.transport });
    const summary = h('summary', { class: 'row', 'aria-label': `session ${s.id}, ${endpoint(s.client)} to ${endpoint(s.server)}, ${s.transport}${s.user === null ? '' : ', user ' + s.user}` });
    const sev = worst(findingsBySession.get(s.id) ?? []);
    for (const col of COLUMNS) {
      const v = col.value(s);
      const cell = h('span', { class: `c-${col.key}${col.numeric ? ' num' : ''}`, 'data-col': col.key });
      if (col.key === 'transport') cell.append(h('span', { class: `pill t-${s.transport}` }, String(v)));
      else if (col.key === 'findings' && sev !== null) cell.append(h('span', { class: `badge sev-${sev}` }, String(v)));
      else if (col.key === 'committed' && v === 'lost') cell.append(h('span', { class: 'warn' }, 'lost'));
      else cell.append(String(v));
      summary.append(cell);
    }
    details.append(summary);
    const view: SessionView = { session: s, index, details, drawn: false };
    details.addEventListener('toggle', () => { if (details.open) drawSession(view); });
    views.push(view);
    list.append(details);
  });
  section.append(bar, list);
  applyFilters();
  return section;
}

function select(name: string, values: string[]): HTMLSelectElement {
  const el = h('select', { name });
  for (const v of values) el.append(h('option', { value: v }, v === '' ? 'any' : v));
  return el;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function applyFilters(): void {
  let shown = 0;
  for (const v of views) {
    const s = v.session;
    const rules = (findingsBySession.get(s.id) ?? []).map((f) => f.rule);
    const ok = (filters.user === '' || (s.user ?? '').toLowerCase().includes(filters.user) || s.auth.some((a) => (a.user ?? '').toLowerCase().includes(filters.user)))
      && (filters.server === '' || endpoint(s.server).toLowerCase().includes(filters.server))
      && (filters.transport === '' || s.transport === filters.transport)
      && (filters.finding === '' || (filters.finding === 'none' ? rules.length === 0 : rules.includes(filters.finding)));
    v.details.hidden = !ok;
    if (ok) shown++;
  }
  shownCount.textContent = `showing ${shown} of ${views.length}`;
}

function resetFilters(): void {
  for (const c of filterInputs) c.value = '';
  filters.user = filters.server = filters.transport = filters.finding = '';
  applyFilters();
}

// ---------------------------------------------------------------- one session

function drawSession(v: SessionView): void {
  if (v.drawn) return;
  v.drawn = true;
  const s = v.session;
  const body = h('div', { class: 'session-body' });
  body.append(sessionFacts(s), stateIntro(s));
  const panel = h('aside', { class: 'explain', 'aria-live': 'polite', 'aria-label': 'explanation' },
    h('p', { class: 'dim' }, 'Click a line of the diagram, or Tab to it (then ↑/↓), to see what it means.'));
  const diagram = h('div', { class: 'ladder' });
  body.append(h('div', { class: 'ladder-wrap' }, diagram, panel));
  v.details.append(body);
  const ctx = ladderContext(s, panel);
  drawChunk(ctx, diagram, 0);
}

function sessionFacts(s: SessionOut): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  const fact = (k: string, ...v: Child[]) => dl.append(h('dt', {}, k), h('dd', {}, ...v));
  fact('connection', `${endpoint(s.client)} → ${endpoint(s.server)}`, s.midstream ? ' (already open when the capture began)' : '');
  fact('time', `${s.start} → ${s.end}`, h('span', { class: 'dim' }, ` (${elapsed(s.start, s.end)}), ended by ${s.ended}`));
  fact('bytes', `client ${size(s.bytes.client)}, server ${size(s.bytes.server)}`);
  if (s.tls) {
    const t = s.tls;
    fact('TLS', [t.version ?? 'version unknown', t.cipherSuite ?? 'cipher unknown', t.sni === null ? null : `SNI ${t.sni}`,
      t.alpn.length > 0 ? `ALPN ${t.alpn.join(',')}` : null, `encrypted client ${size(t.encryptedBytes.client)}, server ${size(t.encryptedBytes.server)}`,
      t.alerts.length > 0 ? `alerts: ${t.alerts.join(', ')}` : null].filter(Boolean).join(' · '));
  }
  if (s.notPop3) {
    // As transcript-text.ts says it: the first bytes are in the data only with --show-secrets.
    const n = s.notPop3;
    fact('not POP3', `${n.kind} from the ${n.direction}; first ${n.bytes} bytes`,
      n.firstBytes === undefined ? ' not shown without --show-secrets' : ': ', n.firstBytes === undefined ? null : h('code', {}, n.firstBytes));
  }
  if (s.capabilities) fact('capabilities', s.capabilities.join(' · '));
  if (s.auth.length > 0) {
    fact('logins', h('ul', { class: 'plain' }, ...s.auth.map((a) => h('li', {}, `${a.mechanism} `, a.user === null ? '' : `user ${a.user} `,
      h('span', { class: a.outcome === 'success' ? 'ok' : a.outcome === 'failure' ? 'bad' : '' }, a.outcome),
      a.code === undefined ? '' : ` [${a.code}]`, a.encrypted ? ' (encrypted)' : ' (clear text)', h('span', { class: 'dim' }, ` frames ${framesLabel(a.frames)}`)))));
  }
  if (s.messages.retrieved.length > 0) {
    fact('retrieved', h('ul', { class: 'plain' }, ...s.messages.retrieved.map((m) => h('li', {}, `${m.command} #${m.number}, ${size(m.octets)}`,
      m.from === undefined ? '' : ` · From: ${m.from}`, m.subject === undefined ? '' : ` · Subject: ${m.subject}`))));
  }
  if (s.messages.deleted.length > 0) {
    fact('deleted', `${s.messages.deletedDetails.map((d) => `#${d.number}${d.subject === undefined ? '' : ` (${d.subject})`}`).join(', ')} `,
      h('span', { class: s.messages.committed ? 'ok' : 'warn' }, s.messages.committed ? 'committed by QUIT' : 'not committed: the messages are still on the server'));
  }
  if (s.gaps.length > 0) fact('gaps', s.gaps.map((g) => `${size(g.length)} from the ${g.direction} at frame ${g.frame}`).join('; '));
  if (s.anomalies.length > 0) fact('TCP anomalies', s.anomalies.map((a) => a.message).join('; '));
  const events = Object.entries(s.events);
  if (events.length > 0) fact('events', events.map(([k, n]) => `${k} ${n}`).join(', '));
  return dl;
}

/** RFC 1939 §3's three states, each with this session's own lines as the example. */
function stateIntro(s: SessionOut): HTMLElement {
  const t = s.transcript;
  const firstIn = (state: string) => t.findIndex((e) => e.from === 'client' && e.state === state);
  const quote = (e: TranscriptEntry | undefined) => (e ? h('q', {}, `${e.from === 'client' ? 'C: ' : 'S: '}${clip(lineOf(e), 80)}`) : null);
  const at = (e: TranscriptEntry | undefined) => (e ? h('span', { class: 'dim' }, ` (frame ${e.frame})`) : null);
  const examples: Record<string, Child[]> = {};
  const tlsStart = s.tls?.startFrame ?? null;

  const greeting = t.find((e) => e.from === 'server');
  const transStart = firstIn('TRANSACTION');
  const login = transStart > 0 ? [...t.slice(0, transStart)].reverse().find((e) => e.from === 'server' && e.status === '+OK') : undefined;
  const auth: Child[] = [];
  if (s.transport === 'implicit-tls' && t.length === 0) {
    auth.push('Here the whole session ran inside TLS from the first byte, so its greeting and login are encrypted and not shown.');
  } else {
    if (greeting) auth.push('Here the server greeted with ', quote(greeting), at(greeting));
    else auth.push('The capture does not show the greeting');
    if (login) auth.push(', and the login ended with ', quote(login), at(login), '.');
    else if (tlsStart !== null) auth.push(`; then the client switched to TLS (frame ${tlsStart}), so the login inside it is not visible.`);
    else auth.push('; no login succeeded in what the capture shows.');
  }
  examples['AUTHORIZATION'] = auth;
  const trans: Child[] = [];
  if (transStart >= 0) {
    const cmds = t.filter((e) => e.from === 'client' && e.state === 'TRANSACTION' && e.command !== undefined);
    trans.push(`Here the client sent ${count(cmds.length, 'command')} in this state, from `, quote(cmds[0]), at(cmds[0]));
    if (cmds.length > 1) trans.push(' to ', quote(cmds[cmds.length - 1]), at(cmds[cmds.length - 1]));
    trans.push('.');
  } else {
    trans.push('This session never reached it', s.tls ? ' in what the capture shows (the rest is inside TLS).' : '.');
  }
  examples['TRANSACTION'] = trans;
  const quitOk = t.find((e) => e.from === 'server' && e.answers === 'QUIT' && e.status === '+OK');
  const deleted = s.messages.deleted.map((n) => '#' + n).join(', ');
  const update: Child[] = [];
  if (s.state === 'UPDATE') {
    update.push('Here QUIT was answered ', quote(quitOk), at(quitOk),
      deleted ? `: the deletion of ${deleted} took effect.` : '; no message was marked, so none was removed.');
  } else {
    update.push(s.tls && !quitOk ? `Not in what the capture shows: the session ended by ${s.ended}, and whatever happened inside TLS is not visible` : `This session never reached it: it ended by ${s.ended}`);
    if (deleted) update.push(`, so the messages marked for deletion (${deleted}) `, h('strong', {}, 'were not removed'), '.');
    else update.push(quitOk ? ' (QUIT before a login ends the session without an UPDATE).' : '.');
  }
  examples['UPDATE'] = update;
  const ol = h('ol', { class: 'states' });
  for (const st of lesson.states) {
    const reached = st.state === 'AUTHORIZATION' || (st.state === 'TRANSACTION' ? transStart >= 0 : s.state === 'UPDATE');
    ol.append(h('li', { class: `state st-${st.state}${reached ? '' : ' unreached'}` },
      h('strong', {}, st.state), ': ', st.what, '. ', h('span', { class: 'here' }, ...(examples[st.state] ?? []))));
  }
  return h('section', { class: 'intro' },
    h('h3', {}, 'How this session moved through POP3\u2019s three states ', h('span', { class: 'dim' }, '(RFC 1939 §3)')), ol);
}

// ---------------------------------------------------------------- the ladder diagram

interface Row {
  kind: 'entry' | 'tls' | 'gap' | 'end';
  entry?: TranscriptEntry;
  text?: string;
  state: string;
}

interface LadderContext {
  s: SessionOut;
  rows: Row[];
  panel: HTMLElement;
  /** Frame → findings pinned to it. */
  pins: Map<string, Finding[]>;
  /** Index of the first row inside TLS, or -1. */
  tlsFrom: number;
  selected: Element | null;
}

const W = 860;
const X_CLIENT = 190;
const X_SERVER = 640;
const X_STATE = 672;
const X_PIN = 700;

function ladderContext(s: SessionOut, panel: HTMLElement): LadderContext {
  const rows: Row[] = [];
  let state = 'AUTHORIZATION';
  let tlsFrom = -1;
  const stlsOk = s.transcript.findIndex((e) => e.from === 'server' && e.answers === 'STLS' && e.status === '+OK');
  const gaps = [...s.gaps];
  // Inside TLS the state is not visible, until decrypted lines show it again.
  const HIDDEN = 'HIDDEN';
  if (s.tls && s.transport === 'implicit-tls') {
    tlsFrom = rows.length;
    state = HIDDEN;
    rows.push({ kind: 'tls', state });
  }
  s.transcript.forEach((e, i) => {
    while (gaps.length > 0 && typeof e.frame === 'number' && typeof gaps[0]!.frame === 'number' && gaps[0]!.frame <= e.frame) {
      const g = gaps.shift()!;
      rows.push({ kind: 'gap', text: `⋯ ${size(g.length)} from the ${g.direction} missing from the capture (frame ${g.frame})`, state });
    }
    if (e.from === 'client' && e.state) state = e.state;
    else if (state === HIDDEN) state = 'AUTHORIZATION'; // decrypted lines after a TLS start begin before login (RFC 2595 §4)
    if (e.from === 'server' && e.answers === 'QUIT' && e.status === '+OK' && s.state === 'UPDATE') state = 'UPDATE';
    rows.push({ kind: 'entry', entry: e, state });
    if (i === stlsOk && s.tls) {
      tlsFrom = rows.length;
      state = HIDDEN;
      rows.push({ kind: 'tls', state });
    }
  });
  for (const g of gaps) rows.push({ kind: 'gap', text: `⋯ ${size(g.length)} from the ${g.direction} missing from the capture (frame ${g.frame})`, state });
  if (s.tls && tlsFrom < 0) {
    tlsFrom = rows.length;
    state = HIDDEN;
    rows.push({ kind: 'tls', state });
  }
  const cut = s.events['transcript-truncated'] ?? 0;
  if (cut > 0) rows.push({ kind: 'gap', text: `… ${count(cut, 'more line')} counted but not kept (--limit transcript-entries)`, state });
  rows.push({ kind: 'end', state });
  const pins = new Map<string, Finding[]>();
  for (const f of findingsBySession.get(s.id) ?? []) {
    for (const frame of f.frames) {
      const row = pinRow(rows, frame);
      if (row === undefined) continue;
      const key = String(row);
      const list = pins.get(key) ?? [];
      if (!list.includes(f)) list.push(f);
      pins.set(key, list);
    }
  }
  return { s, rows, panel, pins, tlsFrom, selected: null };
}

/** The row a finding's frame belongs to: its own entry, else the first entry after it, else the TLS or end row. */
function pinRow(rows: Row[], frame: number | string): number | undefined {
  const own = rows.findIndex((r) => r.entry !== undefined && entryHasFrame(r.entry, frame));
  if (own >= 0) return own;
  if (typeof frame === 'number') {
    const after = rows.findIndex((r) => r.entry !== undefined && typeof r.entry.frame === 'number' && r.entry.frame >= frame);
    if (after >= 0) return after;
  }
  const tls = rows.findIndex((r) => r.kind === 'tls');
  return tls >= 0 ? tls : rows.length - 1;
}

function rowHeight(r: Row): number {
  if (r.kind === 'entry' && r.entry?.data) return 66;
  if (r.kind === 'tls') return 52;
  return 34;
}

function drawChunk(ctx: LadderContext, into: HTMLElement, from: number): void {
  const to = Math.min(ctx.rows.length, from + CHUNK);
  const heads = from === 0 ? 46 : 0;
  let height = heads;
  for (let i = from; i < to; i++) height += rowHeight(ctx.rows[i]!);
  height += 8;
  const root = svg('svg', { viewBox: `0 0 ${W} ${height}`, width: W, height, class: 'ladder-svg', role: 'group',
    'aria-label': `session ${ctx.s.id}, lines ${from + 1} to ${to} of ${ctx.rows.length}` });
  // TLS shading, state band and lifelines first, so arrows and labels sit on top.
  let y = heads;
  const bands: { state: string; y0: number; y1: number }[] = [];
  let tlsY: number | null = null;
  for (let i = from; i < to; i++) {
    const r = ctx.rows[i]!;
    const hgt = rowHeight(r);
    if (ctx.tlsFrom >= 0 && i >= ctx.tlsFrom && tlsY === null) tlsY = y;
    const last = bands[bands.length - 1];
    if (last && last.state === r.state) last.y1 = y + hgt;
    else bands.push({ state: r.state, y0: y, y1: y + hgt });
    y += hgt;
  }
  if (tlsY !== null) root.append(svg('rect', { x: X_CLIENT - 30, y: tlsY, width: X_SERVER - X_CLIENT + 60, height: y - tlsY, class: 'tls-zone' }));
  root.append(svg('line', { x1: X_CLIENT, x2: X_CLIENT, y1: heads === 0 ? 0 : 36, y2: height, class: 'lifeline' }),
    svg('line', { x1: X_SERVER, x2: X_SERVER, y1: heads === 0 ? 0 : 36, y2: height, class: 'lifeline' }));
  for (const b of bands) {
    root.append(svg('rect', { x: X_STATE, y: b.y0 + 1, width: 14, height: Math.max(2, b.y1 - b.y0 - 2), rx: 3, class: `band st-${b.state}` },
      svg('title', {}, b.state === 'HIDDEN' ? 'state not visible inside TLS' : `${b.state} state`)));
    if (b.y1 - b.y0 > 90) {
      const cy = (b.y0 + b.y1) / 2;
      root.append(svg('text', { x: X_STATE + 7, y: cy, class: 'band-label', transform: `rotate(-90 ${X_STATE + 7} ${cy})`, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, b.state));
    }
  }
  if (from === 0) {
    root.append(
      svg('rect', { x: X_CLIENT - 95, y: 4, width: 190, height: 30, rx: 6, class: 'actor client' }),
      svg('text', { x: X_CLIENT, y: 24, 'text-anchor': 'middle', class: 'actor-label' }, `client ${endpoint(ctx.s.client)}`),
      svg('rect', { x: X_SERVER - 95, y: 4, width: 190, height: 30, rx: 6, class: 'actor server' }),
      svg('text', { x: X_SERVER, y: 24, 'text-anchor': 'middle', class: 'actor-label' }, `server ${endpoint(ctx.s.server)}`),
      svg('text', { x: 8, y: 24, class: 'col-head' }, 'frame'),
      svg('text', { x: 64, y: 24, class: 'col-head' }, 'time'));
  }
  y = heads;
  for (let i = from; i < to; i++) {
    const r = ctx.rows[i]!;
    root.append(drawRow(ctx, r, i, y));
    y += rowHeight(r);
  }
  into.append(root);
  if (to < ctx.rows.length) {
    const more = button(`Draw the next ${Math.min(CHUNK, ctx.rows.length - to)} of ${ctx.rows.length - to} remaining lines`, () => {
      more.remove();
      drawChunk(ctx, into, to);
    }, { class: 'more' });
    into.append(more);
  }
}

function drawRow(ctx: LadderContext, r: Row, i: number, y: number): SVGElement {
  const s = ctx.s;
  const g = svg('g', { class: `row-${r.kind}` });
  const pins = ctx.pins.get(String(i)) ?? [];
  if (r.kind === 'tls' && s.tls) {
    const t = s.tls;
    const decrypted = ctx.rows.slice(i + 1).some((x) => x.kind === 'entry');
    g.append(svg('text', { x: (X_CLIENT + X_SERVER) / 2, y: y + 20, 'text-anchor': 'middle', class: 'tls-label' },
      `TLS from frame ${t.startFrame ?? '?'}: ${t.version ?? 'version unknown'}, ${t.cipherSuite ?? 'cipher unknown'}`),
    svg('text', { x: (X_CLIENT + X_SERVER) / 2, y: y + 38, 'text-anchor': 'middle', class: 'tls-sub' },
      decrypted ? 'decrypted below' : `${size(t.encryptedBytes.client)} from the client, ${size(t.encryptedBytes.server)} from the server, not decrypted`));
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', 'TLS hand-over');
    if (t.startFrame !== null) g.setAttribute('data-frame', String(t.startFrame));
    activate(ctx, g, () => showTls(ctx));
  } else if (r.kind === 'gap') {
    g.append(svg('line', { x1: X_CLIENT, x2: X_SERVER, y1: y + 17, y2: y + 17, class: 'gap-line' }),
      svg('text', { x: (X_CLIENT + X_SERVER) / 2, y: y + 13, 'text-anchor': 'middle', class: 'gap-label' }, r.text ?? ''));
  } else if (r.kind === 'end') {
    const deleted = s.messages.deletedDetails;
    const end = `ended by ${s.ended} after ${elapsed(s.start, s.end)}`;
    const text = deleted.length === 0 ? end
      : s.messages.committed ? `${end} · deletion of ${deleted.map((d) => '#' + d.number).join(', ')} committed`
        : `${end} · deletion of ${deleted.map((d) => '#' + d.number).join(', ')} lost (never committed)`;
    g.append(svg('text', { x: (X_CLIENT + X_SERVER) / 2, y: y + 22, 'text-anchor': 'middle',
      class: deleted.length === 0 ? 'end-label' : s.messages.committed ? 'end-label committed' : 'end-label lost' }, text));
  } else if (r.entry) {
    drawEntry(ctx, g, r.entry, y);
  }
  pins.forEach((f, k) => {
    const py = y + 8 + k * 16;
    const pin = svg('g', { class: `pin sev-${f.severity}`, tabindex: '0', role: 'button', 'aria-label': `finding ${f.severity} ${f.rule}` },
      svg('circle', { cx: X_PIN + 6, cy: py + 5, r: 5 }),
      svg('text', { x: X_PIN + 16, y: py + 9, class: 'pin-label' }, clip(f.rule, 22)),
      svg('title', {}, f.message));
    activate(ctx, pin, () => showRule(f.rule, f, ctx.panel));
    g.append(pin);
  });
  return g;
}

function drawEntry(ctx: LadderContext, g: SVGElement, e: TranscriptEntry, y: number): void {
  const s = ctx.s;
  const fromClient = e.from === 'client';
  const x1 = fromClient ? X_CLIENT : X_SERVER;
  const x2 = fromClient ? X_SERVER : X_CLIENT;
  const ay = y + 24;
  const dir = fromClient ? 1 : -1;
  const kind = fromClient ? 'cmd' : e.status === '-ERR' ? 'err' : e.status === '+OK' ? 'ok' : 'cont';
  const line = lineOf(e);
  g.setAttribute('class', `msg ${kind}${(e.notes?.length ?? 0) > 0 ? ' noted' : ''}`);
  g.setAttribute('tabindex', '0');
  g.setAttribute('role', 'button');
  g.setAttribute('data-frame', String(e.frame));
  g.setAttribute('aria-label', `frame ${e.frame}, ${fromClient ? 'client' : 'server'}: ${line}`);
  const marks: string[] = [];
  if (e.command === 'DELE' && !e.notes?.length) marks.push('✕ marks for deletion');
  if (e.command === 'RSET') marks.push('↺ unmarks deletions');
  if ((e.notes?.length ?? 0) > 0) marks.push('⚠ ' + e.notes!.join('; '));
  g.append(
    svg('rect', { x: 0, y: y + 1, width: X_STATE - 6, height: rowHeight({ kind: 'entry', entry: e, state: '' }) - 2, class: 'hit' }),
    svg('text', { x: 8, y: ay + 4, class: 'frame' }, String(e.frame)),
    svg('text', { x: 64, y: ay + 4, class: 'time' }, `+${elapsed(s.start, e.time)}`),
    svg('line', { x1, x2: x2 - dir * 8, y1: ay, y2: ay, class: 'arrow' }),
    svg('path', { d: `M${x2} ${ay} l${-dir * 9} -5 l0 10 z`, class: 'head' }),
    svg('text', { x: fromClient ? X_CLIENT + 10 : X_SERVER - 10, y: ay - 6, 'text-anchor': fromClient ? 'start' : 'end', class: 'label' },
      clip(line), svg('title', {}, line)));
  if (marks.length > 0) {
    // Beside the label, on the far side of the arrow: commands are short, so the line has room.
    g.append(svg('text', { x: fromClient ? X_SERVER - 12 : X_CLIENT + 12, y: ay - 6, 'text-anchor': fromClient ? 'end' : 'start', class: 'mark-label' }, clip(marks.join(' · '), 40)));
  }
  if (e.data) {
    const d = e.data;
    const facts = [`${e.answers ?? ''} data: ${size(d.octets)}, ${count(d.lines, 'line')}${d.complete ? '' : ', incomplete'}`.trim()];
    const second = d.headers
      ? [d.headers.from === undefined ? null : `From: ${d.headers.from}`, d.headers.subject === undefined ? null : `Subject: ${d.headers.subject}`].filter(Boolean).join('  ·  ')
      : (d.lineItems ?? []).slice(0, 8).join(' | ') + ((d.lineItems?.length ?? 0) > 8 ? ' | …' : '');
    g.append(svg('rect', { x: X_CLIENT + 14, y: ay + 6, width: X_SERVER - X_CLIENT - 28, height: 34, rx: 4, class: `data${d.complete ? '' : ' incomplete'}` }),
      svg('text', { x: X_CLIENT + 24, y: ay + 20, class: 'data-label' }, facts[0]!),
      svg('text', { x: X_CLIENT + 24, y: ay + 34, class: 'data-sub' }, clip(second, 62)));
  }
  activate(ctx, g, () => showEntry(ctx, e));
}

/** Click, Enter, Space and focus all show the same explanation. */
function activate(ctx: LadderContext, el: SVGElement, show: () => void): void {
  const go = () => {
    ctx.selected?.classList.remove('selected');
    el.classList.add('selected');
    ctx.selected = el;
    show();
  };
  el.addEventListener('click', (ev) => { ev.stopPropagation(); go(); });
  el.addEventListener('focus', go);
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(); }
    // Up and down walk the diagram's lines, so a reader need not Tab past the pins.
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      const lines = [...(el.closest('.ladder')?.querySelectorAll<SVGElement>('.msg, .row-tls[tabindex]') ?? [])];
      const next = lines[lines.indexOf(el) + (ev.key === 'ArrowDown' ? 1 : -1)];
      if (next) { ev.preventDefault(); next.focus(); }
    }
  });
}

// ---------------------------------------------------------------- the explanations

function examplePre(lines: string[]): HTMLElement {
  const pre = h('pre', { class: 'example' });
  for (const l of lines) pre.append(h('span', { class: l.startsWith('C:') ? 'ex-c' : 'ex-s' }, l), '\n');
  return pre;
}

function facts(pairs: [string, Child][]): HTMLElement {
  const dl = h('dl', { class: 'lesson' });
  for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== '') dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

function commandBlock(c: CommandLesson): HTMLElement {
  const box = h('div', { class: 'lesson-block', 'data-lesson': c.keyword },
    h('h4', {}, c.keyword, h('span', { class: 'rfc' }, ` (${c.rfc})`)),
    facts([['usage:', h('code', {}, c.syntax)], ['what:', c.what], ['valid in:', `${c.states.join(', ')} state`], ['reply:', c.reply],
      ['secret:', c.secret ? 'its credential is redacted in every output unless --show-secrets' : null]]));
  if (c.example.length > 0) box.append(h('p', { class: 'ex-head' }, 'example:'), examplePre(c.example));
  return box;
}

function codeBlock(code: string): HTMLElement {
  const spec = codeLessons.get(code.toUpperCase()) ?? codeLessons.get(code.toUpperCase().split('/')[0]!);
  if (!spec) return h('div', { class: 'lesson-block' }, h('h4', {}, `[${code}]`), h('p', {}, 'a response code pop3scope does not know (RFC 2449 §8 lets servers add their own).'));
  const box = h('div', { class: 'lesson-block', 'data-lesson': spec.code },
    h('h4', {}, `[${spec.code}]`, h('span', { class: 'rfc' }, ` response code (${spec.rfc})`)), facts([['what:', spec.what]]));
  if (spec.example.length > 0) box.append(h('p', { class: 'ex-head' }, 'example:'), examplePre(spec.example));
  return box;
}

function showEntry(ctx: LadderContext, e: TranscriptEntry): void {
  const panel = ctx.panel;
  const s = ctx.s;
  const where = `frame ${e.frame}${e.frames && e.frames.length > 1 ? ` (frames ${framesLabel(e.frames)})` : ''} · +${elapsed(s.start, e.time)}${e.state ? ` · ${e.state} state` : ''}`;
  const out: Child[] = [
    h('p', { class: `quote ${e.from}` }, e.from === 'client' ? 'C: ' : 'S: ', lineOf(e)),
    h('p', { class: 'dim' }, where),
  ];
  for (const note of e.notes ?? []) out.push(h('p', { class: 'bad' }, '⚠ ', note));
  if (e.from === 'client') {
    const c = e.command === undefined ? undefined : commandLessons.get(e.command);
    if (c) {
      if (e.state && !c.states.includes(e.state)) out.push(h('p', { class: 'bad' }, `${c.keyword} is not valid in the ${e.state} state.`));
      out.push(commandBlock(c));
    } else if (e.sasl) {
      out.push(h('div', { class: 'lesson-block' }, h('h4', {}, 'SASL answer'), facts([['what:', lesson.sasl.answer]])));
    } else if (e.command === '*') {
      out.push(h('div', { class: 'lesson-block' }, h('h4', {}, 'SASL cancel'), facts([['what:', lesson.sasl.answer]])));
    } else {
      out.push(h('p', {}, 'Not a POP3 command pop3scope knows.'));
    }
  } else {
    if (e.status === '+') {
      out.push(h('div', { class: 'lesson-block' }, h('h4', {}, 'SASL challenge (+)'), facts([['what:', lesson.sasl.challenge]])));
    } else if (e.status !== undefined) {
      const st = lesson.statuses.find((x) => x.status === e.status);
      if (st) out.push(h('div', { class: 'lesson-block' }, h('h4', {}, st.status), facts([['what:', st.what]])));
    }
    if (e.code !== undefined) out.push(codeBlock(e.code));
    if (e.data) out.push(dataBlock(e));
    const answered = e.answers === undefined ? undefined : commandLessons.get(e.answers);
    if (answered) out.push(h('p', { class: 'ex-head' }, `It answers ${answered.keyword}:`), commandBlock(answered));
    else if (e.status !== undefined && e.answers === undefined && e === s.transcript.find((x) => x.from === 'server')) {
      out.push(h('p', { class: 'dim' }, 'The greeting: the server speaks first, and the session starts in the AUTHORIZATION state.'));
    }
  }
  panel.replaceChildren();
  for (const c of out) if (typeof c === 'object' && c !== null) panel.append(c);
}

function dataBlock(e: TranscriptEntry): HTMLElement {
  const d = e.data!;
  const box = h('div', { class: 'lesson-block' }, h('h4', {}, `${e.answers ?? ''} data`.trim()),
    facts([['size:', `${size(d.octets)} (${d.octets} octets after dot-unstuffing), ${count(d.lines, 'line')}`],
      ['frames:', sameFrame(d.firstFrame, d.lastFrame) ? String(d.firstFrame) : `${d.firstFrame} – ${d.lastFrame}`],
      ['complete:', d.complete ? 'yes, ended by a line of "."' : 'no: the capture ends before the closing "."'],
      ['From:', d.headers?.from], ['To:', d.headers?.to], ['Subject:', d.headers?.subject], ['Date:', d.headers?.date], ['Message-ID:', d.headers?.messageId]]));
  if (d.lineItems && d.lineItems.length > 0) {
    const items = d.lineItems.slice(0, 40);
    box.append(examplePre(items.map((l) => 'S: ' + l).concat(d.lineItems.length > 40 ? [`   … ${d.lineItems.length - 40} more`] : [])));
  }
  return box;
}

function showTls(ctx: LadderContext): void {
  const t = ctx.s.tls!;
  const stls = commandLessons.get('STLS');
  ctx.panel.replaceChildren(
    h('p', { class: 'quote' }, `TLS from frame ${t.startFrame ?? '?'}`),
    facts([['version:', t.version ?? 'unknown'], ['offered:', t.clientVersions.join(', ')], ['cipher suite:', t.cipherSuite],
      ['SNI:', t.sni], ['ALPN:', t.alpn.join(', ')], ['encrypted:', `client ${size(t.encryptedBytes.client)}, server ${size(t.encryptedBytes.server)}`],
      ['alerts:', t.alerts.join(', ')]]),
    h('p', {}, ctx.s.transport === 'implicit-tls'
      ? 'Implicit TLS (RFC 8314): the connection is encrypted from its first byte, so no POP3 line crosses in clear text.'
      : 'After STLS\u2019s +OK both sides speak TLS; everything below is encrypted.'),
    ...(stls && ctx.s.transport === 'stls' ? [commandBlock(stls)] : []));
}

function showRule(id: string, f: Finding, panel?: HTMLElement): void {
  const r = ruleLessons.get(id);
  const target = panel ?? globalContent;
  const box = h('div', { class: 'lesson-block', 'data-lesson': id },
    h('h4', {}, id, h('span', { class: `badge sev-${f.severity}` }, f.severity)),
    h('p', {}, f.message),
    facts([['frames:', framesLabel(f.frames)], ['rule:', r?.title], ['why:', r?.why], ['fix:', f.remediation], ['see:', r && r.references.length > 0 ? h('span', { class: 'refs' }, ...r.references.map((ref) => h('span', {}, ref))) : null]]));
  if (r && r.example.length > 0) box.append(h('p', { class: 'ex-head' }, 'example:'), examplePre(r.example));
  target.replaceChildren(box);
  if (!panel) {
    globalPanel.hidden = false;
    globalPanel.focus();
  }
}

// ---------------------------------------------------------------- assembling the page

/** Where a rule is explained when it is clicked outside a session: a panel over the page's corner. */
const globalContent = h('div');
const globalPanel = h('aside', { class: 'explain floating', hidden: '', tabindex: '-1', 'aria-live': 'polite', 'aria-label': 'rule explanation' },
  button('close', () => { globalPanel.hidden = true; }, { class: 'close', 'aria-label': 'close the explanation' }), globalContent);
globalPanel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') globalPanel.hidden = true; });

/** Past this many sessions or findings, the style sheet lets the browser skip what is off screen. */
const LARGE = 60;
if (result.sessions.length > LARGE || result.findings.length > LARGE) document.documentElement.classList.add('large');
const app = document.getElementById('app')!;
app.replaceChildren(
  header(),
  h('div', { class: 'overview' }, captureFacts(), timeline()),
  findingsSection(),
  sessionsSection(),
  h('footer', {}, 'Generated by ', result.tool.name, ' ', result.tool.version,
    '. Secrets are redacted as in every other output; captured text is shown as text, never run.'),
);
document.body.append(h('div', { class: 'floating-wrap' }, globalPanel));
document.documentElement.setAttribute('data-ready', 'true');
