/**
 * Multicast DNS for ICE `.local` host candidates (protocol.md §4.7; RFC 6762; draft-ietf-mmusic-mdns-ice-candidates).
 *
 * Sans-IO pieces; the multicast sockets live in src/io/mdns.ts (`MdnsSocket`, `NodeMdns`).
 * ```ts
 * const r = new MdnsResolver({ timeoutMs: 3000 });
 * r.resolve(now, '1f2e3d4c-....local');      // queues an A+AAAA query
 * // shell: send every r.pollTransmit() to 224.0.0.251:5353 and [ff02::fb]:5353,
 * //        r.handleMessage(now, payload) for every received payload, r.handleTimeout(now) at r.pollTimeout()
 * // events: {type:'resolved', name, addresses} | {type:'unresolved', name}
 * const pub = new MdnsResponder(rng);        // optional publishing (off by default)
 * const name = pub.publish('198.19.100.5');    // '<uuid>.local' to put in our candidate
 * const reply = pub.handleMessage(query);     // payload to multicast, or undefined
 * ```
 * Codec: `decodeDns` (throws ParseError only), `encodeQuery`, `encodeResponse`.
 */
export { decodeDns, encodeQuery, encodeResponse, RR_A, RR_AAAA, RR_ANY, CLASS_IN } from './message.js';
export type { DnsMessage, DnsQuestion, DnsRecord } from './message.js';
export { MdnsResolver, isMdnsName } from './resolver.js';
export type { MdnsEvent, MdnsResolverOptions, MdnsStats } from './resolver.js';
export { MdnsResponder, randomMdnsName } from './responder.js';
