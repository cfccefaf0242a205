/**
 * A relaying TURN server model for the simulator (RFC 8656 server side, the rules our client and
 * ICE depend on): several clients, one allocation per 5-tuple with its own relayed port on the same
 * host, long-term auth (401 with REALM/NONCE, 438 when the nonce is stale or `staleEvery` forces it),
 * allocation / permission / channel lifetimes that EXPIRE in virtual time, Send and Data indications,
 * ChannelData both ways, and permission checks on what peers send to a relayed address.
 * Attach it to a public host with no `ports` filter: it owns port 3478 and the relayed ports.
 */
import { classifyPacket } from '../../../src/core/demux.js';
import { Queue } from '../../../src/core/event-queue.js';
import { SeededRng } from '../../../src/core/rng.js';
import type { Addr, Datagram, Millis, SansIo } from '../../../src/core/types.js';
import { addrKey } from '../../../src/core/types.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { attr } from '../../../src/stun/attributes.js';
import { StunMethod } from '../../../src/stun/constants.js';
import { errorResponse, getAttr, newTransactionId, stunIndication, successResponse } from '../../../src/stun/helpers.js';
import { longTermKey, verifyIntegrity } from '../../../src/stun/integrity.js';
import { decodeStun, encodeStun, type StunMessage } from '../../../src/stun/message.js';
import { decodeChannelData, encodeChannelData } from '../../../src/turn/channel-data.js';

const METHOD_NAMES = new Map<number, string>(Object.entries(StunMethod).map(([k, v]) => [v, k]));

interface Allocation {
  readonly client: Addr;
  readonly relayed: Addr;
  expires: Millis;
  readonly permissions: Map<string, Millis>;
  readonly channels: Map<number, { peer: Addr; expires: Millis }>;
}

export class TurnRelayServer implements SansIo<never> {
  readonly realm = 'sim.test';
  /** Requests seen, e.g. `Allocate+auth`, `CreatePermission+auth`, and error codes sent. */
  readonly log: string[] = [];
  /** Answer every Nth authenticated request with 438 (a nonce that went stale). 0 = never. */
  staleEvery = 0;
  relayedPackets = 0;
  private authCount = 0;
  private nonce = 'n-1';
  private nextPort = 49152;
  private readonly byClient = new Map<string, Allocation>();
  private readonly byRelayed = new Map<string, Allocation>();
  private readonly out = new Queue<Datagram>();
  private readonly rng = new SeededRng(5);
  private readonly key: Uint8Array;

  constructor(
    readonly address: string,
    readonly username: string,
    password: string,
    readonly port = 3478,
  ) {
    this.key = longTermKey(username, this.realm, password, nodeCrypto);
  }

  get allocations(): number {
    return this.byClient.size;
  }

  handleDatagram(now: Millis, dg: Datagram): void {
    if (dg.to.port !== this.port) return this.fromPeer(now, dg);
    const a = this.byClient.get(addrKey(dg.from));
    if (classifyPacket(dg.data[0] ?? 0) === 'turn-channel') return this.channelData(now, a, dg.data);
    let m: StunMessage;
    try {
      m = decodeStun(dg.data);
    } catch {
      return;
    }
    if (m.cls === 'indication') return this.sendIndication(now, a, m);
    if (m.cls !== 'request') return;
    const signed = getAttr(m, 'username') !== undefined;
    this.log.push(`${METHOD_NAMES.get(m.method) ?? m.method}${signed ? '+auth' : ''}`);
    const challenge = this.authenticate(m, dg.data);
    if (challenge) return this.reply(dg, challenge, false);
    this.reply(dg, this.answer(now, dg.from, m), true);
  }

  handleTimeout(): void {}
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): undefined {
    return undefined;
  }
  pollTimeout(): undefined {
    return undefined;
  }

  private reply(dg: Datagram, m: StunMessage, signed: boolean): void {
    if (m.cls === 'error') this.log.push(`error ${getAttr(m, 'errorCode')?.code ?? '?'}`);
    this.out.push({ from: dg.to, to: dg.from, data: encodeStun(m, signed ? { integrityKey: this.key, fingerprint: true } : { fingerprint: true }, nodeCrypto) });
  }

  private authenticate(m: StunMessage, raw: Uint8Array): StunMessage | undefined {
    const challenge = [attr('realm', this.realm), attr('nonce', this.nonce)];
    if (getAttr(m, 'username') !== this.username || !verifyIntegrity(raw, this.key, nodeCrypto)) return errorResponse(m, 401, undefined, challenge);
    this.authCount++;
    if (getAttr(m, 'nonce') !== this.nonce || (this.staleEvery > 0 && this.authCount % this.staleEvery === 0)) {
      this.nonce = `n-${Number(this.nonce.slice(2)) + 1}`;
      return errorResponse(m, 438, undefined, [attr('realm', this.realm), attr('nonce', this.nonce)]);
    }
    return undefined;
  }

  private live(now: Millis, a: Allocation | undefined): a is Allocation {
    if (a && a.expires <= now) {
      this.byClient.delete(addrKey(a.client));
      this.byRelayed.delete(addrKey(a.relayed));
      return false;
    }
    return a !== undefined;
  }

  private answer(now: Millis, client: Addr, m: StunMessage): StunMessage {
    const a = this.byClient.get(addrKey(client));
    const granted = Math.min(getAttr(m, 'lifetime') ?? 600, 3600);
    if (m.method === StunMethod.Allocate) {
      if (this.live(now, a)) return errorResponse(m, 437);
      const relayed = { address: this.address, port: this.nextPort++ };
      const alloc: Allocation = { client, relayed, expires: now + granted * 1000, permissions: new Map(), channels: new Map() };
      this.byClient.set(addrKey(client), alloc);
      this.byRelayed.set(addrKey(relayed), alloc);
      return successResponse(m, [attr('xorRelayedAddress', relayed), attr('xorMappedAddress', client), attr('lifetime', granted)]);
    }
    if (!this.live(now, a)) return errorResponse(m, 437);
    const peer = getAttr(m, 'xorPeerAddress');
    switch (m.method) {
      case StunMethod.Refresh:
        a.expires = now + granted * 1000;
        if (granted === 0) this.live(now, a);
        return successResponse(m, [attr('lifetime', granted)]);
      case StunMethod.CreatePermission:
        if (!peer) return errorResponse(m, 400);
        a.permissions.set(peer.address, now + 300_000);
        return successResponse(m);
      case StunMethod.ChannelBind: {
        const n = getAttr(m, 'channelNumber');
        if (!peer || n === undefined) return errorResponse(m, 400);
        a.channels.set(n, { peer, expires: now + 600_000 });
        a.permissions.set(peer.address, now + 300_000);
        return successResponse(m);
      }
      default:
        return errorResponse(m, 400);
    }
  }

  private permitted(now: Millis, a: Allocation, peer: Addr): boolean {
    return (a.permissions.get(peer.address) ?? 0) > now;
  }

  private sendIndication(now: Millis, a: Allocation | undefined, m: StunMessage): void {
    const peer = getAttr(m, 'xorPeerAddress');
    const data = getAttr(m, 'data');
    if (m.method !== StunMethod.Send || !peer || !data || !this.live(now, a) || !this.permitted(now, a, peer)) return;
    this.relayedPackets++;
    this.out.push({ from: a.relayed, to: peer, data });
  }

  private channelData(now: Millis, a: Allocation | undefined, bytes: Uint8Array): void {
    if (!this.live(now, a)) return;
    let cd;
    try {
      cd = decodeChannelData(bytes);
    } catch {
      return;
    }
    const ch = a.channels.get(cd.channel);
    if (!ch || ch.expires <= now || !this.permitted(now, a, ch.peer)) return;
    this.relayedPackets++;
    this.out.push({ from: a.relayed, to: ch.peer, data: cd.data });
  }

  /** A peer sent to a relayed address: relayed to the client if a permission allows it (RFC 8656 §10.3). */
  private fromPeer(now: Millis, dg: Datagram): void {
    const a = this.byRelayed.get(addrKey(dg.to));
    if (!this.live(now, a) || !this.permitted(now, a, dg.from)) return;
    this.relayedPackets++;
    const from = { address: this.address, port: this.port };
    for (const [n, ch] of a.channels) {
      if (addrKey(ch.peer) === addrKey(dg.from) && ch.expires > now) return void this.out.push({ from, to: a.client, data: encodeChannelData(n, dg.data) });
    }
    const ind = stunIndication(StunMethod.Data, newTransactionId(this.rng), [attr('xorPeerAddress', dg.from), attr('data', dg.data)]);
    this.out.push({ from, to: a.client, data: encodeStun(ind) });
  }
}
