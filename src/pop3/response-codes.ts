/**
 * RFC 2449 extended response codes (the bracketed word after +OK / -ERR),
 * as registered with IANA. Unknown codes are still reported, just not explained.
 */
export interface ResponseCodeSpec {
  code: string;
  rfc: string;
  meaning: string;
}

const TABLE: ResponseCodeSpec[] = [
  { code: 'IN-USE', rfc: 'RFC 2449 §8.1.1', meaning: 'the mailbox is locked by another session; try again later' },
  { code: 'LOGIN-DELAY', rfc: 'RFC 2449 §8.1.2', meaning: 'the user logged in too recently; the server enforces a delay between logins' },
  { code: 'SYS/TEMP', rfc: 'RFC 3206 §4', meaning: 'a temporary problem on the server side, not the user\'s fault; retrying may work' },
  { code: 'SYS/PERM', rfc: 'RFC 3206 §4', meaning: 'a lasting problem on the server side, not the user\'s fault; retrying will not help' },
  { code: 'AUTH', rfc: 'RFC 3206 §5', meaning: 'the login failed because of the credentials given' },
  { code: 'UTF8', rfc: 'RFC 6856 §2', meaning: 'the command needs UTF-8 mode, which the session has not enabled' },
];

export const RESPONSE_CODES: ReadonlyMap<string, ResponseCodeSpec> = new Map(TABLE.map((c) => [c.code, c]));

/** Splits a leading `[CODE]` off response text (RFC 2449 §8). */
export function splitResponseCode(text: string): { code?: string; text: string } {
  if (!text.startsWith('[')) return { text };
  const end = text.indexOf(']');
  if (end < 2) return { text };
  const code = text.slice(1, end);
  return { code, text: text.slice(end + 1).replace(/^ /, '') };
}
