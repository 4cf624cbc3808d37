/**
 * `transcript` view: each session's commands and responses in order, with the
 * frame to look up in Wireshark and the time since the session started.
 * Client lines read `C→`, server lines `S←`. Multi-line data is folded to one
 * line unless bodies are asked for; a TLS hand-over is one line of handshake
 * facts. Every captured string goes through escapeForTerminal.
 */
import { NO_KEY_LOG_REASON, type AnalysisResult, type MultilineData, type SessionOut, type TlsInfo, type TranscriptEntry } from '../model.js';
import type { Colors } from './colors.js';
import { secondsBetween } from './elapsed.js';
import { POP3_GLOSSARY, SASL_ANSWER, SASL_CHALLENGE, type Glossary } from './glossary.js';
import { flowLabel, plural, sizeLabel } from './labels.js';
import { escapeForTerminal as esc } from './terminal-text.js';
import { REDACTED } from '../redaction.js';

export interface TranscriptOptions {
  colors: Colors;
  /** Annotate commands and response codes with their meaning and RFC section. */
  explain?: boolean;
  /** Print multi-line data (message text, listings) instead of a one-line summary. */
  bodies?: boolean;
  /**
   * Print secret arguments as the model holds them. Redaction happens upstream;
   * without this the renderer also prints `[redacted]` for any entry marked secret.
   */
  showSecrets?: boolean;
  /** Where explanations come from (default: the pop3 command and response-code tables). */
  glossary?: Glossary;
}

/** Listing items shown on a folded data line before `…`. */
const FOLDED_ITEMS = 8;

export function renderTranscript(result: AnalysisResult, opts: TranscriptOptions): string {
  return result.sessions.map((s) => sessionTranscript(s, opts)).join('\n');
}

interface Row {
  frame: string;
  time: string;
  text: string;
  /** Lines under the row, indented past the frame and time columns. */
  more: string[];
}

function sessionTranscript(s: SessionOut, opts: TranscriptOptions): string {
  const { colors } = opts;
  // Rows that are not transcript entries, each placed before the entry at `before`.
  const extra: { before: number; row: Row }[] = [];
  for (const g of s.gaps) {
    // Before the first entry completed at or after the frame that revealed the gap.
    const i = s.transcript.findIndex((e) => typeof e.frame === 'number' && e.frame >= g.frame);
    const text = colors.err(`⋯ ${sizeLabel(g.length)} from the ${g.direction} missing from the capture`);
    extra.push({ before: i < 0 ? s.transcript.length : i, row: { frame: String(g.frame), time: '', text, more: [] } });
  }
  if (s.tls) {
    const frame = s.tls.startFrame === null ? '' : esc(String(s.tls.startFrame));
    extra.push({ before: tlsPosition(s), row: { frame, time: '', text: tlsLine(s.tls, colors), more: [] } });
    // Entries after this line were read from inside TLS.
    if (s.tls.decryption === 'decrypted') extra.push({ before: tlsPosition(s), row: { frame: '', time: '', text: tlsBoundary(s.tls, colors), more: [] } });
  }
  const rows: Row[] = [];
  s.transcript.forEach((e, i) => {
    for (const x of extra) if (x.before === i) rows.push(x.row);
    rows.push(entryRow(e, s, opts));
  });
  for (const x of extra) if (x.before === s.transcript.length) rows.push(x.row);

  const headParts = [colors.bold(`session #${esc(s.id)}`), esc(flowLabel(s)), s.transport, s.start];
  if (s.midstream) headParts.push(colors.dim('midstream'));
  if (s.detection === 'content') headParts.push(colors.dim('found by content'));
  if (s.encapsulation) headParts.push(colors.dim(`via ${esc(s.encapsulation.join('/'))}`));
  if (s.gaps.length > 0) headParts.push(colors.err(plural(s.gaps.length, 'gap')));
  const lines = [headParts.join('  ')];
  if (s.notPop3) {
    const n = s.notPop3;
    const first = n.firstBytes === undefined ? '' : `: ${esc(n.firstBytes)}`;
    lines.push(colors.err(`  not POP3 (${n.kind} from the ${n.direction}); first ${n.bytes} bytes${first || ' not shown without --show-secrets'}`));
  }

  const frameWidth = rows.reduce((m, r) => Math.max(m, r.frame.length), 5);
  const timeWidth = rows.reduce((m, r) => Math.max(m, r.time.length), 4);
  const indent = ' '.repeat(frameWidth + 2 + timeWidth + 2 + 3);
  lines.push(colors.dim(`${'frame'.padStart(frameWidth)}  ${'time'.padStart(timeWidth)}`));
  for (const r of rows) {
    lines.push(`${colors.dim(r.frame.padStart(frameWidth))}  ${colors.dim(r.time.padStart(timeWidth))}  ${r.text}`);
    for (const m of r.more) lines.push(indent + m);
  }
  const duration = secondsBetween(s.start, s.end);
  lines.push(colors.dim(`ended: ${s.ended}` + (duration === null ? '' : ` after ${duration.toFixed(3)} s`)));
  return lines.join('\n') + '\n';
}

function entryRow(e: TranscriptEntry, s: SessionOut, opts: TranscriptOptions): Row {
  const { colors } = opts;
  const glossary = opts.glossary ?? POP3_GLOSSARY;
  const rel = secondsBetween(s.start, e.time);
  const row: Row = { frame: esc(String(e.frame)), time: rel === null ? '' : rel.toFixed(3), text: '', more: [] };

  if (e.from === 'client') {
    row.text = colors.client(`C→ ${clientText(e, opts.showSecrets === true)}`);
    if (opts.explain && e.command !== undefined) {
      const x = glossary.command(e.command);
      if (x) row.more.push(colors.dim(`↳ ${esc(e.command)}: ${x.meaning} (${x.rfc})`));
    } else if (opts.explain && e.sasl) {
      row.more.push(colors.dim(`↳ ${SASL_ANSWER}`));
    }
  } else {
    row.text = colors.server('S← ') + serverText(e, colors);
    if (opts.explain && e.code !== undefined) {
      const x = glossary.responseCode(e.code);
      if (x) row.more.push(colors.dim(`↳ [${esc(e.code)}]: ${x.meaning} (${x.rfc})`));
    } else if (opts.explain && e.status === '+') {
      row.more.push(colors.dim(`↳ ${SASL_CHALLENGE}`));
    }
    if (e.data) for (const line of dataLines(e, e.data, opts)) row.more.push(line);
  }
  for (const note of e.notes ?? []) row.more.push(colors.err(`! ${esc(note)}`));
  return row;
}

function clientText(e: TranscriptEntry, showSecrets: boolean): string {
  // Upstream redacts only the secret part (`APOP bob [redacted]`); an argument marked secret
  // that arrives without the marker is hidden whole, so a redaction slip upstream leaks nothing.
  const hidden = e.secret === true && !showSecrets && !e.argument?.includes(REDACTED);
  const argument = e.argument === undefined ? undefined : hidden ? REDACTED : esc(e.argument);
  if (e.command !== undefined) return esc(e.command) + (argument === undefined ? '' : ' ' + argument);
  if (e.sasl) return `[SASL] ${argument ?? ''}`.trimEnd();
  // An unparsed line: its raw text, unless it is marked secret (the raw line would hold the secret).
  if (e.secret) return REDACTED;
  if (e.raw !== undefined) return esc(e.raw);
  return argument ?? '(empty line)';
}

function serverText(e: TranscriptEntry, colors: Colors): string {
  if (e.status === undefined) {
    if (e.secret) return REDACTED;
    return colors.server(esc(e.raw ?? e.text ?? ''));
  }
  const status = e.status === '-ERR' ? colors.err(e.status) : e.status === '+OK' ? colors.ok(e.status) : e.status;
  const text = e.text ?? '';
  // The code is shown in brackets as the server sent it, once, whether or not the text kept it.
  const code = e.code !== undefined && !text.startsWith(`[${e.code}]`) ? `[${e.code}] ` : '';
  const rest = `${code}${text}`;
  return rest === '' ? status : `${status} ${colors.server(esc(rest))}`;
}

/** The folded line (`RETR data: 18.2 KB, 214 lines, Subject: ...`), or with bodies the data itself. */
function dataLines(e: TranscriptEntry, d: MultilineData, opts: TranscriptOptions): string[] {
  const { colors } = opts;
  const facts = [sizeLabel(d.octets), plural(d.lines, 'line')];
  const h = d.headers;
  if (h?.from !== undefined) facts.push(`From: ${esc(h.from)}`);
  if (h?.subject !== undefined) facts.push(`Subject: ${esc(h.subject)}`);
  if (!d.complete) facts.push(colors.err('incomplete'));
  let folded = `${e.answers !== undefined ? esc(e.answers) + ' ' : ''}data: ${facts.join(', ')}`;
  if (!opts.bodies && d.lineItems && d.lineItems.length > 0) {
    const shown = d.lineItems.slice(0, FOLDED_ITEMS).map(esc).join(' | ');
    folded += `: ${shown}${d.lineItems.length > FOLDED_ITEMS ? ` | … (${d.lineItems.length - FOLDED_ITEMS} more)` : ''}`;
  }
  const lines = [colors.dim(folded)];
  if (opts.bodies) {
    const text = d.body !== undefined ? splitLines(d.body) : (d.lineItems ?? []);
    for (const l of text) lines.push(colors.dim('│ ') + esc(l));
  }
  return lines;
}

function splitLines(body: string): string[] {
  const lines = body.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function tlsLine(t: TlsInfo, colors: Colors): string {
  const cipher = t.cipherSuite ?? (t.cipherSuiteId === null ? 'cipher unknown' : `cipher 0x${t.cipherSuiteId.toString(16).padStart(4, '0')}`);
  const parts = [
    t.version ?? 'version unknown',
    cipher,
    `SNI ${t.sni ?? '-'}`,
    `ALPN ${t.alpn.length > 0 ? t.alpn.join(',') : '-'}`,
    `encrypted C→ ${sizeLabel(t.encryptedBytes.client)}, S← ${sizeLabel(t.encryptedBytes.server)}`,
  ];
  if (t.alerts.length > 0) parts.push(`alerts: ${t.alerts.join(', ')}${t.alertsDropped ? ` and ${t.alertsDropped} more` : ''}`);
  if (t.decryption !== 'decrypted' && t.decryptionReason !== NO_KEY_LOG_REASON) parts.push(`not decrypted: ${t.decryption}${t.decryptionReason ? ` (${t.decryptionReason})` : ''}`);
  return colors.bold('TLS ') + esc(parts.join('  '));
}

/** `── TLS 1.3 TLS_AES_256_GCM_SHA384, decrypted ──`, and why decryption stopped early, if it did. */
function tlsBoundary(t: TlsInfo, colors: Colors): string {
  const line = colors.bold(`── ${esc(t.version ?? 'TLS')} ${esc(t.cipherSuite ?? '')}, decrypted ──`);
  return t.decryptionReason ? `${line} ${colors.err(esc(t.decryptionReason))}` : line;
}

/** STLS: right after the `+OK` that answered STLS. Implicit TLS: first. Otherwise last. */
function tlsPosition(s: SessionOut): number {
  if (s.transport === 'implicit-tls') return 0;
  const i = s.transcript.findIndex((e) => e.from === 'server' && e.answers === 'STLS' && e.status === '+OK');
  return i >= 0 ? i + 1 : s.transcript.length;
}
