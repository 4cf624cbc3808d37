/**
 * A number for a TCP flow, the same for both of its directions: the endpoints in a
 * fixed order (lower address first; on equal addresses, lower port first) and the
 * number of the tunnel that carries it, hashed with MurmurHash3's steps. Made
 * from the packet's bytes without allocating. Different flows may share a number:
 * whoever keys by it compares the flow itself too.
 */

/** Kept to 30 bits: small integers, which a Map hashes without allocating a heap number. */
const SMI_MASK = 0x3fffffff;

/** Two IPv4 endpoints (addresses as unsigned 32-bit numbers), already in canonical order, and a tunnel number. */
export function ipv4FlowHash(lowAddr: number, lowPort: number, highAddr: number, highPort: number, tunnel: number): number {
  let h = mix(0x811c9dc5, lowAddr);
  h = mix(h, highAddr);
  h = mix(h, (lowPort << 16) | highPort);
  return finish(mix(h, tunnel)) & SMI_MASK;
}

/**
 * The flow whose addresses (`addrLength` bytes each, source then destination) are at
 * `srcAt` in `addr` and whose TCP ports are at `t` in `b`, carried by tunnel `tunnel`
 * (0 outside tunnels).
 */
export function flowHash(addr: Uint8Array, srcAt: number, addrLength: number, b: Uint8Array, t: number, tunnel: number): number {
  const sp = (b[t]! << 8) | b[t + 1]!;
  const dp = (b[t + 2]! << 8) | b[t + 3]!;
  const dstAt = srcAt + addrLength;
  if (addrLength === 4) {
    const src = ((addr[srcAt]! << 24) | (addr[srcAt + 1]! << 16) | (addr[srcAt + 2]! << 8) | addr[srcAt + 3]!) >>> 0;
    const dst = ((addr[dstAt]! << 24) | (addr[dstAt + 1]! << 16) | (addr[dstAt + 2]! << 8) | addr[dstAt + 3]!) >>> 0;
    const srcLow = src < dst || (src === dst && sp <= dp);
    return srcLow ? ipv4FlowHash(src, sp, dst, dp, tunnel) : ipv4FlowHash(dst, dp, src, sp, tunnel);
  }
  let order = 0;
  for (let i = 0; i < addrLength && order === 0; i++) order = addr[srcAt + i]! - addr[dstAt + i]!;
  if (order === 0) order = sp - dp;
  const lowAt = order <= 0 ? srcAt : dstAt;
  const highAt = order <= 0 ? dstAt : srcAt;
  // FNV-1a over the canonical bytes, then the tunnel and an avalanche.
  let h = 0x811c9dc5;
  for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ addr[lowAt + i]!, 0x01000193);
  for (let i = 0; i < addrLength; i++) h = Math.imul(h ^ addr[highAt + i]!, 0x01000193);
  const lowPort = order <= 0 ? sp : dp;
  const highPort = order <= 0 ? dp : sp;
  h = Math.imul(h ^ (lowPort >> 8), 0x01000193);
  h = Math.imul(h ^ (lowPort & 0xff), 0x01000193);
  h = Math.imul(h ^ (highPort >> 8), 0x01000193);
  h = Math.imul(h ^ (highPort & 0xff), 0x01000193);
  return finish(mix(h, tunnel)) & SMI_MASK;
}

/** One 32-bit word into a MurmurHash3 state (its body step), so every input bit reaches the low bits kept. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's final avalanche. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
