/**
 * The expected bytes of every message the fixture server serves, from
 * fixtures/truth/mailboxes.json (written by make_mailboxes.py from its own data,
 * not by pop3scope): sha256 and size per user and message, and for dave the
 * attachments' original bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRUTH_DIR } from '../support/truth.js';

export interface ManifestMessage {
  number: number;
  octets: number;
  sha256: string;
  attachments?: { filename: string; octets: number; sha256: string }[];
}

export const MAILBOXES = JSON.parse(readFileSync(join(TRUTH_DIR, 'mailboxes.json'), 'utf8')) as Record<string, ManifestMessage[]>;
