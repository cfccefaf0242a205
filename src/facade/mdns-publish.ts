/**
 * Optional mDNS obfuscation of our own candidates, as browsers do by default
 * (draft-ietf-mmusic-mdns-ice-candidates §3.1; `nodeBinding({ mdnsPublish: true })`, off by default:
 * protocol.md §4.7 recommends real addresses). Host candidates leave with a `<uuid>.local` name
 * instead of the address, and server-reflexive/relayed ones with `raddr 0.0.0.0 rport 0` so the
 * related address does not give the host address away. The name is answered by the shell's mDNS
 * responder (src/io/mdns.ts). Only the signalled text changes: checks still run from the real sockets.
 */
import type { Millis } from '../core/types.js';
import { formatCandidate, tryParseCandidate } from '../ice/candidate-grammar.js';
import type { IcePort, IcePortEvent } from '../stack/ports.js';

/** Gives out the mDNS name published for a host address, or undefined (then the address is kept). */
export type PublishName = (address: string) => string | undefined;

/** The candidate line as signalled with mDNS obfuscation (unparseable lines are returned as given). */
export function obfuscateCandidate(line: string, publish: PublishName): string {
  const c = tryParseCandidate(line);
  if (!c) return line;
  if (c.type === 'host') {
    const name = publish(c.address);
    return name ? formatCandidate({ ...c, address: name }) : line;
  }
  if (c.relatedAddress === undefined) return line;
  return formatCandidate({ ...c, relatedAddress: c.relatedAddress.includes(':') ? '::' : '0.0.0.0', relatedPort: 0 });
}

/** The same ICE port, with its trickled candidates obfuscated. */
export function publishCandidatesOverMdns(port: IcePort, publish: PublishName): IcePort {
  const pollEvent = (): IcePortEvent | undefined => {
    const ev = port.pollEvent();
    return ev?.type === 'candidate' ? { type: 'candidate', candidate: obfuscateCandidate(ev.candidate, publish) } : ev;
  };
  return {
    get localUfrag() {
      return port.localUfrag;
    },
    get localPwd() {
      return port.localPwd;
    },
    pollEvent,
    handleDatagram: (now, dg) => port.handleDatagram(now, dg),
    handleTimeout: (now: Millis) => port.handleTimeout(now),
    pollTransmit: () => port.pollTransmit(),
    pollTimeout: () => port.pollTimeout(),
    addLocalAddress: (now, addr) => port.addLocalAddress(now, addr),
    gather: (now) => port.gather(now),
    setRemoteCredentials: (now, ufrag, pwd) => port.setRemoteCredentials(now, ufrag, pwd),
    addRemoteCandidate: (now, candidate) => port.addRemoteCandidate(now, candidate),
    endOfRemoteCandidates: (now) => port.endOfRemoteCandidates(now),
    peerKeepsEarlyData: () => port.peerKeepsEarlyData(),
    setDtlsInStun: (mode) => port.setDtlsInStun(mode),
    restart: (now) => port.restart(now),
    send: (now, data) => port.send(now, data),
    discardUnsent: (obsolete) => port.discardUnsent(obsolete),
    close: (now) => port.close(now),
  };
}
