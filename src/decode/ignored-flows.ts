/**
 * TCP flows a higher layer has judged not worth keeping (content detection
 * found them not to be POP3), so that their later packets cost a hash and a
 * byte comparison instead of a segment object and address strings. Keyed by
 * a numeric hash of the flow in either direction, with the flow's bytes
 * kept to rule out collisions (after gopacket's allocation-free flow keys).
 *
 * The decoder fills `scratch` with the flow of each candidate packet; the
 * table copies it only when a flow is added. Bounded: past `max` flows the
 * oldest is forgotten (its packets then reach the TCP layer, which still
 * knows to ignore them).
 */

/** Two addresses (up to 16 bytes each) and two ports, lower endpoint first. */
const FLOW_BYTES = 36;

export class IgnoredFlows {
  /** The flow of the packet being decoded, in canonical order. */
  readonly scratch = new Uint8Array(FLOW_BYTES);
  private scratchLength = 0;
  private scratchHash = 0;
  private readonly flows = new Map<number, Uint8Array>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.flows.size;
  }

  /**
   * Writes the flow (addresses of `addrLength` bytes at `srcAt` and
   * `srcAt + addrLength` in `addr`, ports at `t` in `b`) into `scratch`,
   * the lower endpoint first, and hashes it.
   */
  load(addr: Uint8Array, srcAt: number, addrLength: number, b: Uint8Array, t: number): void {
    const dstAt = srcAt + addrLength;
    let order = 0;
    for (let i = 0; i < addrLength && order === 0; i++) order = addr[srcAt + i]! - addr[dstAt + i]!;
    if (order === 0) order = ((b[t]! << 8) | b[t + 1]!) - ((b[t + 2]! << 8) | b[t + 3]!);
    const first = order <= 0 ? srcAt : dstAt;
    const second = order <= 0 ? dstAt : srcAt;
    const s = this.scratch;
    s.set(addr.subarray(first, first + addrLength), 0);
    s.set(addr.subarray(second, second + addrLength), addrLength);
    const portAt = 2 * addrLength;
    const p1 = order <= 0 ? t : t + 2;
    const p2 = order <= 0 ? t + 2 : t;
    s[portAt] = b[p1]!;
    s[portAt + 1] = b[p1 + 1]!;
    s[portAt + 2] = b[p2]!;
    s[portAt + 3] = b[p2 + 1]!;
    const length = portAt + 4;
    // FNV-1a over the canonical bytes.
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ s[i]!, 0x01000193);
    this.scratchLength = length;
    this.scratchHash = h >>> 0;
  }

  /** Is the flow in `scratch` one of the ignored? */
  hasLoaded(): boolean {
    const kept = this.flows.get(this.scratchHash);
    if (kept === undefined || kept.length !== this.scratchLength) return false;
    const s = this.scratch;
    for (let i = 0; i < kept.length; i++) if (kept[i] !== s[i]) return false;
    return true;
  }

  addLoaded(): void {
    if (this.flows.size >= this.max) {
      for (const k of this.flows.keys()) {
        this.flows.delete(k);
        break;
      }
    }
    this.flows.set(this.scratchHash, this.scratch.slice(0, this.scratchLength));
  }

  deleteLoaded(): void {
    if (this.hasLoaded()) this.flows.delete(this.scratchHash);
  }
}
