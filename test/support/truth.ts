/** The ground truth the recording script kept: every line each client sent and read. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    .filter((f) => f.endsWith('.json') && f !== 'secrets.json')
    .sort()
    .map((f) => JSON.parse(readFileSync(join(TRUTH_DIR, f), 'utf8')) as Truth);
}

export function secrets(): string[] {
  const p = join(TRUTH_DIR, 'secrets.json');
  return (JSON.parse(readFileSync(p, 'utf8')) as { secrets: string[] }).secrets;
}
