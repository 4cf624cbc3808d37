/**
 * Turns one TCP conversation (a sequence of sends, each by one side) into
 * packets: the three-way handshake, MSS-sized segments with correct sequence
 * and acknowledgement numbers, an ACK every second segment, optional
 * reordering and retransmission, and a FIN handshake. Packets come out one at
 * a time so the generator can interleave many conversations.
 */
import { ACK, FIN, PSH, SYN } from './capture-writer.mjs';

/**
 * @typedef {{ c: boolean, pieces: Buffer[] }} Send  one send: by the client (c) or the server, bytes in pieces
 * @typedef {{ c: boolean, fl: number, seq: number, ack: number, data: Buffer|null }} Seg
 * @typedef {{ reorder: number, retransmit: number }} Disorder  chances per multi-segment send
 */

export class TcpConversation {
  /**
   * @param {import('./capture-writer.mjs').Endpoints} ep
   * @param {Iterator<Send>} sends
   * @param {{ rand: ReturnType<typeof import('./prng.mjs').makeRandom>, disorder?: Disorder, stats?: { reorders: number, retransmissions: number } }} opts
   */
  constructor(ep, sends, opts) {
    this.ep = ep;
    this.sends = sends;
    this.rand = opts.rand;
    this.disorder = opts.disorder ?? null;
    this.stats = opts.stats ?? { reorders: 0, retransmissions: 0 };
    this.mss = ep.v6 ? 1440 : 1460;
    this.cIsn = (this.rand.next() * 4294967296) >>> 0;
    this.sIsn = (this.rand.next() * 4294967296) >>> 0;
    this.cOff = 0; // payload bytes the client has sent
    this.sOff = 0;
    /** @type {Seg[]} */
    this.q = [
      { c: true, fl: SYN, seq: this.cIsn, ack: 0, data: null },
      { c: false, fl: SYN | ACK, seq: this.sIsn, ack: this.cIsn + 1, data: null },
      { c: true, fl: ACK, seq: this.cIsn + 1, ack: this.sIsn + 1, data: null },
    ];
    this.qi = 0;
    this.closed = false;
    this.done = false;
  }

  /** @returns {Seg|null} the next packet, or null when the conversation is over */
  next() {
    while (this.qi >= this.q.length) {
      if (this.done) return null;
      this.q = [];
      this.qi = 0;
      const r = this.sends.next();
      if (r.done) this.close();
      else this.send(r.value);
    }
    return this.q[this.qi++];
  }

  close() {
    const cs = this.cIsn + 1 + this.cOff, ss = this.sIsn + 1 + this.sOff;
    this.q.push(
      { c: true, fl: FIN | ACK, seq: cs, ack: ss, data: null },
      { c: false, fl: FIN | ACK, seq: ss, ack: cs + 1, data: null },
      { c: true, fl: ACK, seq: cs + 1, ack: ss + 1, data: null },
    );
    this.done = true;
  }

  /** @param {Send} s */
  send(s) {
    const c = s.c;
    const base = c ? this.cIsn + 1 + this.cOff : this.sIsn + 1 + this.sOff;
    const ack = c ? this.sIsn + 1 + this.sOff : this.cIsn + 1 + this.cOff;
    /** @type {Seg[]} */
    const segs = [];
    let off = 0;
    let pi = 0, po = 0;
    const pieces = s.pieces;
    let total = 0;
    for (const p of pieces) total += p.length;
    while (off < total) {
      const want = Math.min(this.mss, total - off);
      let data;
      while (pieces[pi].length === po) { pi++; po = 0; }
      if (pieces[pi].length - po >= want) {
        data = pieces[pi].subarray(po, po + want);
        po += want;
      } else {
        // the segment spans pieces: copy just this one
        data = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
          while (pieces[pi].length === po) { pi++; po = 0; }
          const n = Math.min(want - got, pieces[pi].length - po);
          pieces[pi].copy(data, got, po, po + n);
          got += n; po += n;
        }
      }
      segs.push({ c, fl: off + want >= total ? PSH | ACK : ACK, seq: base + off, ack, data });
      off += want;
    }
    if (c) this.cOff += total; else this.sOff += total;

    let order = segs;
    if (this.disorder && segs.length >= 3) {
      if (this.rand.chance(this.disorder.reorder)) {
        order = segs.slice();
        const i = this.rand.int(order.length - 1);
        [order[i], order[i + 1]] = [order[i + 1], order[i]];
        this.stats.reorders++;
      }
      if (this.rand.chance(this.disorder.retransmit)) {
        if (order === segs) order = segs.slice();
        const i = this.rand.int(order.length - 1);
        order.splice(Math.min(i + 3, order.length), 0, order[i]);
        this.stats.retransmissions++;
      }
    }

    // The receiver acknowledges what it holds contiguously, every second segment.
    /** @type {Map<number, number>} */
    const got = new Map();
    let cont = base;
    const peerSeq = ack;
    order.forEach((sg, k) => {
      this.q.push(sg);
      got.set(sg.seq, sg.seq + (sg.data ? sg.data.length : 0));
      while (got.has(cont)) cont = /** @type {number} */ (got.get(cont));
      if (order.length > 1 && (k % 2 === 1 || k === order.length - 1)) {
        this.q.push({ c: !c, fl: ACK, seq: peerSeq, ack: cont, data: null });
      }
    });
  }
}
