/**
 * When the ICE agent embeds DTLS in its checks (SPED, src/ice/sped.ts), as the descriptions say
 * (draft-hancke-webrtc-sped, "SDP Offer/Answer Procedures"): our offers name the ICE option `sped`
 * and libwebrtc's `goog-sped-v1`; an answer names those the offer did; the agent embeds once both
 * did. Between the offer and the answer an offerer answers embedded DTLS in kind, and a ClientHello
 * that came that way starts its DTLS server before the answer arrives (PeerStack).
 */
import type { SpedMode } from '../ice/sped.js';

/** The draft's option, and libwebrtc's name for the same wire format (its WebRTC-IceHandshakeDtls trial). */
const SPED_ICE_OPTIONS: readonly string[] = ['sped', 'goog-sped-v1'];

const named = (options: readonly string[] | undefined): boolean => options?.some((o) => SPED_ICE_OPTIONS.includes(o)) ?? false;

export class SpedNegotiation {
  constructor(readonly enabled: boolean) {}

  /** The ice-options of our offer or answer. */
  iceOptions(type: 'offer' | 'answer', remoteOptions: readonly string[] | undefined): string[] {
    if (!this.enabled) return ['trickle'];
    if (type === 'offer') return ['trickle'].concat(SPED_ICE_OPTIONS);
    return ['trickle'].concat(SPED_ICE_OPTIONS.filter((o) => remoteOptions?.includes(o)));
  }

  /** The agent's mode once we made an offer (before the answer). */
  get offerMode(): SpedMode {
    return this.enabled ? 'offered' : 'off';
  }

  /** The agent's mode once the peer's description is known. */
  modeFor(remoteOptions: readonly string[]): SpedMode {
    return this.enabled && named(remoteOptions) ? 'on' : 'off';
  }
}

/** A DTLS record carrying a ClientHello (content type 22, handshake type 1; RFC 6347 §4.1, §4.2.2). */
export function isClientHello(d: Uint8Array): boolean {
  return d.length > 25 && d[0] === 22 && d[13] === 1;
}
