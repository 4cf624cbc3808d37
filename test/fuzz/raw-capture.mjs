/**
 * Byte-level capture building for the plain-Node fuzz scripts (the vitest
 * tests use test/support/): Ethernet/IPv4/TCP frames and a classic
 * little-endian microsecond pcap, from pcap-savefile(5) and RFC 791/9293.
 */

export const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01, RST = 0x04;

/**
 * One Ethernet/IPv4/TCP frame between 192.0.2.1 (client) and 192.0.2.110 (server);
 * checksums are left zero (the tool does not check them).
 * @param {number} srcPort @param {number} dstPort @param {number} seq @param {number} ack @param {number} flags @param {Buffer} [payload] @param {number} [serverPort]
 */
export function tcpFrame(srcPort, dstPort, seq, ack, flags, payload = Buffer.alloc(0), serverPort = 110) {
  const eth = Buffer.from('0000000000020000000000010800', 'hex');
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(40 + payload.length, 2); ip[8] = 64; ip[9] = 6;
  const fromServer = srcPort === serverPort;
  Buffer.from([192, 0, 2, 1]).copy(ip, fromServer ? 16 : 12);
  Buffer.from([192, 0, 2, 110]).copy(ip, fromServer ? 12 : 16);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(srcPort, 0); tcp.writeUInt16BE(dstPort, 2); tcp.writeUInt32BE(seq >>> 0, 4); tcp.writeUInt32BE(ack >>> 0, 8);
  tcp[12] = 0x50; tcp[13] = flags; tcp.writeUInt16BE(65535, 14);
  return Buffer.concat([eth, ip, tcp, payload]);
}

/** A classic little-endian microsecond pcap of Ethernet frames, 1 ms apart. @param {Buffer[]} frames */
export function pcapOf(frames) {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(262144, 16); h.writeUInt32LE(1, 20);
  const parts = [h];
  frames.forEach((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0); r.writeUInt32LE((i % 1000) * 1000, 4); r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
    parts.push(r, f);
  });
  return Buffer.concat(parts);
}

/**
 * A whole conversation: handshake, each turn as one segment (or cut into pieces), FIN close.
 * @param {{ from: 'client' | 'server', data: Buffer }[]} turns @param {number} [clientPort] @param {number} [serverPort]
 */
export function conversationFrames(turns, clientPort = 40000, serverPort = 110) {
  let c = 1000, s = 5000;
  const f = [tcpFrame(clientPort, serverPort, c - 1, 0, SYN, undefined, serverPort), tcpFrame(serverPort, clientPort, s - 1, c, SYN | ACK, undefined, serverPort), tcpFrame(clientPort, serverPort, c, s, ACK, undefined, serverPort)];
  for (const t of turns) {
    if (t.from === 'client') { f.push(tcpFrame(clientPort, serverPort, c, s, PSH | ACK, t.data, serverPort)); c += t.data.length; }
    else { f.push(tcpFrame(serverPort, clientPort, s, c, PSH | ACK, t.data, serverPort)); s += t.data.length; }
  }
  f.push(tcpFrame(clientPort, serverPort, c, s, FIN | ACK, undefined, serverPort), tcpFrame(serverPort, clientPort, s, c + 1, FIN | ACK, undefined, serverPort));
  return f;
}
