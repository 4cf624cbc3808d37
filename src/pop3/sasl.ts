/**
 * What a SASL exchange reveals: who logged in and which part is the secret.
 * Fed with the base64 lines as they cross (RFC 5034: the server's `+ ` lines
 * are challenges, the client's next line is its response; `*` cancels).
 * User names are reported; secrets are reported only when the user asks.
 */
import { decodeText } from './line-text.js';

export class SaslExchange {
  user: string | null = null;
  /** RFC 4616 authorization identity, when it differs from the user. */
  authzid: string | null = null;
  secret: string | null = null;
  cancelled = false;
  /** A client response that was not valid base64 (noted, kept opaque). */
  malformed = false;
  private readonly responses: string[] = [];

  constructor(readonly mechanism: string) {}

  /** The server's `+ ` line (base64, may be empty). CRAM-MD5 and SCRAM challenges carry no credential. */
  serverChallenge(_base64: string): void {}

  /** One client response, base64 as sent (`=` means empty, RFC 5034 §4). */
  clientResponse(base64: string): void {
    const line = base64.trim();
    if (line === '*') {
      this.cancelled = true;
      return;
    }
    const bytes = decodeBase64(line);
    if (bytes === null) this.malformed = true;
    const text = bytes === null ? line : decodeText(bytes);
    this.responses.push(text);
    this.interpret(text, this.responses.length - 1, line);
  }

  private interpret(text: string, index: number, base64: string): void {
    switch (this.mechanism) {
      case 'PLAIN': {
        // RFC 4616: [authzid] NUL authcid NUL passwd
        const parts = text.split('\0');
        if (parts.length === 3) {
          this.authzid = parts[0] || null;
          this.user = parts[1]!;
          this.secret = parts[2]!;
        }
        break;
      }
      case 'LOGIN':
        // draft-murchison-sasl-login: user name, then password, each answering a prompt.
        if (index === 0) this.user = text;
        else if (index === 1) this.secret = text;
        break;
      case 'CRAM-MD5': {
        // RFC 2195: "user SP hex-digest"
        const sp = text.lastIndexOf(' ');
        if (sp > 0) {
          this.user = text.slice(0, sp);
          this.secret = text.slice(sp + 1);
        }
        break;
      }
      case 'XOAUTH2': {
        const fields = kvFields(text);
        if (fields.user !== undefined) this.user = fields.user;
        if (fields.auth !== undefined) this.secret = bearer(fields.auth);
        break;
      }
      case 'OAUTHBEARER': {
        // RFC 7628 §3.1: gs2-header "n,a=user," then kvsep-separated fields.
        const sep = text.indexOf('\x01');
        const gs2 = sep < 0 ? text : text.slice(0, sep);
        const a = /(?:^|,)a=([^,]*)/.exec(gs2);
        if (a) this.user = saslName(a[1]!);
        const fields = kvFields(sep < 0 ? '' : text.slice(sep));
        if (fields.auth !== undefined) this.secret = bearer(fields.auth);
        break;
      }
      case 'EXTERNAL':
        // RFC 4422 App. A: the response is the authorization identity, often empty.
        if (index === 0 && text !== '') this.user = text;
        break;
      default:
        if (this.mechanism.startsWith('SCRAM-')) {
          // RFC 5802: client-first "gs2-header n=user,r=nonce"; client-final "...,p=proof".
          const n = /(?:^|,)n=([^,]*)/.exec(text.replace(/^[nyp][^,]*,[^,]*,/, ''));
          if (index === 0 && n) this.user = saslName(n[1]!);
          const p = /(?:^|,)p=([^,]*)$/.exec(text);
          if (p) this.secret = p[1]!;
        } else if (base64 !== '' && base64 !== '=') {
          // GSSAPI, NTLM and others: opaque tokens; the last one stands for the credential.
          this.secret = base64;
        }
    }
  }
}

/** Base64 per RFC 4648 (padding optional); `=` alone is the empty response. */
export function decodeBase64(line: string): Uint8Array | null {
  if (line === '=' || line === '') return new Uint8Array(0);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) return null;
  return Buffer.from(line, 'base64');
}

function kvFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split('\x01')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] ??= part.slice(eq + 1);
  }
  return out;
}

/** `Bearer <token>` → the token. */
function bearer(auth: string): string {
  const m = /^Bearer\s+(.*)$/i.exec(auth);
  return m ? m[1]! : auth;
}

/** RFC 5802 / 7628 saslname: `=2C` is a comma, `=3D` an equals sign. */
function saslName(s: string): string {
  return s.replace(/=2C/gi, ',').replace(/=3D/gi, '=');
}
