/** Questions rules ask of a session's CAPA answers and STLS exchange. */
import type { SessionOut, TranscriptEntry } from '../model.js';

/** One CAPA command with the answer it got, and where the command stands in the transcript. */
export interface CapaExchange {
  command: TranscriptEntry;
  answer: TranscriptEntry;
  /** Index of the command in the transcript. */
  index: number;
}

/**
 * CAPA commands paired with their answers. Answers come back in the order the
 * commands were sent, pipelined or not (RFC 2449 §6.6), so the k-th answer to CAPA
 * belongs to the k-th CAPA command.
 */
function capaExchanges(s: SessionOut): CapaExchange[] {
  const commands: number[] = [];
  const out: CapaExchange[] = [];
  s.transcript.forEach((e, i) => {
    if (e.from === 'client' && e.command === 'CAPA') commands.push(i);
    else if (e.from === 'server' && e.answers === 'CAPA') {
      const k = out.length;
      if (k < commands.length) out.push({ command: s.transcript[commands[k]!]!, answer: e, index: commands[k]! });
    }
  });
  return out;
}

/**
 * The CAPA answer a client got before it logged in: the offer that counts. Servers list
 * STLS only before authentication (RFC 2595 §4; Dovecot drops it after login), so a
 * client that asks again later (mutt does) must not hide what was offered.
 */
export function preLoginCapa(s: SessionOut): CapaExchange | undefined {
  return capaExchanges(s).find((x) =>
    x.answer.status === '+OK' && x.command.state !== 'TRANSACTION' && x.command.state !== 'UPDATE');
}

/** Did this CAPA answer list STLS? */
function listsStls(answer: TranscriptEntry): boolean {
  return (answer.data?.lineItems ?? []).some((c) => c.trim().split(/\s+/)[0]!.toUpperCase() === 'STLS');
}

/** Did the server offer STLS before login? null when no CAPA was answered before login. */
export function offersStls(s: SessionOut): boolean | null {
  const capa = preLoginCapa(s);
  return capa === undefined ? null : listsStls(capa.answer);
}

export function sentStls(s: SessionOut): boolean {
  return s.transcript.some((e) => e.from === 'client' && e.command === 'STLS');
}
