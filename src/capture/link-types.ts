/**
 * LINKTYPE_* numbers as libpcap and tshark name them (the `LINKTYPE_` prefix
 * dropped), so `captures[].linkTypes` reads like the registry at
 * https://www.tcpdump.org/linktypes.html. The capture layer only names link
 * types; which ones can be decoded is the decode layer's business.
 */
const LINK_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'],
  [1, 'ETHERNET'],
  [3, 'AX25'],
  [6, 'IEEE802_5'],
  [7, 'ARCNET_BSD'],
  [8, 'SLIP'],
  [9, 'PPP'],
  [10, 'FDDI'],
  // DLT_RAW is 12 on most BSDs and 14 on OpenBSD; old files carry those values.
  [12, 'RAW'],
  [14, 'RAW'],
  [50, 'PPP_HDLC'],
  [51, 'PPP_ETHER'],
  [100, 'ATM_RFC1483'],
  [101, 'RAW'],
  [104, 'C_HDLC'],
  [105, 'IEEE802_11'],
  [107, 'FRELAY'],
  [108, 'LOOP'],
  [113, 'LINUX_SLL'],
  [114, 'LTALK'],
  [117, 'PFLOG'],
  [119, 'IEEE802_11_PRISM'],
  [122, 'IP_OVER_FC'],
  [123, 'SUNATM'],
  [127, 'IEEE802_11_RADIOTAP'],
  [129, 'ARCNET_LINUX'],
  [138, 'APPLE_IP_OVER_IEEE1394'],
  [139, 'MTP2_WITH_PHDR'],
  [140, 'MTP2'],
  [141, 'MTP3'],
  [142, 'SCCP'],
  [143, 'DOCSIS'],
  [144, 'LINUX_IRDA'],
  [163, 'IEEE802_11_AVS'],
  [166, 'PPP_PPPD'],
  [169, 'GPRS_LLC'],
  [177, 'LINUX_LAPD'],
  [187, 'BLUETOOTH_HCI_H4'],
  [189, 'USB_LINUX'],
  [192, 'PPI'],
  [195, 'IEEE802_15_4_WITHFCS'],
  [197, 'ERF'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR'],
  [204, 'PPP_WITH_DIR'],
  [205, 'C_HDLC_WITH_DIR'],
  [206, 'FRELAY_WITH_DIR'],
  [220, 'USB_LINUX_MMAPPED'],
  [226, 'IPNET'],
  [227, 'CAN_SOCKETCAN'],
  [228, 'IPV4'],
  [229, 'IPV6'],
  [230, 'IEEE802_15_4_NOFCS'],
  [231, 'DBUS'],
  [239, 'NFLOG'],
  [240, 'NETANALYZER'],
  [241, 'NETANALYZER_TRANSPARENT'],
  [242, 'IPOIB'],
  [243, 'MPEG_2_TS'],
  [247, 'INFINIBAND'],
  [248, 'SCTP'],
  [249, 'USBPCAP'],
  [251, 'BLUETOOTH_LE_LL'],
  [253, 'NETLINK'],
  [254, 'BLUETOOTH_LINUX_MONITOR'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR'],
  [258, 'PKTAP'],
  [266, 'USB_DARWIN'],
  [271, 'VSOCK'],
  [272, 'NORDIC_BLE'],
  [274, 'ETHERNET_MPACKET'],
  [276, 'LINUX_SLL2'],
  [279, 'EBHSCR'],
  [281, 'DSA_TAG_BRCM'],
  [282, 'DSA_TAG_BRCM_PREPEND'],
  [283, 'IEEE802_15_4_TAP'],
  [284, 'DSA_TAG_DSA'],
  [285, 'DSA_TAG_EDSA'],
  [290, 'ETW'],
]);

/** The registry name of a LINKTYPE number, or `LINKTYPE_<n>` for one this table does not know. */
export function linkTypeName(linkType: number): string {
  return LINK_TYPE_NAMES.get(linkType) ?? `LINKTYPE_${linkType}`;
}

/** Common LINKTYPE values, for readers of this code and for tests. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** 12 and 14 mean raw IP on some platforms (OpenBSD's and others' DLT values). */
export const LINKTYPE_RAW_12 = 12;
export const LINKTYPE_RAW_14 = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_PPP_WITH_DIR = 204;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
