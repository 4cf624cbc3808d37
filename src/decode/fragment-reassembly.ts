/**
 * IP fragment reassembly, shared by IPv4 and IPv6. Fragments are rare on
 * POP3 traffic, so this path may allocate; it must stay bounded, because a
 * capture can hold any number of fragments that never complete.
 *
 * Overlaps: the bytes seen first win (what most end hosts did before RFC 5722
 * made overlaps fatal), so a later fragment cannot rewrite bytes already held.
 */

export interface FragmentLimits {
  /** Largest reassembled payload accepted (IP payload bytes). */
  maxBytes: number;
  /** Datagrams reassembled at once; the oldest is given up when a new one would exceed this. */
  maxSets: number;
  /** Capture-time seconds a datagram may wait for its missing fragments. */
  timeoutSec: number;
}

interface Piece {
  start: number;
  end: number;
  data: Uint8Array;
}

/** Fragments of one datagram collected so far. */
export interface FragmentSet {
  /** Capture time of the first fragment seen, in seconds. */
  readonly firstTime: number;
  /** Source then destination address bytes (copied), for the segment made at the end. */
  readonly addresses: Uint8Array;
  /** Protocol (IPv4) or first header of the fragmentable part (IPv6), from the first fragment seen. */
  readonly protocol: number;
  /** The datagram was found to be of no interest (or too big): later fragments are dropped. */
  discard: string | null;
  pieces: Piece[];
  /** Payload length, known once the last fragment (no more-fragments flag) is seen. */
  total: number;
}

/** What became of one fragment handed to `add`. */
export type FragmentOutcome =
  | { kind: 'held' }
  | { kind: 'discarded'; reason: string }
  | { kind: 'complete'; payload: Uint8Array; set: FragmentSet };

const HELD: FragmentOutcome = { kind: 'held' };

export class FragmentReassembler {
  private readonly sets = new Map<string, FragmentSet>();

  /**
   * `count` receives per-datagram events: `<family>-fragments-incomplete`
   * when a datagram is given up unfinished (timeout, eviction, end of input).
   */
  constructor(
    private readonly family: 'ipv4' | 'ipv6',
    private readonly limits: FragmentLimits,
    private readonly count: (reason: string) => void,
  ) {}

  /** Datagrams waiting for fragments. */
  get pending(): number {
    return this.sets.size;
  }

  /** Finds or opens the set for `key`; `addresses` is copied only when a set is opened. */
  setFor(key: string, time: number, addresses: Uint8Array, protocol: number): FragmentSet {
    let set = this.sets.get(key);
    if (set !== undefined && time - set.firstTime > this.limits.timeoutSec) {
      this.giveUp(key, set);
      set = undefined;
    }
    if (set === undefined) {
      if (this.sets.size > 0 && this.sets.size >= this.limits.maxSets) {
        const oldest = this.sets.entries().next().value!;
        this.giveUp(oldest[0], oldest[1]);
      }
      set = { firstTime: time, addresses: addresses.slice(), protocol, discard: null, pieces: [], total: -1 };
      this.sets.set(key, set);
    }
    return set;
  }

  /**
   * Adds the captured bytes of one fragment, `start` being its offset in the
   * payload and `promised` its length as the IP header states.
   */
  add(key: string, set: FragmentSet, start: number, data: Uint8Array, promised: number, more: boolean): FragmentOutcome {
    if (set.discard !== null) return { kind: 'discarded', reason: set.discard };
    const end = start + promised;
    if (end > this.limits.maxBytes) {
      set.discard = `${this.family}-fragment-oversize`;
      set.pieces = [];
      return { kind: 'discarded', reason: set.discard };
    }
    if (!more && set.total < 0) set.total = end;
    this.insert(set, start, data.subarray(0, Math.min(data.length, promised)));

    const payload = this.assemble(set);
    if (payload === null) return HELD;
    this.sets.delete(key);
    return { kind: 'complete', payload, set };
  }

  /** Stops collecting a datagram that turned out to be of no interest. */
  discard(set: FragmentSet, reason: string): void {
    set.discard = reason;
    set.pieces = [];
  }

  /** Gives up datagrams that waited longer than the timeout. */
  expire(time: number): void {
    for (const [key, set] of this.sets) {
      // Sets sit in opening order, so the first one still in time ends the scan.
      if (time - set.firstTime <= this.limits.timeoutSec) break;
      this.giveUp(key, set);
    }
  }

  /** End of input: every datagram still waiting is incomplete. */
  finish(): void {
    for (const [key, set] of this.sets) this.giveUp(key, set);
  }

  private giveUp(key: string, set: FragmentSet): void {
    this.sets.delete(key);
    if (set.discard === null) this.count(`${this.family}-fragments-incomplete`);
  }

  /** Keeps only the bytes of [start, start+data.length) that no earlier fragment covered. */
  private insert(set: FragmentSet, start: number, data: Uint8Array): void {
    const end = start + data.length;
    let cur = start;
    const added: Piece[] = [];
    for (const p of set.pieces) {
      if (p.end <= cur) continue;
      if (p.start >= end) break;
      if (p.start > cur) added.push({ start: cur, end: p.start, data: data.slice(cur - start, p.start - start) });
      cur = Math.max(cur, p.end);
      if (cur >= end) break;
    }
    if (cur < end) added.push({ start: cur, end, data: data.slice(cur - start) });
    if (added.length === 0) return;
    for (const piece of added) set.pieces.push(piece);
    set.pieces.sort((a, b) => a.start - b.start);
  }

  /** The whole payload when [0, total) is covered, else null. */
  private assemble(set: FragmentSet): Uint8Array | null {
    if (set.total < 0) return null;
    let covered = 0;
    for (const p of set.pieces) {
      if (p.start > covered) return null;
      covered = Math.max(covered, p.end);
      if (covered >= set.total) break;
    }
    if (covered < set.total) return null;
    const out = new Uint8Array(set.total);
    for (const p of set.pieces) {
      if (p.start >= set.total) break;
      out.set(p.end > set.total ? p.data.subarray(0, set.total - p.start) : p.data, p.start);
    }
    return out;
  }
}
