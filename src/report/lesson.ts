/**
 * What `pop3scope explain` says about every command, response code, SASL step and
 * rule, as plain data: the `explain` subcommand prints one entry, the HTML report
 * embeds them all so a click on a line of a session shows the same words. The texts
 * live in the pop3 and rules tables, the examples in explain-examples.ts; nothing
 * here is written twice.
 */
import { COMMANDS, type CommandSpec } from '../pop3/commands.js';
import { RESPONSE_CODES } from '../pop3/response-codes.js';
import { RULES } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import type { Pop3State } from '../model.js';
import { EXAMPLES } from './explain-examples.js';
import { SASL_ANSWER, SASL_CHALLENGE } from './glossary.js';

export interface CommandLesson {
  keyword: string;
  rfc: string;
  syntax: string;
  what: string;
  states: Pop3State[];
  reply: string;
  /** The line carries a credential, redacted unless --show-secrets. */
  secret: boolean;
  example: string[];
}

export interface CodeLesson {
  code: string;
  rfc: string;
  what: string;
  example: string[];
}

export interface RuleLesson {
  id: string;
  title: string;
  severity: string;
  why: string;
  fix: string;
  references: string[];
  example: string[];
}

export interface Lesson {
  commands: CommandLesson[];
  codes: CodeLesson[];
  rules: RuleLesson[];
  sasl: { challenge: string; answer: string };
  /** What a reply's status indicator says (RFC 1939 §3). */
  statuses: { status: '+OK' | '-ERR'; what: string }[];
  /** RFC 1939 §3, one sentence a state. */
  states: { state: Pop3State; what: string }[];
}

/** The `reply:` line of `explain`: what a `+OK` to the command brings. */
export function replyLabel(spec: CommandSpec): string {
  switch (spec.multiline) {
    case 'never': return 'one line';
    case 'always': return 'a +OK line, then data ending with a line of "."';
    default: return 'multi-line data when given no argument';
  }
}

export const SECRET_NOTE = 'its credential is redacted in every output unless --show-secrets';

/** RFC 1939 §3, in the words the report uses to introduce a session. */
export const STATES: Lesson['states'] = [
  { state: 'AUTHORIZATION', what: 'the server has sent its greeting; the client must identify itself (USER/PASS, APOP or AUTH), and may ask for CAPA or switch to TLS with STLS' },
  { state: 'TRANSACTION', what: 'the login succeeded and the mailbox is locked for this session; the client lists, retrieves and marks messages for deletion' },
  { state: 'UPDATE', what: 'the client sent QUIT after logging in and the server answered +OK: the messages marked with DELE are now removed, and the connection closes' },
];

export const STATUSES: Lesson['statuses'] = [
  { status: '+OK', what: 'a positive reply: the server did what the command asked (RFC 1939 §3)' },
  { status: '-ERR', what: 'a negative reply: the command failed or was refused; the text, and an RFC 2449 response code in brackets where the server sends one, says why (RFC 1939 §3)' },
];

export function commandLesson(spec: CommandSpec): CommandLesson {
  return {
    keyword: spec.keyword, rfc: spec.rfc, syntax: spec.syntax, what: spec.purpose, states: spec.states,
    reply: replyLabel(spec), secret: spec.secret !== undefined, example: EXAMPLES[spec.keyword] ?? [],
  };
}

export function ruleLesson(rule: Rule): RuleLesson {
  return {
    id: rule.id, title: rule.title, severity: rule.defaultSeverity, why: rule.rationale, fix: rule.remediation,
    references: rule.references, example: EXAMPLES[rule.id] ?? [],
  };
}

export function buildLesson(): Lesson {
  return {
    commands: [...COMMANDS.values()].map(commandLesson),
    // A code that is also a command (AUTH, UTF8) shares its key in EXAMPLES: that example is the command's.
    codes: [...RESPONSE_CODES.values()].map((c) => ({ code: c.code, rfc: c.rfc, what: c.meaning, example: COMMANDS.has(c.code) ? [] : EXAMPLES[c.code] ?? [] })),
    rules: RULES.map(ruleLesson),
    sasl: { challenge: SASL_CHALLENGE, answer: SASL_ANSWER },
    statuses: STATUSES,
    states: STATES,
  };
}
