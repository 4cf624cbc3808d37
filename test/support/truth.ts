/** The ground truth the recording script kept: every line each client sent and read. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionOut, TranscriptEntry } from '../../src/model.js';

export const TRUTH_DIR = new URL('../../fixtures/truth/', import.meta.url).pathname;

export interface TruthLine {
  from: 'client' | 'server';
  text?: string;
  data?: { lines: number; octets: number };
  encrypted?: boolean;
}

export interface TruthSession {
  client: string;
  transport: 'plain' | 'stls' | 'implicit-tls';
  server?: string;
  ended?: string;
  user: string | null;
  mechanism: string | null;
  outcome: 'success' | 'failure' | 'cancelled' | null;
  retrieved: number[];
  deleted: number[];
  committed: boolean;
  failed_attempts?: number;
  lines: TruthLine[];
}

export interface Truth {
  capture: string;
  sessions: TruthSession[];
}

export function truthFiles(): Truth[] {
  return readdirSync(TRUTH_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'secrets.json' && f !== 'mailboxes.json')
    .sort()
    .map((f) => JSON.parse(readFileSync(join(TRUTH_DIR, f), 'utf8')) as Truth);
}

export function secrets(): string[] {
  const p = join(TRUTH_DIR, 'secrets.json');
  return (JSON.parse(readFileSync(p, 'utf8')) as { secrets: string[] }).secrets;
}

/** Our transcript as the lines a client would have logged. */
export function asLines(s: SessionOut): TruthLine[] {
  const out: TruthLine[] = [];
  for (const e of s.transcript) {
    if (e.from === 'client') {
      out.push({ from: 'client', text: clientText(e) });
    } else if (e.status) {
      out.push({ from: 'server', text: [e.status, e.code !== undefined ? `[${e.code}]` : '', e.text ?? ''].filter(Boolean).join(' ') });
      if (e.data) out.push({ from: 'server', data: { lines: e.data.lines, octets: e.data.octets } });
    }
  }
  return out;
}

function clientText(e: TranscriptEntry): string {
  if (e.sasl || e.command === undefined) return e.argument ?? e.raw ?? '';
  return e.argument !== undefined ? `${e.command} ${e.argument}` : e.command;
}

export function normalise(l: TruthLine): TruthLine {
  return l.data ? { from: l.from, data: l.data } : { from: l.from, text: (l.text ?? '').trimEnd() };
}
