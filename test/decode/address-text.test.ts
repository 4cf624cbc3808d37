import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { Ipv4TextCache, ipv4Text, ipv6Text } from '../../src/decode/address-text.js';

/** 16 bytes from eight 16-bit groups, written out in full as in the RFC's examples. */
function groups(...g: number[]): Uint8Array {
  const b = new Uint8Array(16);
  g.forEach((v, i) => {
    b[2 * i] = v >> 8;
    b[2 * i + 1] = v & 0xff;
  });
  return b;
}

describe('IPv4 text', () => {
  it('is the dotted quad of the 4 bytes at the offset', () => {
    expect(ipv4Text(Uint8Array.from([9, 192, 0, 2, 255, 7]), 1)).toBe('192.0.2.255');
    expect(ipv4Text(Uint8Array.from([0, 0, 0, 0]), 0)).toBe('0.0.0.0');
  });
});

describe('IPv4 text cache', () => {
  it('gives every address its own dotted quad, whatever came before (slots shared, addresses recurring)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(0, 1, 256, 65536, 0x01010101, 0xffffffff, 0x7f000001), fc.nat(0xffffffff)), { maxLength: 300 }), (addresses) => {
      const cache = new Ipv4TextCache();
      for (const a of addresses) {
        const b = Uint8Array.of(9, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
        expect(cache.text(b, 1)).toBe(`${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`);
      }
    }), { numRuns: 300 });
  });
});

describe('IPv6 text follows RFC 5952', () => {
  it('§4.1: leading zeros in a group are dropped (2001:0db8::0001 → 2001:db8::1)', () => {
    expect(ipv6Text(groups(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001), 0)).toBe('2001:db8::1');
  });
  it('§4.2.1: "::" takes the longest run it can (2001:db8:0:0:0:0:2:1 → 2001:db8::2:1)', () => {
    expect(ipv6Text(groups(0x2001, 0xdb8, 0, 0, 0, 0, 2, 1), 0)).toBe('2001:db8::2:1');
  });
  it('§4.2.2: a single zero group is not shortened', () => {
    expect(ipv6Text(groups(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), 0)).toBe('2001:db8:0:1:1:1:1:1');
  });
  it('§4.2.3: the longest run is shortened (2001:0:0:1:0:0:0:1 → 2001:0:0:1::1)', () => {
    expect(ipv6Text(groups(0x2001, 0, 0, 1, 0, 0, 0, 1), 0)).toBe('2001:0:0:1::1');
  });
  it('§4.2.3: of equal runs the first is shortened (2001:db8:0:0:1:0:0:1 → 2001:db8::1:0:0:1)', () => {
    expect(ipv6Text(groups(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), 0)).toBe('2001:db8::1:0:0:1');
  });
  it('§4.3: hex digits are lower case', () => {
    expect(ipv6Text(groups(0x2001, 0xdb8, 0xabcd, 0xef00, 0, 0, 0, 0xface), 0)).toBe('2001:db8:abcd:ef00::face');
  });
  it('runs at either end, and the unspecified and loopback addresses', () => {
    expect(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 0), 0)).toBe('::');
    expect(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 1), 0)).toBe('::1');
    expect(ipv6Text(groups(0xfe80, 0, 0, 0, 0, 0, 0, 1), 0)).toBe('fe80::1');
    expect(ipv6Text(groups(0xfe80, 0, 0, 0, 0, 0, 0, 0), 0)).toBe('fe80::');
    expect(ipv6Text(groups(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), 0)).toBe('2001:db8::1:0:0:1');
  });
  it('§5: an IPv4-mapped address ends in a dotted quad', () => {
    expect(ipv6Text(groups(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280), 0)).toBe('::ffff:192.0.2.128');
  });
  it('reads at the offset given', () => {
    const b = new Uint8Array(20);
    b.set(groups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 4);
    expect(ipv6Text(b, 4)).toBe('2001:db8::1');
  });
});
