/**
 * TCP sequence-number arithmetic. Sequence numbers are unsigned 32-bit and
 * wrap, so every comparison is modular (RFC 9293 §3.4): `a` is "after" `b`
 * when the signed 32-bit difference a − b is positive.
 */

/** Signed distance from `b` to `a`, in −2^31 … 2^31−1. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `seq + n`, wrapped to an unsigned 32-bit sequence number. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}
