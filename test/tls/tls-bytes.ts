/**
 * Builds TLS bytes from the structure definitions of RFC 8446 §4 and RFC 5246
 * §7.4, so the tests state their inputs as fields, not as opaque hex.
 * Length prefixes are the only thing computed here.
 */

export function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}
export const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
export const vec8 = (...parts: (number[] | Uint8Array)[]): Uint8Array => { const b = bytes(...parts); return bytes([b.length], b); };
export const vec16 = (...parts: (number[] | Uint8Array)[]): Uint8Array => { const b = bytes(...parts); return bytes(u16(b.length), b); };
export const vec24 = (...parts: (number[] | Uint8Array)[]): Uint8Array => { const b = bytes(...parts); return bytes([b.length >> 16, (b.length >> 8) & 0xff, b.length & 0xff], b); };
export const ascii = (s: string): number[] => Array.from(Buffer.from(s, 'latin1'));

/** TLSPlaintext: type, legacy_record_version, length, fragment. */
export const record = (type: number, version: number, fragment: Uint8Array): Uint8Array => bytes([type], u16(version), vec16(fragment));
/** Handshake: msg_type, uint24 length, body. */
export const handshake = (type: number, body: Uint8Array): Uint8Array => bytes([type], vec24(body));
export const extension = (type: number, data: Uint8Array): Uint8Array => bytes(u16(type), vec16(data));

export const sniExtension = (host: string): Uint8Array => extension(0, vec16([0], vec16(ascii(host))));
export const alpnExtension = (...names: string[]): Uint8Array => extension(16, vec16(...names.map((n) => vec8(ascii(n)))));
export const clientVersionsExtension = (...versions: number[]): Uint8Array => extension(43, vec8(...versions.map(u16)));
export const serverVersionExtension = (version: number): Uint8Array => extension(43, bytes(u16(version)));

export function clientHelloBody(o: { version: number; suites: number[]; extensions?: Uint8Array[] }): Uint8Array {
  return bytes(
    u16(o.version),
    new Array(32).fill(0x11), // random
    vec8(new Array(32).fill(0x22)), // legacy_session_id
    vec16(...o.suites.map(u16)),
    vec8([0]), // compression: null
    o.extensions === undefined ? [] : vec16(...o.extensions),
  );
}

export function serverHelloBody(o: { version: number; suite: number; extensions?: Uint8Array[]; random?: number[] }): Uint8Array {
  return bytes(
    u16(o.version),
    o.random ?? new Array(32).fill(0x33),
    vec8(new Array(32).fill(0x22)),
    u16(o.suite),
    [0],
    o.extensions === undefined ? [] : vec16(...o.extensions),
  );
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+|#[^\n]*/g, ''), 'hex'));
}
