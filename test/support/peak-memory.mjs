/**
 * Loaded with `node --import` into a command-line run: at exit, writes the
 * process's peak resident memory (KiB) and its run time (s) as JSON to the file
 * named by POP3SCOPE_MEASURE, so a test can hold a hostile input to a bound
 * without a tool that CI may lack (`/usr/bin/time`).
 */
import { writeFileSync } from 'node:fs';

const target = process.env.POP3SCOPE_MEASURE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, seconds: process.uptime() }));
  });
}
