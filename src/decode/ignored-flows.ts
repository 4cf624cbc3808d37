/**
 * TCP flows a higher layer has judged not worth keeping (content detection
 * found them not to be POP3), so that their later packets cost a hash and a
 * byte comparison instead of a segment object and address strings. Keyed by
 * a numeric hash of the flow in either direction (and of the tunnel that
 * carries it), with the flow's bytes kept to rule out collisions (after
 * gopacket's allocation-free flow keys).
 *
 * `load()` only notes where the flow's bytes are in the packet; nothing is
 * copied unless the flow is added. Bounded: past `max` flows the oldest is
 * forgotten (its packets then reach the TCP layer, which still knows to
 * ignore them).
 */

interface Kept {
  /** Lower endpoint's address, higher endpoint's address, then their ports. */
  bytes: Uint8Array;
  tunnel: number;
}

export class IgnoredFlows {
  private readonly flows = new Map<number, Kept>();
  // Where the loaded flow's bytes are: no copies per packet.
  private addr: Uint8Array = new Uint8Array(0);
  private lowAt = 0;
  private highAt = 0;
  private addrLength = 4;
  private ports: Uint8Array = new Uint8Array(0);
  private lowPortAt = 0;
  private highPortAt = 0;
  private tunnel = 0;
  private hash = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.flows.size;
  }

  /**
   * Notes the flow of one packet: addresses of `addrLength` bytes at `srcAt`
   * and `srcAt + addrLength` in `addr`, ports at `t` in `b`, and `tunnel`, a
   * number for the tunnel that carries it (0 outside tunnels); then hashes it
   * with the lower endpoint first, so both directions agree.
   */
  load(addr: Uint8Array, srcAt: number, addrLength: number, b: Uint8Array, t: number, tunnel: number): void {
    const dstAt = srcAt + addrLength;
    let order = 0;
    for (let i = 0; i < addrLength && order === 0; i++) order = addr[srcAt + i]! - addr[dstAt + i]!;
    if (order === 0) order = ((b[t]! << 8) | b[t + 1]!) - ((b[t + 2]! << 8) | b[t + 3]!);
    const srcLow = order <= 0;
    this.addr = addr;
    this.addrLength = addrLength;
    this.lowAt = srcLow ? srcAt : dstAt;
    this.highAt = srcLow ? dstAt : srcAt;
    this.ports = b;
    this.lowPortAt = srcLow ? t : t + 2;
    this.highPortAt = srcLow ? t + 2 : t;
    this.tunnel = tunnel;
    // FNV-1a over the canonical bytes, then the tunnel.
    let h = 0x811c9dc5;
    for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ addr[this.lowAt + i]!, 0x01000193);
    for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ addr[this.highAt + i]!, 0x01000193);
    h = Math.imul(h ^ b[this.lowPortAt]!, 0x01000193);
    h = Math.imul(h ^ b[this.lowPortAt + 1]!, 0x01000193);
    h = Math.imul(h ^ b[this.highPortAt]!, 0x01000193);
    h = Math.imul(h ^ b[this.highPortAt + 1]!, 0x01000193);
    this.hash = (Math.imul(h ^ tunnel, 0x01000193) >>> 0);
  }

  /** Is the loaded flow one of the ignored? */
  hasLoaded(): boolean {
    const kept = this.flows.get(this.hash);
    if (kept === undefined || kept.tunnel !== this.tunnel || kept.bytes.length !== 2 * this.addrLength + 4) return false;
    const k = kept.bytes;
    const n = this.addrLength;
    for (let i = 0; i < n; i++) {
      if (k[i] !== this.addr[this.lowAt + i] || k[n + i] !== this.addr[this.highAt + i]) return false;
    }
    const p = this.ports;
    return k[2 * n] === p[this.lowPortAt] && k[2 * n + 1] === p[this.lowPortAt + 1] &&
      k[2 * n + 2] === p[this.highPortAt] && k[2 * n + 3] === p[this.highPortAt + 1];
  }

  addLoaded(): void {
    if (this.flows.size >= this.max) {
      for (const k of this.flows.keys()) {
        this.flows.delete(k);
        break;
      }
    }
    const n = this.addrLength;
    const bytes = new Uint8Array(2 * n + 4);
    for (let i = 0; i < n; i++) {
      bytes[i] = this.addr[this.lowAt + i]!;
      bytes[n + i] = this.addr[this.highAt + i]!;
    }
    const p = this.ports;
    bytes[2 * n] = p[this.lowPortAt]!;
    bytes[2 * n + 1] = p[this.lowPortAt + 1]!;
    bytes[2 * n + 2] = p[this.highPortAt]!;
    bytes[2 * n + 3] = p[this.highPortAt + 1]!;
    this.flows.set(this.hash, { bytes, tunnel: this.tunnel });
  }

  deleteLoaded(): void {
    if (this.hasLoaded()) this.flows.delete(this.hash);
  }
}
