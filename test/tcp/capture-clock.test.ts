import { describe, expect, it } from 'vitest';
import { CaptureClock, MAX_CLOCK_STEP_SEC } from '../../src/tcp/capture-clock.js';

describe('CaptureClock', () => {
  it('follows packets that agree, holds one that does not, and counts it', () => {
    const c = new CaptureClock();
    expect([c.observe(100, 1), c.observe(101, 2)]).toEqual([100, 101]);
    expect(c.observe(101 + 48 * 365 * 86_400, 3)).toBe(101); // counted as active now, not decades ahead
    expect(c.observe(102, 4)).toBe(102);
    expect([c.now, c.outliers, c.firstOutlierFrame]).toEqual([102, 1, 3]);
  });

  it('follows a far time once the next packet confirms it, and does not count it', () => {
    const c = new CaptureClock();
    c.observe(100, 1);
    const later = 100 + 2 * 86_400;
    expect(c.observe(later, 2)).toBe(100);
    expect(c.observe(later + 1, 3)).toBe(later + 1);
    expect([c.now, c.confirmed, c.outliers, c.firstOutlierFrame]).toEqual([later + 1, later, 0, null]);
  });

  it('hostile timestamps alternating between two eras never move it and cost a counter each', () => {
    const c = new CaptureClock();
    c.observe(1000, 1);
    for (let i = 0; i < 10_000; i++) c.observe(i % 2 === 0 ? 1000 + 10 * MAX_CLOCK_STEP_SEC * (i + 1) : 1000, i + 2);
    expect(c.now).toBe(1000);
    expect(c.outliers).toBe(5000);
  });

  it('an outlier reported with one input and confirmed in the next never makes the count negative', () => {
    const c = new CaptureClock();
    c.observe(100, 1);
    c.observe(100 + 5 * 86_400, 2);
    expect(c.outliers).toBe(1);
    c.resetCounts(); // the first input's warning was written
    c.observe(100 + 5 * 86_400 + 1, 3);
    expect([c.outliers, c.firstOutlierFrame]).toEqual([0, null]);
  });
});
