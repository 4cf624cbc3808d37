/**
 * The POP3 command table: the single source the parser, the state checks,
 * the rules and `--explain` read (after Zeek's POP3_cmd.def).
 * A new command is one row here.
 */
import type { Pop3State } from '../model.js';

export interface CommandSpec {
  keyword: string;
  /** Usage as the RFC writes it, e.g. `LIST [msg]`. */
  syntax: string;
  minArgs: number;
  maxArgs: number;
  /** When a `+OK` reply opens multi-line data. */
  multiline: 'always' | 'without-argument' | 'never' | 'auth-listing';
  /** States in which the command is valid. */
  states: Pop3State[];
  rfc: string;
  /** Plain words for users. */
  purpose: string;
  /** Which part of the line is a credential: the whole rest of the line, or everything after the first argument. */
  secret?: 'argument' | 'second-argument';
}

const AUTHZ: Pop3State[] = ['AUTHORIZATION'];
const TRANS: Pop3State[] = ['TRANSACTION'];
const BOTH: Pop3State[] = ['AUTHORIZATION', 'TRANSACTION'];

const TABLE: CommandSpec[] = [
  { keyword: 'USER', syntax: 'USER name', minArgs: 1, maxArgs: 1, multiline: 'never', states: AUTHZ, rfc: 'RFC 1939 §7',
    purpose: 'names the mailbox to log in to; the password follows with PASS, in clear text unless the connection is encrypted' },
  { keyword: 'PASS', syntax: 'PASS string', minArgs: 1, maxArgs: Infinity, multiline: 'never', states: AUTHZ, rfc: 'RFC 1939 §7',
    purpose: 'sends the password for the mailbox named by USER; the whole rest of the line is the password', secret: 'argument' },
  { keyword: 'APOP', syntax: 'APOP name digest', minArgs: 2, maxArgs: 2, multiline: 'never', states: AUTHZ, rfc: 'RFC 1939 §7',
    purpose: 'logs in with an MD5 digest of the greeting timestamp and a shared secret, instead of sending the password', secret: 'second-argument' },
  { keyword: 'AUTH', syntax: 'AUTH [mechanism [initial-response]]', minArgs: 0, maxArgs: 2, multiline: 'auth-listing', states: AUTHZ, rfc: 'RFC 5034 §4',
    purpose: 'starts a SASL login with the named mechanism; without a mechanism, lists the mechanisms offered', secret: 'second-argument' },
  { keyword: 'STLS', syntax: 'STLS', minArgs: 0, maxArgs: 0, multiline: 'never', states: AUTHZ, rfc: 'RFC 2595 §4',
    purpose: 'asks to switch the connection to TLS before logging in; after +OK both sides speak TLS' },
  { keyword: 'CAPA', syntax: 'CAPA', minArgs: 0, maxArgs: 0, multiline: 'always', states: BOTH, rfc: 'RFC 2449 §5',
    purpose: 'asks the server which extensions and login mechanisms it offers' },
  { keyword: 'STAT', syntax: 'STAT', minArgs: 0, maxArgs: 0, multiline: 'never', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'asks for the number of messages in the mailbox and their total size' },
  { keyword: 'LIST', syntax: 'LIST [msg]', minArgs: 0, maxArgs: 1, multiline: 'without-argument', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'lists the size of one message, or of every message when given no number' },
  { keyword: 'RETR', syntax: 'RETR msg', minArgs: 1, maxArgs: 1, multiline: 'always', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'downloads a whole message' },
  { keyword: 'DELE', syntax: 'DELE msg', minArgs: 1, maxArgs: 1, multiline: 'never', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'marks a message for deletion; removed only when QUIT commits' },
  { keyword: 'NOOP', syntax: 'NOOP', minArgs: 0, maxArgs: 0, multiline: 'never', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'does nothing; keeps the connection alive' },
  { keyword: 'RSET', syntax: 'RSET', minArgs: 0, maxArgs: 0, multiline: 'never', states: TRANS, rfc: 'RFC 1939 §5',
    purpose: 'unmarks every message marked for deletion in this session' },
  { keyword: 'QUIT', syntax: 'QUIT', minArgs: 0, maxArgs: 0, multiline: 'never', states: BOTH, rfc: 'RFC 1939 §6',
    purpose: 'ends the session; after login, its +OK commits the deletions (UPDATE state)' },
  { keyword: 'TOP', syntax: 'TOP msg n', minArgs: 2, maxArgs: 2, multiline: 'always', states: TRANS, rfc: 'RFC 1939 §7',
    purpose: 'downloads the headers of a message and its first n body lines' },
  { keyword: 'UIDL', syntax: 'UIDL [msg]', minArgs: 0, maxArgs: 1, multiline: 'without-argument', states: TRANS, rfc: 'RFC 1939 §7',
    purpose: 'lists the unique id of one message, or of every message when given no number' },
  { keyword: 'UTF8', syntax: 'UTF8', minArgs: 0, maxArgs: 0, multiline: 'never', states: AUTHZ, rfc: 'RFC 6856 §2',
    purpose: 'switches the session to UTF-8 for user names, passwords and messages' },
  { keyword: 'LANG', syntax: 'LANG [lang-range]', minArgs: 0, maxArgs: 1, multiline: 'without-argument', states: BOTH, rfc: 'RFC 6856 §3',
    purpose: 'chooses the language of server texts; without an argument, lists the languages offered' },
];

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(TABLE.map((c) => [c.keyword, c]));

/** Case-insensitive look-up (RFC 1939 §3: keywords are case-insensitive). */
export function lookupCommand(keyword: string): CommandSpec | undefined {
  return COMMANDS.get(keyword.toUpperCase());
}

/** Does a `+OK` to this command, with this many arguments, open multi-line data? */
export function opensMultiline(spec: CommandSpec, argCount: number): boolean {
  switch (spec.multiline) {
    case 'always': return true;
    case 'without-argument':
    case 'auth-listing': return argCount === 0;
    case 'never': return false;
  }
}
