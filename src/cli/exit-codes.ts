/** Exit codes, as README documents them. */
export const EXIT_OK = 0;
/** Findings at or above the failure threshold (`check --fail-on`). */
export const EXIT_FINDINGS = 1;
/** Usage error, or input that could not be read at all. */
export const EXIT_USAGE = 2;
/** Input damaged but analysed as far as possible, and the user asked for --strict. */
export const EXIT_DAMAGED = 3;

/** `--live IFACE -- CMD`: the command itself failed (whatever the findings say). */
export const EXIT_COMMAND_FAILED = 4;

/** An error the command line reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
  }
}
