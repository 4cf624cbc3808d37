/** `pop3scope follow`: one connection's reassembled bytes, like Wireshark's Follow TCP Stream. */
import { Command, Option } from 'commander';
import { latin1 } from '../../latin1.js';
import { followConnection, type FollowChunk } from '../../follow.js';
import { escapeForTerminal } from '../../report/terminal-text.js';
import { endpointLabel } from '../../endpoint-text.js';
import { addCaptureOptions, analyzeOptionsOf, type CommonOpts } from '../common-options.js';
import { CliError, EXIT_DAMAGED, EXIT_USAGE } from '../exit-codes.js';
import { finish, resultStream, type Io } from '../io.js';
import type { TlsInfo } from '../../model.js';

interface FollowOpts extends CommonOpts {
  direction?: 'client' | 'server';
  format: 'raw' | 'hex' | 'text';
  allowGaps?: boolean;
  decrypted?: boolean;
}

export function followCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('follow')
    .description("print one connection's reassembled bytes (as Wireshark's Follow TCP Stream)")
    .argument('<capture...>', 'pcap, pcapng or gzip files, or - for standard input')
    .addOption(new Option('--direction <side>', 'only the bytes this side sent').choices(['client', 'server']))
    .addOption(new Option('-f, --format <format>', 'raw bytes, hex dump, or escaped text').choices(['raw', 'hex', 'text']).default('text'))
    .option('--allow-gaps', 'with --format raw: write the bytes even when the capture lost some')
    .option('--decrypted', "the TLS application data, decrypted with --keylog or the capture's embedded secrets (as Wireshark's Follow TLS Stream)");
  addCaptureOptions(cmd).action(async (inputs: string[], o: FollowOpts) => {
    if (!o.session || o.session.length !== 1) throw new CliError('follow needs exactly one --session ID (see `pop3scope sessions`)');
    const sources = inputs.map((i) => (i === '-' ? io.stdin : i));
    const res = await followConnection(sources, o.session[0], analyzeOptionsOf(o), { decrypted: Boolean(o.decrypted) });
    if (!res.connection) throw new CliError(`no connection ${o.session[0]} in the capture (see \`pop3scope sessions\`)`, EXIT_USAGE);
    if (o.decrypted) checkDecrypted(o, res.tls ?? null);
    const chunks = o.direction ? res.chunks.filter((c) => c.direction === o.direction) : res.chunks;
    const gaps = chunks.filter((c) => c.kind === 'gap');
    if (o.format === 'raw' && gaps.length > 0 && !o.allowGaps) {
      const g = gaps[0] as Extract<FollowChunk, { kind: 'gap' }>;
      throw new CliError(`the capture lacks ${gaps.length === 1 ? 'a part' : `${gaps.length} parts`} of this stream (first: ${g.length} bytes from the ${g.direction} at frame ${g.frame}); add --allow-gaps to write the rest anyway`, EXIT_DAMAGED);
    }
    const out = resultStream(io, o.output);
    const c = res.connection;
    if (o.format !== 'raw') {
      out.write(`Follow: session ${c.id}  client ${endpointLabel(c.client)}  server ${endpointLabel(c.server)}${c.midstream ? '  (picked up mid-stream)' : ''}\n`);
      if (o.decrypted) {
        out.write(`(decrypted ${escapeForTerminal(`${res.tls!.version ?? 'TLS'} ${res.tls!.cipherSuite ?? ''}`.trim())} application data: credentials in it are not redacted)\n`);
      } else {
        out.write('(the bytes as captured: credentials in them are not redacted)\n');
      }
    }
    const offsets = { client: 0, server: 0 };
    for (const chunk of chunks) {
      if (o.format === 'raw') {
        if (chunk.kind === 'data') out.write(chunk.bytes);
      } else if (chunk.kind === 'gap') {
        out.write(`${arrow(chunk.direction)} [gap: ${chunk.length} bytes not captured, frame ${chunk.frame}]\n`);
      } else if (o.format === 'hex') {
        out.write(hexDump(chunk.bytes, chunk.direction, offsets[chunk.direction]));
        offsets[chunk.direction] += chunk.bytes.length;
      } else {
        out.write(textLines(chunk.bytes, chunk.direction));
      }
    }
    await finish(out, io);
    setExit(0);
  });
  return cmd;
}

/** --decrypted needs a TLS session whose records opened; one that stopped early is whole only with --allow-gaps. */
function checkDecrypted(o: FollowOpts, tls: TlsInfo | null): void {
  const id = o.session![0];
  if (tls === null) throw new CliError(`session ${id} carries no TLS: follow it without --decrypted`, EXIT_USAGE);
  const reason = tls.decryptionReason ? ` (${escapeForTerminal(tls.decryptionReason)})` : '';
  if (tls.decryption !== 'decrypted') {
    throw new CliError(`session ${id} was not decrypted: ${tls.decryption}${reason}`, tls.decryption === 'failed' ? EXIT_DAMAGED : EXIT_USAGE);
  }
  if (tls.decryptionReason && o.format === 'raw' && !o.allowGaps) {
    throw new CliError(`decryption of session ${id} stopped early${reason}; add --allow-gaps to write what was decrypted`, EXIT_DAMAGED);
  }
}

function arrow(d: 'client' | 'server'): string {
  return d === 'client' ? 'C→' : 'S←';
}

/** Text: one output line per captured line, control bytes escaped (CRLF shown as line ends). */
function textLines(bytes: Uint8Array, d: 'client' | 'server'): string {
  const text = latin1(bytes);
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => `${arrow(d)} ${escapeForTerminal(l)}\n`).join('');
}

/** Hex: 16 bytes a row with the offset in that direction's stream and printable ASCII; server rows indented like tshark's. */
function hexDump(bytes: Uint8Array, d: 'client' | 'server', base: number): string {
  const indent = d === 'server' ? '    ' : '';
  let s = '';
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    s += `${indent}${(base + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}\n`;
  }
  return s;
}
