import { describe, it, expect } from 'vitest';
import { colorLevel, makeColors } from '../../src/report/colors.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colour decision', () => {
  it('is off when the stream is not a terminal, and on when it is', () => {
    expect(makeColors({ stream: pipe, env: {} }).enabled).toBe(false);
    expect(makeColors({ stream: {}, env: {} }).enabled).toBe(false);
    expect(makeColors({ stream: tty, env: {} }).enabled).toBe(true);
  });

  it('is off on a dumb terminal', () => {
    expect(makeColors({ stream: tty, env: { TERM: 'dumb' } }).enabled).toBe(false);
  });

  it('honours NO_COLOR when set to anything but the empty string (no-color.org)', () => {
    expect(makeColors({ stream: tty, env: { NO_COLOR: '1' } }).enabled).toBe(false);
    expect(makeColors({ stream: tty, env: { NO_COLOR: 'yes please' } }).enabled).toBe(false);
    expect(makeColors({ stream: tty, env: { NO_COLOR: '' } }).enabled).toBe(true);
  });

  it('honours FORCE_COLOR, levels 0 to 3', () => {
    expect(colorLevel({ stream: pipe, env: { FORCE_COLOR: '0' } })).toBe(0);
    expect(colorLevel({ stream: tty, env: { FORCE_COLOR: 'false' } })).toBe(0);
    expect(colorLevel({ stream: pipe, env: { FORCE_COLOR: '1' } })).toBe(1);
    expect(colorLevel({ stream: pipe, env: { FORCE_COLOR: '3' } })).toBe(3);
    expect(colorLevel({ stream: pipe, env: { FORCE_COLOR: '' } })).toBe(1);
  });

  it('lets NO_COLOR beat FORCE_COLOR', () => {
    expect(colorLevel({ stream: tty, env: { NO_COLOR: '1', FORCE_COLOR: '3' } })).toBe(0);
  });

  it('lets the command line beat the environment', () => {
    expect(colorLevel({ color: false, stream: tty, env: { FORCE_COLOR: '3' } })).toBe(0);
    expect(colorLevel({ color: true, stream: pipe, env: { NO_COLOR: '1' } })).toBeGreaterThan(0);
  });

  it('uses the terminal’s colour depth', () => {
    expect(colorLevel({ stream: { isTTY: true, getColorDepth: () => 24 }, env: {} })).toBe(3);
    expect(colorLevel({ stream: { isTTY: true, getColorDepth: () => 8 }, env: {} })).toBe(2);
    expect(colorLevel({ stream: { isTTY: true, getColorDepth: () => 4 }, env: {} })).toBe(1);
  });
});

describe('palette', () => {
  it('adds no escapes when off', () => {
    const c = makeColors({ stream: pipe, env: {} });
    for (const s of ['info', 'low', 'medium', 'high', 'critical'] as const) expect(c.severity(s, 'x')).toBe('x');
    expect(c.client('C→') + c.server('S←') + c.ok('+OK') + c.err('-ERR') + c.dim('d') + c.bold('b')).toBe('C→S←+OK-ERRdb');
  });

  it('gives each severity a distinct look when on', () => {
    const c = makeColors({ stream: tty, env: {} });
    const looks = (['info', 'low', 'medium', 'high', 'critical'] as const).map((s) => c.severity(s, 'x'));
    for (const l of looks) expect(l).toMatch(/^\x1b\[/);
    expect(new Set(looks).size).toBe(5);
    // SGR 31 is red (ECMA-48): high findings are red.
    expect(c.severity('high', 'x')).toContain('\x1b[31m');
  });
});
