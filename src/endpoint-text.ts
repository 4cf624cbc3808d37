/**
 * How every output names an endpoint and a flow: below rules/ and report/, so
 * finding messages, tables, SARIF and `follow` cannot disagree.
 */
import type { EndpointOut, SessionOut } from './model.js';

/** `127.0.0.1:110`, `[::1]:110` (brackets around IPv6, as in URLs). */
export function endpointLabel(e: EndpointOut): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** `127.0.0.1:40248 → 127.0.0.1:110` */
export function flowLabel(s: Pick<SessionOut, 'client' | 'server'>): string {
  return `${endpointLabel(s.client)} → ${endpointLabel(s.server)}`;
}
