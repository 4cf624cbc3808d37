/** Replies without a request, data after QUIT, multi-line answers that never end, malformed lines. */
import type { SessionOut, TranscriptEntry } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { framesText, keyword, quote, sessionLabel } from './finding-text.js';
import { sessionParts, setPart } from './fingerprint.js';

/** Transcript notes that mean a peer broke RFC 1939 framing or sequencing, in plain words. */
const VIOLATIONS: Record<string, string> = {
  'unmatched-response': 'response without a command',
  'after-quit': 'data after QUIT',
  'bare-lf': 'line ended by LF without CR',
  'bare-cr': 'CR inside a line (a CR that ends no line)',
  'wrong-argument-count': 'wrong number of arguments',
  'unparsed-response': 'response without +OK/-ERR',
  'unexpected-continuation': '"+" continuation outside AUTH',
  'empty-line': 'empty command line',
};

/** A multi-line answer cut short is the peer's fault only when the capture holds the whole connection. */
function capturedWhole(s: SessionOut): boolean {
  return s.gaps.length === 0 && !s.midstream && s.ended !== 'capture-end';
}

/** What the offending lines were, so the reader need not open the capture: ` (NOOP, LIST)` or ` ("-ERR Bye")`. */
function examples(list: TranscriptEntry[]): string {
  const shown = [...new Set(list.map((e) =>
    e.from === 'client'
      ? (e.command !== undefined ? keyword(e.command) : e.sasl === true ? 'AUTH data line' : 'unparsed line')
      : quote(`${e.status ?? ''} ${e.text ?? ''}`.trim() || (e.raw ?? '')),
  ))];
  if (shown.length === 0) return '';
  return ` (${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ', …' : ''})`;
}

export const protocolViolation: Rule = {
  id: 'protocol-violation',
  title: 'POP3 protocol violation',
  defaultSeverity: 'low',
  rationale:
    'RFC 1939 §3 fixes how commands, responses and multi-line data are framed (CRLF lines, one response per command, data ending with a lone "."). Violations break clients, desynchronise proxies and can smuggle commands or responses (CWE-20, CWE-444).',
  remediation: 'Identify the peer that broke the framing (the frames show which side) and fix or replace that client or server; a proxy in between may be rewriting the stream.',
  references: ['https://www.rfc-editor.org/rfc/rfc1939#section-3', 'https://cwe.mitre.org/data/definitions/444.html'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      const kinds = new Map<string, TranscriptEntry[]>();
      const add = (kind: string, e: TranscriptEntry): void => {
        const list = kinds.get(kind);
        if (list) list.push(e);
        else kinds.set(kind, [e]);
      };
      for (const e of s.transcript) {
        for (const n of e.notes ?? []) if (VIOLATIONS[n] !== undefined) add(VIOLATIONS[n]!, e);
        if (e.data !== undefined && !e.data.complete && capturedWhole(s)) add('multi-line answer without its final "."', e);
      }
      const overflow = s.events['pipeline-overflow'] ?? 0;
      if (kinds.size === 0 && overflow === 0) continue;
      const frames = [...new Set([...kinds.values()].flat().map((e) => e.frame))];
      const parts = [...kinds].map(([kind, list]) => `${kind} ×${list.length}${examples(list)}`);
      if (overflow > 0) parts.push(`more pipelined commands than the tool tracks ×${overflow}`);
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${parts.join('; ')}${frames.length > 0 ? ` (${framesText(frames)})` : ''}`,
        details: Object.fromEntries([...kinds].map(([kind, list]) => [kind, list.length])),
        identity: { ...sessionParts(s), kinds: setPart([...kinds.keys(), ...(overflow > 0 ? ['pipeline-overflow'] : [])]) },
      });
    }
    return out;
  },
};
