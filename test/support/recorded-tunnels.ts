/**
 * The tunnels fixtures/record-tunnels.sh records for real, in network
 * namespaces with the kernel doing the encapsulation: what each capture
 * (fixtures/tunnels/NAME.pcap, the underlay) must show. NAME.inner.pcap is
 * the same traffic captured on the tunnel device itself, the reference.
 */
export interface RecordedTunnel {
  name: string;
  encapsulation: string[];
  /** Layers tshark's frame.protocols shows, in this order, for every TCP frame. */
  tsharkChain: string;
}

export const RECORDED_TUNNELS: RecordedTunnel[] = [
  { name: 'vxlan', encapsulation: ['vxlan'], tsharkChain: 'ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp' },
  { name: 'vxlan-ipv6', encapsulation: ['vxlan'], tsharkChain: 'ethertype:ipv6:udp:vxlan:eth:ethertype:ipv6:tcp' },
  { name: 'vxlan-in-vxlan', encapsulation: ['vxlan', 'vxlan'], tsharkChain: 'ip:udp:vxlan:eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp' },
];
