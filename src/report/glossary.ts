/**
 * What `--explain` says about a command or a response code, read from the pop3
 * layer's tables so the explanation and the parser never disagree. Renderers
 * take a Glossary, so a test can hand them a small one of its own.
 */
import { lookupCommand } from '../pop3/commands.js';
import { RESPONSE_CODES } from '../pop3/response-codes.js';

export interface Explanation {
  /** Plain words for users. */
  meaning: string;
  /** Where it is defined, e.g. `RFC 1939 §7`. */
  rfc: string;
}

export interface Glossary {
  command(keyword: string): Explanation | undefined;
  responseCode(code: string): Explanation | undefined;
}

export const POP3_GLOSSARY: Glossary = {
  command(keyword) {
    const spec = lookupCommand(keyword);
    return spec ? { meaning: spec.purpose, rfc: spec.rfc } : undefined;
  },
  responseCode(code) {
    // Hierarchical codes (RFC 2449 §8): an unknown `SYS/FOO` still says what `SYS` is, where listed.
    const spec = RESPONSE_CODES.get(code.toUpperCase()) ?? RESPONSE_CODES.get(code.toUpperCase().split('/')[0]!);
    return spec ? { meaning: spec.meaning, rfc: spec.rfc } : undefined;
  },
};

/** What --explain says of the two halves of a SASL step, which carry no keyword of their own. */
export const SASL_CHALLENGE = 'the server asks for the next step of the SASL login; the client\'s next line answers it (RFC 5034 §4)';
export const SASL_ANSWER = 'the client\'s base64 answer to the challenge, or * to cancel (RFC 5034 §4); it carries the credentials';
