/**
 * How secrets are hidden, defined once for every layer: the text that stands
 * for a secret, and where the length of a hidden secret is kept for the rules
 * (a symbol key: JSON, JSONL, SARIF and the text reports never see it, since a
 * secret's length is a secret too).
 */
export const REDACTED = '[redacted]';

/** On a transcript entry whose `length` was withheld: the octets of its line, for rules that judge line length. */
export const SECRET_LENGTH: unique symbol = Symbol('pop3scope.secretLength');
