/**
 * The reasons the decoder counts in `skipped`, in plain words, for output
 * and documentation. Each packet is counted once, under the first problem
 * found going up the layers; `*-fragments-incomplete` counts datagrams.
 */
export const SKIP_REASONS: Readonly<Record<string, string>> = {
  'unknown-link-type:<n>': 'the capture uses a link layer the tool does not decode (LINKTYPE_<n>)',
  'malformed-ethernet': 'an Ethernet frame too short for its header or its VLAN tags',
  'malformed-sll': 'a Linux cooked (v1) frame too short for its 16-byte header or its VLAN tags',
  'malformed-sll2': 'a Linux cooked v2 frame too short for its 20-byte header',
  'malformed-loopback': 'a BSD loopback frame too short for its 4-byte address family',
  'non-ip': 'neither IPv4 nor IPv6 (ARP, LLDP, another address family …)',
  'malformed-ip': 'a raw-IP packet with no bytes at all',
  'truncated-ip-header': 'the snapshot length cut the packet inside its IP headers',
  'malformed-ipv4': 'an IPv4 header that cannot be right: wrong version, header length under 20, total length under the header length, or longer than the frame',
  'malformed-ipv6': 'an IPv6 header chain that cannot be right: wrong version, an extension header past the payload length, a fragment inside a reassembled datagram',
  'non-tcp': 'an IP packet that does not carry TCP (UDP, ICMP …)',
  'ipv4-fragment': 'an IPv4 fragment held until its datagram is complete (the last one gives the segment)',
  'ipv6-fragment': 'an IPv6 fragment held until its datagram is complete (the last one gives the segment)',
  'ipv4-fragment-oversize': 'an IPv4 fragment of a datagram larger than the reassembly limit',
  'ipv6-fragment-oversize': 'an IPv6 fragment of a datagram larger than the reassembly limit',
  'ipv4-fragments-incomplete': 'a fragmented IPv4 datagram given up unfinished (timeout, too many at once, or end of input)',
  'ipv6-fragments-incomplete': 'a fragmented IPv6 datagram given up unfinished (timeout, too many at once, or end of input)',
  'malformed-tcp': 'a TCP header that cannot be right: data offset under 5, or longer than the IP datagram',
  'truncated-tcp-header': 'the snapshot length cut the packet inside its TCP header',
  'other-port': 'a TCP segment (or a fragment of one) on ports the analysis does not want',
};
