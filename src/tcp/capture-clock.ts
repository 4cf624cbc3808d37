/**
 * The capture time that idle timeouts run on. A packet's own timestamp moves it,
 * unless that timestamp is far from the recent packets' (one SYN-ACK stamped decades
 * ahead by a confused capture host, one packet a day in the past): such an outlier
 * would otherwise close every open connection as idle, or keep one open forever.
 * When the next packet agrees with the far time, the capture's time really moved
 * (a long quiet stretch, a clock set on the host) and the clock follows.
 */

/** How far a packet's time may be from the clock before it must be confirmed (seconds). */
export const MAX_CLOCK_STEP_SEC = 3600;

export class CaptureClock {
  /** Seconds: the latest time of packets that agreed with their neighbours. */
  now = -Infinity;
  /** Packets whose time was far from their neighbours' and did not move the clock. */
  outliers = 0;
  /** The first of them. */
  firstOutlierFrame: number | null = null;
  /** Set by `observe` when the packet confirmed the far time of the one before it: that time. */
  confirmed: number | null = null;
  /** The time of the outlier waiting for the next packet (seconds), if any. */
  held: number | null = null;
  private heldFrame = 0;

  /** A packet at `t` seconds: returns the time the packet counts as active at. */
  observe(t: number, frame: number): number {
    this.confirmed = null;
    if (this.now === -Infinity || Math.abs(t - this.now) <= MAX_CLOCK_STEP_SEC) {
      this.held = null;
      if (t > this.now) this.now = t;
      return t;
    }
    if (this.held !== null && Math.abs(t - this.held) <= MAX_CLOCK_STEP_SEC) {
      // Two packets in a row agree on the new time: it was no outlier. (Counts reset between
      // inputs: one reported with an earlier input stays reported.)
      if (this.outliers > 0) this.outliers--;
      if (this.firstOutlierFrame === this.heldFrame && this.outliers === 0) this.firstOutlierFrame = null;
      this.now = Math.max(t, this.held);
      this.confirmed = this.held;
      this.held = null;
      return t;
    }
    this.held = t;
    this.heldFrame = frame;
    this.outliers++;
    this.firstOutlierFrame ??= frame;
    return this.now;
  }

  /** Forget the counts (after they were reported for one input); the time goes on. */
  resetCounts(): void {
    this.outliers = 0;
    this.firstOutlierFrame = null;
  }
}
