/**
 * The tunnels fixtures/record-tunnels.sh records for real, in network
 * namespaces with the kernel doing the encapsulation: what each capture
 * (fixtures/tunnels/NAME.pcap, the underlay) must show. NAME.inner.pcap is
 * the same traffic captured on the tunnel device itself, the reference.
 */
export interface RecordedTunnel {
  name: string;
  encapsulation: string[];
  /** Protocol names tshark's frame.protocols holds for every POP3 frame. */
  tsharkProtocols: string[];
}

export const RECORDED_TUNNELS: RecordedTunnel[] = [];
