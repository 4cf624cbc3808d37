/**
 * Debian's chromium, driven by playwright-core, for the HTML report's browser tests and
 * its screenshot. Never downloads a browser; the profile is fresh and thrown away, and
 * every background service that could reach the network is off.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.POP3SCOPE_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable() {
  return existsSync(CHROMIUM);
}

/** A persistent context on a fresh profile directory, removed by `close()`. */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'pop3scope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
