/** Every rule, in the order `pop3scope rules` lists them: most serious concerns first. */
import type { Rule } from './rule.js';
import { cleartextCredentials } from './cleartext-credentials.js';
import { stlsRejected } from './stls-rejected.js';
import { weakTls } from './weak-tls.js';
import { plaintextPort } from './plaintext-port.js';
import { stlsOfferedNotUsed } from './stls-offered-not-used.js';
import { authFailures } from './auth-failures.js';
import { weakAuthMechanism } from './weak-auth-mechanism.js';
import { overlongCommand } from './overlong-command.js';
import { overlongArgument } from './overlong-argument.js';
import { overlongResponse } from './overlong-response.js';
import { commandOutOfState } from './command-out-of-state.js';
import { protocolViolation } from './protocol-violation.js';
import { unknownCommand } from './unknown-command.js';
import { deletionsCommitted } from './deletions-committed.js';
import { deletionsNotCommitted } from './deletions-not-committed.js';
import { incompleteCapture } from './incomplete-capture.js';

export const RULES: readonly Rule[] = [
  cleartextCredentials,
  stlsRejected,
  weakTls,
  plaintextPort,
  stlsOfferedNotUsed,
  authFailures,
  weakAuthMechanism,
  overlongCommand,
  overlongArgument,
  overlongResponse,
  commandOutOfState,
  protocolViolation,
  unknownCommand,
  deletionsCommitted,
  deletionsNotCommitted,
  incompleteCapture,
];

/** Every threshold a policy may set, with its default. */
export function defaultThresholds(rules: readonly Rule[] = RULES): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rules) for (const [name, spec] of Object.entries(r.thresholds ?? {})) out[name] = spec.default;
  return out;
}
