// rtcpeer at the packet size browsers use: the same adapter (./rtcpeer.mjs) with SCTP packets kept at
// 1200 bytes (packetization-layer PMTU discovery off), as towards a browser or over a path that was
// not probed. The `rtcpeer` stack row is the default, where two rtcpeer peers on loopback may
// negotiate larger packets (RFC 8899). Each peer process loads one adapter, so this configures the
// shared module before it makes its binding.
import * as base from './rtcpeer.mjs';

export const name = 'rtcpeer-1200';

export async function load() {
  base.configure({ sctp: { mtu: 1200, plpmtud: false } });
  const r = await base.load();
  return r.version ? { version: `${r.version} (SCTP packets of 1200 bytes, PLPMTUD off)` } : r;
}

export const createPeer = base.createPeer;
export const useSharedSocket = base.useSharedSocket;
