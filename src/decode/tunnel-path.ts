/**
 * The tunnel layers one packet went through on its way to the innermost IP
 * header, outermost first, and what tells that tunnel apart from another
 * carrying the same inner addresses (overlapping tenants).
 *
 * One object is reused for every packet: entering a layer writes into fixed
 * slots, and text is made only when a wanted segment is built. A packet
 * without tunnels never touches it beyond `reset()`.
 */
import { ipv4Text, ipv6Text } from './address-text.js';

/** Tunnel layers one packet may nest; a deeper one is skipped as `encapsulation-too-deep`. */
export const MAX_ENCAPSULATION_DEPTH = 8;

/** Layer names as sessions show them in `encapsulation`. */
export type EncapsulationName =
  | 'gre' | 'erspan' | 'vxlan' | 'geneve' | 'mpls' | 'pppoe' | 'l2tp' | 'ppp' | 'gtp-u'
  | 'ipip' | '6in4' | '4in6' | '6in6';

/** No number tells this layer's tunnels apart (MPLS labels and GTP-U TEIDs differ by direction). */
export const NO_TUNNEL_ID = -1;

export class TunnelPath {
  /** Layers entered so far for the current packet. */
  depth = 0;
  private readonly names: EncapsulationName[] = new Array(MAX_ENCAPSULATION_DEPTH);
  private readonly ids = new Float64Array(MAX_ENCAPSULATION_DEPTH);
  /** The IP header just outside each layer (its addresses), or null for a layer on a link (MPLS, PPPoE). */
  private readonly outer: (Uint8Array | null)[] = new Array(MAX_ENCAPSULATION_DEPTH).fill(null);
  private readonly outerAt = new Int32Array(MAX_ENCAPSULATION_DEPTH);
  private readonly outerV6 = new Uint8Array(MAX_ENCAPSULATION_DEPTH);

  reset(): void {
    this.depth = 0;
  }

  /**
   * Enters a layer. `addr` holds the enclosing IP header's source then
   * destination at `at` (null when the layer sits on a link). False when the
   * packet is already `MAX_ENCAPSULATION_DEPTH` layers deep.
   */
  enter(name: EncapsulationName, id: number, addr: Uint8Array | null, at: number, v6: boolean): boolean {
    const d = this.depth;
    if (d >= MAX_ENCAPSULATION_DEPTH) return false;
    this.names[d] = name;
    this.ids[d] = id;
    this.outer[d] = addr;
    this.outerAt[d] = at;
    this.outerV6[d] = v6 ? 1 : 0;
    this.depth = d + 1;
    return true;
  }

  /** The layer names, outermost first (a new array). */
  encapsulation(): EncapsulationName[] {
    return this.names.slice(0, this.depth);
  }

  /**
   * `identity()` as a number, made without allocating: the same both ways,
   * and (up to a 32-bit hash) different between tunnels. Never 0.
   */
  numericIdentity(): number {
    let h = 0x811c9dc5;
    for (let d = 0; d < this.depth; d++) {
      const name = this.names[d]!;
      for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ (this.ids[d]! | 0), 0x01000193);
      const addr = this.outer[d];
      if (addr !== null && addr !== undefined) {
        const at = this.outerAt[d]!;
        const n = this.outerV6[d] === 1 ? 16 : 4;
        // Both addresses, in byte order of the two, so either direction gives the same number.
        let order = 0;
        for (let i = 0; i < n && order === 0; i++) order = addr[at + i]! - addr[at + n + i]!;
        const first = order <= 0 ? at : at + n;
        const second = order <= 0 ? at + n : at;
        for (let i = 0; i < n; i++) h = Math.imul(h ^ addr[first + i]!, 0x01000193);
        for (let i = 0; i < n; i++) h = Math.imul(h ^ addr[second + i]!, 0x01000193);
      }
    }
    return (h >>> 0) || 1;
  }

  /**
   * Text that is the same for both directions of one tunnel and differs
   * between tunnels: per layer its name, its number (VNI, GRE key …) and the
   * enclosing addresses in sorted order (so A→B and B→A agree).
   */
  identity(): string {
    let key = '';
    for (let d = 0; d < this.depth; d++) {
      key += `${this.names[d]}`;
      if (this.ids[d] !== NO_TUNNEL_ID) key += `#${this.ids[d]}`;
      const addr = this.outer[d];
      if (addr !== null && addr !== undefined) {
        const at = this.outerAt[d]!;
        const v6 = this.outerV6[d] === 1;
        const a = v6 ? ipv6Text(addr, at) : ipv4Text(addr, at);
        const b = v6 ? ipv6Text(addr, at + 16) : ipv4Text(addr, at + 4);
        key += a < b ? `(${a},${b})` : `(${b},${a})`;
      }
      key += '/';
    }
    return key;
  }
}
