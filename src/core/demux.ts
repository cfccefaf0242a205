/**
 * RFC 7983 §7 first-byte demultiplexing of datagrams sharing one UDP socket:
 *
 *   0..3     STUN                      20..63   DTLS
 *   64..79   TURN ChannelData          128..191 RTP/RTCP
 *   anything else (incl. 16..19 ZRTP)  unknown: drop
 */
export type PacketKind = 'stun' | 'dtls' | 'turn-channel' | 'rtp' | 'unknown';

/** Classifies a datagram by its first byte (RFC 7983 §7). */
export function classifyPacket(firstByte: number): PacketKind {
  if (firstByte >= 0 && firstByte <= 3) return 'stun';
  if (firstByte >= 20 && firstByte <= 63) return 'dtls';
  if (firstByte >= 64 && firstByte <= 79) return 'turn-channel';
  if (firstByte >= 128 && firstByte <= 191) return 'rtp';
  return 'unknown';
}
