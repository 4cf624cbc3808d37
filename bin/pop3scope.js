#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
import { wasStoppedBySignal } from '../dist/cli/stop-signals.js';

// A reader that stops early (`| head`) closes the pipe: that is not an error, just the end.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Stopped on a quiet pipe, a read may still wait for bytes that will never come. After
    // the event loop's next poll, so that a second signal that came while the output was
    // being written is still handled (exit 130).
    if (wasStoppedBySignal()) setImmediate(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(`pop3scope: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
