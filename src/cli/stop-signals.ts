/**
 * Ctrl-C and SIGTERM mean "end of input": the first one stops reading (the analysis
 * finishes the open sessions, runs the remaining rules and writes the whole output);
 * a second one exits at once, 130 for SIGINT and 143 for SIGTERM, as shells do.
 */
import type { Writable } from 'node:stream';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type StopSignal = (typeof SIGNALS)[number];
const EXIT_ON_SECOND: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

let stoppedBySignal = false;

/** True once a stop signal ended an input early: the process should exit when the output is written, even with a read still pending on a quiet pipe. */
export function wasStoppedBySignal(): boolean {
  return stoppedBySignal;
}

export interface StopSignals {
  /** Aborted at the first SIGINT or SIGTERM (unless `onStop` handles it). */
  signal: AbortSignal;
  /** Removes the handlers (the process's default handling returns), unless a stop began. */
  dispose(): void;
}

/**
 * Installs the handlers for one analysis. `onStop`, when given, runs at the first signal
 * instead of the abort: a live capture stops its capture program and reads it to the end.
 */
export function stopOnSignals(stderr: Writable, quiet: boolean, onStop?: () => void): StopSignals {
  const controller = new AbortController();
  let stopping = false;
  const handler = (name: StopSignal) => {
    if (stopping) process.exit(EXIT_ON_SECOND[name]);
    stopping = true;
    stoppedBySignal = true;
    if (!quiet) stderr.write(`pop3scope: ${name}: finishing the sessions seen so far (${name === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again quits at once)\n`);
    if (onStop) onStop();
    else controller.abort();
  };
  for (const name of SIGNALS) process.on(name, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      // Once stopping, a second signal while the output is written must still exit 130.
      if (!stopping) for (const name of SIGNALS) process.off(name, handler);
    },
  };
}
