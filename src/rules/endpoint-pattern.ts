/** `IP`, `IP:PORT`, `[IPv6]:PORT` or `:PORT`: how users name an endpoint (--server, a policy's suppressions). */
import type { EndpointOut } from '../model.js';

export function endpointMatches(pattern: string, ep: EndpointOut): boolean {
  const m = /^\[(.+)\](?::(\d+))?$/.exec(pattern);
  let ip: string | undefined;
  let port: string | undefined;
  if (m) {
    ip = m[1];
    port = m[2];
  } else if ((pattern.match(/:/g) ?? []).length === 1) {
    [ip, port] = pattern.split(':');
  } else {
    ip = pattern;
  }
  if (ip && ip !== ep.ip) return false;
  if (port && Number(port) !== ep.port) return false;
  return true;
}
