/** Test helper: run bytes through a CaptureReader and keep copies of what it delivers. */
import type { CaptureInfo, Packet } from '../../src/capture/packet.js';
import { CaptureReader, type CaptureReaderOptions } from '../../src/capture/reader.js';

export interface KeptPacket {
  frame: number;
  sec: number;
  nsec: number;
  linkType: number;
  origLen: number;
  offset: number;
  data: Buffer;
}

export function keep(p: Packet): KeptPacket {
  return { frame: p.frame, sec: p.sec, nsec: p.nsec, linkType: p.linkType, origLen: p.origLen, offset: p.offset, data: Buffer.from(p.data) };
}

/** Reads `bytes` pushed in chunks of `chunkSize` (default: all at once). */
export function readBytes(bytes: Uint8Array, chunkSize = bytes.length || 1, options?: CaptureReaderOptions): { packets: KeptPacket[]; info: CaptureInfo } {
  const packets: KeptPacket[] = [];
  const reader = new CaptureReader({ packet: (p) => packets.push(keep(p)) }, options);
  for (let i = 0; i < bytes.length; i += chunkSize) {
    // Copy each chunk into a reused buffer, as a file read would, so a reader that kept views would be caught.
    reader.push(Uint8Array.from(bytes.subarray(i, i + chunkSize)));
  }
  reader.end();
  return { packets, info: reader.info('test') };
}
