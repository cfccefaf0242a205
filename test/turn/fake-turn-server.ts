/**
 * A small TURN server model (RFC 8656 server rules that the client depends on) for virtual-time
 * tests: long-term auth with 401/438, allocation/permission/channel lifetimes that EXPIRE, Send and
 * Data indications, ChannelData. Not a relay: "peers" are the test, through deliver() and fromPeer().
 */
import { classifyPacket } from '../../src/core/demux.js';
import { utf8 } from '../../src/core/bytes/hex.js';
import type { Addr, Datagram, Millis } from '../../src/core/types.js';
import { addrKey } from '../../src/core/types.js';
import { nodeCrypto } from '../../src/io/node-crypto.js';
import { attr, type StunAttribute } from '../../src/stun/attributes.js';
import { StunMethod } from '../../src/stun/constants.js';
import { errorResponse, getAttr, newTransactionId, stunIndication, successResponse } from '../../src/stun/helpers.js';
import { longTermKey, verifyIntegrity } from '../../src/stun/integrity.js';
import { decodeStun, encodeStun, type StunMessage } from '../../src/stun/message.js';
import { SeededRng } from '../../src/core/rng.js';
import { decodeChannelData, encodeChannelData } from '../../src/turn/channel-data.js';

export class FakeTurnServer {
  readonly realm = 'example.org';
  nonce = 'nonce-1';
  /** Set to answer the next authenticated request with 438 and a fresh nonce. */
  staleNext = false;
  /** Error code to answer Allocate with (after auth), e.g. 486. */
  allocateError: number | undefined;
  allocationExpires: Millis | undefined;
  readonly permissions = new Map<string, Millis>();
  readonly channels = new Map<number, { peer: Addr; expires: Millis }>();
  /** What reached "peers" through the relay. */
  readonly delivered: Array<{ peer: Addr; data: string; via: 'send' | 'channel' }> = [];
  readonly requests: string[] = [];
  private client: Addr | undefined;
  private readonly rng = new SeededRng(99);
  private readonly key: Uint8Array;

  constructor(
    readonly address: Addr,
    readonly relayed: Addr,
    readonly username: string,
    password: string,
    private readonly pad = false,
  ) {
    this.key = longTermKey(username, this.realm, password, nodeCrypto);
  }

  /** Handles one datagram from the client; returns the replies. */
  handle(now: Millis, dg: Datagram): Datagram[] {
    this.client = dg.from;
    const reply = (m: StunMessage, signed = true): Datagram[] => [
      { from: this.address, to: dg.from, data: encodeStun(m, signed ? { integrityKey: this.key, fingerprint: true } : { fingerprint: true }, nodeCrypto) },
    ];
    if (classifyPacket(dg.data[0] as number) === 'turn-channel') {
      const cd = decodeChannelData(dg.data);
      const ch = this.channels.get(cd.channel);
      if (ch && ch.expires > now && this.allocated(now)) this.delivered.push({ peer: ch.peer, data: new TextDecoder().decode(cd.data), via: 'channel' });
      return [];
    }
    const m = decodeStun(dg.data);
    if (m.cls === 'indication') {
      const peer = getAttr(m, 'xorPeerAddress') as Addr;
      const exp = this.permissions.get(peer.address);
      if (exp !== undefined && exp > now && this.allocated(now)) this.delivered.push({ peer, data: new TextDecoder().decode(getAttr(m, 'data')), via: 'send' });
      return [];
    }
    this.requests.push(`${m.method}${getAttr(m, 'username') ? '+auth' : ''}`);
    const auth = this.authenticate(m, dg.data);
    if (auth) return reply(auth, false);
    return reply(this.answer(now, m));
  }

  private authenticate(m: StunMessage, raw: Uint8Array): StunMessage | undefined {
    const challenge = [attr('realm', this.realm), attr('nonce', this.nonce)];
    if (getAttr(m, 'username') === undefined) return errorResponse(m, 401, undefined, challenge);
    if (getAttr(m, 'username') !== this.username || !verifyIntegrity(raw, this.key, nodeCrypto)) return errorResponse(m, 401, undefined, challenge);
    if (this.staleNext || getAttr(m, 'nonce') !== this.nonce) {
      this.staleNext = false;
      this.nonce = `nonce-${Number(this.nonce.slice(6)) + 1}`;
      return errorResponse(m, 438, undefined, [attr('realm', this.realm), attr('nonce', this.nonce)]);
    }
    return undefined;
  }

  private allocated(now: Millis): boolean {
    return this.allocationExpires !== undefined && this.allocationExpires > now;
  }

  private answer(now: Millis, m: StunMessage): StunMessage {
    const lifetime = getAttr(m, 'lifetime');
    switch (m.method) {
      case StunMethod.Allocate: {
        if (this.allocateError) return errorResponse(m, this.allocateError);
        if (this.allocated(now)) return errorResponse(m, 437);
        const granted = Math.min(lifetime ?? 600, 3600);
        this.allocationExpires = now + granted * 1000;
        return successResponse(m, [attr('xorRelayedAddress', this.relayed), attr('xorMappedAddress', this.client as Addr), attr('lifetime', granted)]);
      }
      case StunMethod.Refresh: {
        if (!this.allocated(now)) return errorResponse(m, 437);
        const granted = Math.min(lifetime ?? 600, 3600);
        this.allocationExpires = granted === 0 ? undefined : now + granted * 1000;
        return successResponse(m, [attr('lifetime', granted)]);
      }
      case StunMethod.CreatePermission:
        if (!this.allocated(now)) return errorResponse(m, 437);
        this.permissions.set((getAttr(m, 'xorPeerAddress') as Addr).address, now + 300_000);
        return successResponse(m);
      case StunMethod.ChannelBind: {
        if (!this.allocated(now)) return errorResponse(m, 437);
        const peer = getAttr(m, 'xorPeerAddress') as Addr;
        const n = getAttr(m, 'channelNumber') as number;
        const taken = this.channels.get(n);
        if (taken && addrKey(taken.peer) !== addrKey(peer)) return errorResponse(m, 400);
        this.channels.set(n, { peer, expires: now + 600_000 });
        this.permissions.set(peer.address, now + 300_000);
        return successResponse(m);
      }
      default:
        return errorResponse(m, 400);
    }
  }

  /** Data from `peer` to the client: ChannelData when a channel is bound, else a Data indication. */
  fromPeer(now: Millis, peer: Addr, text: string): Datagram[] {
    const perm = this.permissions.get(peer.address);
    if (!this.client || perm === undefined || perm <= now) return [];
    const data = utf8(text);
    for (const [n, ch] of this.channels) {
      if (addrKey(ch.peer) === addrKey(peer) && ch.expires > now) return [{ from: this.address, to: this.client, data: encodeChannelData(n, data, this.pad) }];
    }
    const attrs: StunAttribute[] = [attr('xorPeerAddress', peer), attr('data', data)];
    return [{ from: this.address, to: this.client, data: encodeStun(stunIndication(StunMethod.Data, newTransactionId(this.rng), attrs)) }];
  }
}
