/**
 * A small seeded random source (mulberry32) so every generated capture is the
 * same bytes for the same seed, on every machine and Node version.
 */

/** @param {number} seed */
export function makeRandom(seed) {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  /** @returns {number} in [0, 1) */
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @param {number} n integer in [0, n) */
    int: (n) => Math.floor(next() * n),
    /** @param {number} lo @param {number} hi integer in [lo, hi] */
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    /** @param {number} p */
    chance: (p) => next() < p,
    /** Sizes spread evenly on a log scale: many small, some large. @param {number} lo @param {number} hi */
    logUniform: (lo, hi) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)))),
    /** @template T @param {readonly T[]} arr @returns {T} */
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** @param {Buffer} buf fill with random bytes */
    fill(buf) {
      for (let i = 0; i < buf.length; i += 4) {
        const v = (next() * 4294967296) >>> 0;
        buf[i] = v & 255;
        if (i + 1 < buf.length) buf[i + 1] = (v >>> 8) & 255;
        if (i + 2 < buf.length) buf[i + 2] = (v >>> 16) & 255;
        if (i + 3 < buf.length) buf[i + 3] = v >>> 24;
      }
      return buf;
    },
  };
}
