/**
 * The one-line summary of a session the analysis view and the check summary share:
 * `#1 127.0.0.1:40248 → 127.0.0.1:110  plain  alice USER success  retrieved 2 deleted 1 committed`
 */
import { NO_KEY_LOG_REASON, type SessionOut } from '../model.js';
import type { Colors } from './colors.js';
import { flowLabel, plural } from './labels.js';
import { escapeForTerminal } from './terminal-text.js';

export function sessionSummaryLine(s: SessionOut, colors: Colors): string {
  const parts: string[] = [colors.bold(`#${escapeForTerminal(s.id)}`) + ' ' + escapeForTerminal(flowLabel(s)), s.transport];
  const hidden = s.tls !== null && s.auth.length === 0 && s.tls.decryption !== 'decrypted';
  if (!hidden) parts.push(authSummary(s, colors));
  if (s.notPop3) {
    parts.push(colors.err('not POP3'));
  } else if (hidden) {
    // Nothing after the TLS start is decrypted: say so rather than "no login, retrieved 0".
    parts.push(colors.dim('login and mail inside TLS') + (s.tls ? ` (${tlsFacts(s.tls)})` : ''));
  } else {
    let messages = `retrieved ${retrievedCount(s)} deleted ${s.messages.deleted.length}`;
    if (s.messages.committed) messages += ' committed';
    else if (s.messages.deleted.length > 0) messages += ' ' + colors.err('not committed');
    parts.push(messages);
    const peeked = headersOnlyCount(s);
    if (peeked > 0) parts.push(`headers of ${plural(peeked, 'message')} (TOP)`);
  }
  if (s.tls !== null && s.tls.decryptionReason !== NO_KEY_LOG_REASON) parts.push(decryptionSummary(s.tls, colors));
  const extra: string[] = [];
  if (s.ended !== 'quit') extra.push(`ended ${s.ended}`);
  if (s.midstream) extra.push('midstream');
  if (s.detection === 'content') extra.push('found by content');
  if (s.encapsulation) extra.push(`via ${s.encapsulation.join('/')}`);
  if (s.gaps.length > 0) extra.push(plural(s.gaps.length, 'gap'));
  if (extra.length > 0) parts.push(colors.dim(extra.join(', ')));
  return parts.join('  ');
}

/** Messages whose whole text left the server (RETR): TOP 1 then RETR 1 is one message, not two. */
export function retrievedCount(s: SessionOut): number {
  return new Set(s.messages.retrieved.filter((m) => m.command === 'RETR').map((m) => m.number)).size;
}

/** Messages the client only looked into with TOP (a header scan, as mutt does on opening a mailbox). */
function headersOnlyCount(s: SessionOut): number {
  const whole = new Set(s.messages.retrieved.filter((m) => m.command === 'RETR').map((m) => m.number));
  return new Set(s.messages.retrieved.filter((m) => m.command === 'TOP' && !whole.has(m.number)).map((m) => m.number)).size;
}

/** `TLS 1.3, TLS_AES_256_GCM_SHA384, SNI mail.example`: what the handshake showed. */
export function tlsFacts(tls: NonNullable<SessionOut['tls']>): string {
  const facts = [tls.version ?? 'TLS version not seen', tls.cipherSuite, tls.sni ? `SNI ${tls.sni}` : null];
  return escapeForTerminal(facts.filter(Boolean).join(', '));
}

/** `TLS decrypted`, or `TLS not decrypted: no-keys (no key log entry for this ClientHello)`. */
export function decryptionSummary(tls: NonNullable<SessionOut['tls']>, colors: Colors): string {
  if (tls.decryption === 'decrypted') {
    return colors.ok('TLS decrypted') + (tls.decryptionReason ? colors.dim(` (${escapeForTerminal(tls.decryptionReason)})`) : '');
  }
  const why = tls.decryptionReason ? ` (${escapeForTerminal(tls.decryptionReason)})` : '';
  const text = `TLS not decrypted: ${tls.decryption}${why}`;
  return tls.decryption === 'failed' ? colors.err(text) : colors.dim(text);
}

/** `alice USER success`, or `no login` when no attempt was seen. */
function authSummary(s: SessionOut, colors: Colors): string {
  const last = s.auth[s.auth.length - 1];
  const user = s.user ?? last?.user ?? null;
  if (!last) return user === null ? colors.dim('no login') : `${escapeForTerminal(user)} ${colors.dim('no login')}`;
  const outcome = last.outcome === 'success' ? colors.ok(last.outcome) : last.outcome === 'failure' ? colors.err(last.outcome) : last.outcome;
  const tries = s.auth.length > 1 ? ` (${s.auth.length} attempts)` : '';
  return `${escapeForTerminal(user ?? '-')} ${escapeForTerminal(last.mechanism)} ${outcome}${tries}`;
}
