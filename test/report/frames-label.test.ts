import { describe, expect, it } from 'vitest';
import { framesLabel, MAX_FRAME_PARTS } from '../../src/report/labels.js';
import { PLAIN } from '../../src/report/colors.js';
import { renderAnalysis } from '../../src/report/text.js';
import { sampleResult } from './sample-result.js';

describe('frame lists in text', () => {
  it('fold runs of three or more and list the rest', () => {
    expect(framesLabel([6, 9, 11])).toBe('6, 9, 11');
    expect(framesLabel([14, 15, 16, 17, 18, 19, 20, 25])).toBe('14–20, 25');
    expect(framesLabel([3, 4, 8])).toBe('3, 4, 8');
    expect(framesLabel(['a.pcap#3', 'b.pcap#4'])).toBe('a.pcap#3, b.pcap#4');
  });

  it('stop after 20 parts and count the frames left out (65,000 out-of-state NOOPs made one 450 KB line)', () => {
    // NOOP and +OK alternate, each in its own frame: the commands' frames never run on.
    const frames = Array.from({ length: 65_000 }, (_, i) => 5 + 2 * i);
    const label = framesLabel(frames);
    expect(MAX_FRAME_PARTS).toBe(20);
    expect(label).toBe(`${frames.slice(0, 20).join(', ')} … and 64980 more frames`);
    // A folded run is one part.
    expect(framesLabel([1, 2, 3, ...frames.slice(0, 20)])).toBe(`1–3, ${frames.slice(0, 19).join(', ')} … and 1 more frame`);
  });

  it('keep a finding line short in the text report', () => {
    const result = sampleResult();
    const finding = result.findings[0]!;
    finding.frames = Array.from({ length: 10_000 }, (_, i) => 1 + 3 * i);
    const line = renderAnalysis(result, { colors: PLAIN }).split('\n').find((l) => l.includes('more frames'));
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThan(400);
    expect(line).toContain('… and 9980 more frames');
  });
});
