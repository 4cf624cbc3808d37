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

import { flowHash, ipv4FlowHash } from './flow-hash.js';

interface Kept {
  /** IPv6: lower endpoint's address, higher endpoint's address, then their ports; null for IPv4. */
  bytes: Uint8Array | null;
  /** IPv4 (the common case, compared as numbers): lower and higher endpoint's address and port. */
  lowAddr: number;
  lowPort: number;
  highAddr: number;
  highPort: number;
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
  private v4LowAddr = 0;
  private v4LowPort = 0;
  private v4HighAddr = 0;
  private v4HighPort = 0;
  /** The IPv4 flow found last: the next packet is most likely its too. */
  private lastFound: Kept | null = null;

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
    if (addrLength === 4) return this.loadIpv4(addr, srcAt, b, t, tunnel);
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
    this.hash = flowHash(addr, srcAt, addrLength, b, t, tunnel);
  }

  /** IPv4: the endpoints as numbers, no byte loops (most packets are IPv4). */
  private loadIpv4(addr: Uint8Array, srcAt: number, b: Uint8Array, t: number, tunnel: number): void {
    const src = ((addr[srcAt]! << 24) | (addr[srcAt + 1]! << 16) | (addr[srcAt + 2]! << 8) | addr[srcAt + 3]!) >>> 0;
    const dst = ((addr[srcAt + 4]! << 24) | (addr[srcAt + 5]! << 16) | (addr[srcAt + 6]! << 8) | addr[srcAt + 7]!) >>> 0;
    const sp = (b[t]! << 8) | b[t + 1]!;
    const dp = (b[t + 2]! << 8) | b[t + 3]!;
    const srcLow = src < dst || (src === dst && sp <= dp);
    this.addrLength = 4;
    this.v4LowAddr = srcLow ? src : dst;
    this.v4LowPort = srcLow ? sp : dp;
    this.v4HighAddr = srcLow ? dst : src;
    this.v4HighPort = srcLow ? dp : sp;
    this.tunnel = tunnel;
    this.hash = -1; // made when needed: a packet of the last flow found needs none
  }

  private hashIpv4(): number {
    return (this.hash = ipv4FlowHash(this.v4LowAddr, this.v4LowPort, this.v4HighAddr, this.v4HighPort, this.tunnel));
  }

  /** Is the loaded flow one of the ignored? */
  hasLoaded(): boolean {
    if (this.addrLength === 4) {
      // Bulk transfers come in bursts: the flow of the packet before is checked first, without hashing.
      const last = this.lastFound;
      if (last !== null && last.lowAddr === this.v4LowAddr && last.highAddr === this.v4HighAddr &&
        last.lowPort === this.v4LowPort && last.highPort === this.v4HighPort && last.tunnel === this.tunnel) return true;
      const kept = this.flows.get(this.hash < 0 ? this.hashIpv4() : this.hash);
      if (kept === undefined || kept.tunnel !== this.tunnel || kept.bytes !== null || kept.lowAddr !== this.v4LowAddr ||
        kept.highAddr !== this.v4HighAddr || kept.lowPort !== this.v4LowPort || kept.highPort !== this.v4HighPort) return false;
      this.lastFound = kept;
      return true;
    }
    const kept = this.flows.get(this.hash);
    if (kept === undefined || kept.tunnel !== this.tunnel) return false;
    const k = kept.bytes;
    if (k === null || k.length !== 2 * this.addrLength + 4) return false;
    const n = this.addrLength;
    for (let i = 0; i < n; i++) {
      if (k[i] !== this.addr[this.lowAt + i] || k[n + i] !== this.addr[this.highAt + i]) return false;
    }
    const p = this.ports;
    return k[2 * n] === p[this.lowPortAt] && k[2 * n + 1] === p[this.lowPortAt + 1] &&
      k[2 * n + 2] === p[this.highPortAt] && k[2 * n + 3] === p[this.highPortAt + 1];
  }

  addLoaded(): void {
    // A new entry may take the place of the last one found (a hash collision).
    this.lastFound = null;
    if (this.flows.size >= this.max) {
      for (const k of this.flows.keys()) {
        this.flows.delete(k);
        break;
      }
      this.lastFound = null;
    }
    if (this.addrLength === 4) {
      this.flows.set(this.hash < 0 ? this.hashIpv4() : this.hash, {
        bytes: null, lowAddr: this.v4LowAddr, lowPort: this.v4LowPort,
        highAddr: this.v4HighAddr, highPort: this.v4HighPort, tunnel: this.tunnel,
      });
      return;
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
    this.flows.set(this.hash, { bytes, lowAddr: 0, lowPort: 0, highAddr: 0, highPort: 0, tunnel: this.tunnel });
  }

  deleteLoaded(): void {
    if (!this.hasLoaded()) return;
    this.flows.delete(this.addrLength === 4 && this.hash < 0 ? this.hashIpv4() : this.hash);
    this.lastFound = null;
  }
}
