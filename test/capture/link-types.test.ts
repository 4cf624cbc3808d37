import { describe, expect, it } from 'vitest';
import { linkTypeName } from '../../src/capture/link-types.js';

describe('linkTypeName', () => {
  // Values and names from https://www.tcpdump.org/linktypes.html.
  it.each([
    [0, 'NULL'],
    [1, 'ETHERNET'],
    [12, 'RAW'],
    [14, 'RAW'],
    [101, 'RAW'],
    [108, 'LOOP'],
    [113, 'LINUX_SLL'],
    [228, 'IPV4'],
    [229, 'IPV6'],
    [276, 'LINUX_SLL2'],
  ])('LINKTYPE %d is %s', (value, name) => {
    expect(linkTypeName(value)).toBe(name);
  });

  it('names an unknown value by its number', () => {
    expect(linkTypeName(65000)).toBe('LINKTYPE_65000');
  });
});
