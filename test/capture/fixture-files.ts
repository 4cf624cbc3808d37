/** Test helper: the capture fixtures present in the repository and their tshark reference files. */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const TSHARK_DIR = join(FIXTURES_DIR, 'tshark');

const CAPTURE_NAME = /^(.*?)\.(pcap|pcapng|cap)(\.gz)?$/;

export interface Fixture {
  name: string;
  path: string;
}

/** Every capture under fixtures/ and fixtures/captures/, named without its extensions. */
export function captureFixtures(): Fixture[] {
  const found: Fixture[] = [];
  for (const dir of [FIXTURES_DIR, join(FIXTURES_DIR, 'captures')]) {
    for (const file of readdirSync(dir).sort()) {
      const m = CAPTURE_NAME.exec(file);
      if (m) found.push({ name: m[1]!, path: join(dir, file) });
    }
  }
  return found;
}

export function fixtureLabel(f: Fixture): string {
  return basename(f.path);
}
