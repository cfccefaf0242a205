/**
 * The TURN client side of one allocation (RFC 8656), sans-IO: Allocate with the long-term credential
 * dance (401 -> REALM/NONCE -> retry, 438 Stale Nonce -> new nonce, RFC 8489 §9.2), Refresh before
 * the lifetime ends and Refresh LIFETIME=0 on close (§7), CreatePermission per peer IP refreshed
 * before 300 s (§9), ChannelBind refreshed before 600 s (§12), Send/Data indications (§11) and
 * ChannelData (§12.4). Datagrams from any address but the server's are dropped and counted.
 */
import { Deadlines, minDeadline } from '../core/deadlines.js';
import { classifyPacket } from '../core/demux.js';
import { InternalError, isParseError } from '../core/errors.js';
import { Queue } from '../core/event-queue.js';
import { addrKey, sameAddr, type Addr, type Datagram, type Millis, type SansIo } from '../core/types.js';
import { attr, type StunAttribute } from '../stun/attributes.js';
import { StunMethod } from '../stun/constants.js';
import { getAttr } from '../stun/helpers.js';
import { verifyIntegrity } from '../stun/integrity.js';
import { decodeStun, type StunMessage } from '../stun/message.js';
import { ClientTransactions } from '../stun/transaction.js';
import { decodeChannelData, encodeChannelData, MAX_CHANNEL, MIN_CHANNEL } from './channel-data.js';
import { TurnCredentials } from './credentials.js';
import { resolveTurnClientOptions, TURN_TRANSITIONS, type ResolvedTurnClientOptions, type TurnClientOptions, type TurnEvent, type TurnState, type TurnStats } from './options.js';
import { TurnRequests, type TurnRequest } from './requests.js';

type Timer = 'refresh' | `perm ${string}` | `chan ${string}`;

interface Channel {
  readonly number: number;
  readonly peer: Addr;
  bound: boolean;
}

export class TurnClient implements SansIo<TurnEvent> {
  readonly options: ResolvedTurnClientOptions;
  readonly stats: TurnStats = { malformed: 0, notFromServer: 0, badIntegrity: 0, stray: 0, unknownChannel: 0 };
  private current: TurnState = 'idle';
  private relayedAddr: Addr | undefined;
  private readonly events = new Queue<TurnEvent>();
  private readonly out = new Queue<Datagram>();
  private readonly timers = new Deadlines<Timer>();
  private readonly txs = new ClientTransactions<TurnRequest>();
  private readonly creds: TurnCredentials;
  private readonly requests: TurnRequests;
  /** Peer IP -> installed (a CreatePermission succeeded at least once). */
  private readonly permissions = new Map<string, boolean>();
  private readonly channelsByPeer = new Map<string, Channel>();
  private readonly channelsByNumber = new Map<number, Channel>();

  constructor(options: TurnClientOptions) {
    this.options = resolveTurnClientOptions(options);
    this.creds = new TurnCredentials(this.options);
    this.requests = new TurnRequests(this.options, this.creds, this.txs, (bytes) => this.transmit(bytes));
  }

  get state(): TurnState {
    return this.current;
  }

  /** The relayed address once allocated. */
  get relayed(): Addr | undefined {
    return this.relayedAddr;
  }

  /** Sends the first Allocate (unauthenticated; the server's 401 supplies REALM and NONCE). */
  allocate(now: Millis): void {
    if (this.current !== 'idle') return;
    this.transition('allocating');
    const attrs: StunAttribute[] = [attr('requestedTransport', 17), attr('lifetime', this.options.lifetime)];
    if (this.options.family) attrs.push(attr('requestedAddressFamily', this.options.family));
    this.requests.send(now, { kind: 'allocate', method: StunMethod.Allocate, attrs, stale: 0 });
  }

  /** Asks for (and then keeps refreshing) a permission for `peer`'s IP. False when closed or full. */
  createPermission(now: Millis, peer: Addr): boolean {
    if (!this.isLive() || (!this.permissions.has(peer.address) && this.permissions.size >= this.options.maxPermissions)) return false;
    if (this.permissions.has(peer.address)) return true;
    this.permissions.set(peer.address, false);
    if (this.current === 'allocated') this.sendPermission(now, peer.address);
    return true;
  }

  /** Binds (and keeps refreshing) a channel to `peer`; returns its number, or undefined when closed or full. */
  bindChannel(now: Millis, peer: Addr): number | undefined {
    const existing = this.channelsByPeer.get(addrKey(peer));
    if (existing) return existing.number;
    if (!this.isLive() || this.channelsByPeer.size >= Math.min(this.options.maxChannels, MAX_CHANNEL - MIN_CHANNEL + 1)) return undefined;
    const ch: Channel = { number: MIN_CHANNEL + this.channelsByPeer.size, peer, bound: false };
    this.channelsByPeer.set(addrKey(peer), ch);
    this.channelsByNumber.set(ch.number, ch);
    if (this.current === 'allocated') this.sendChannelBind(now, ch);
    return ch.number;
  }

  /**
   * Relays `data` to `peer`: ChannelData on a bound channel, else a Send indication (a permission is
   * requested if missing; until the server has it, data is dropped there, like UDP loss).
   */
  send(now: Millis, peer: Addr, data: Uint8Array): boolean {
    if (this.current !== 'allocated') return false;
    const ch = this.channelsByPeer.get(addrKey(peer));
    if (ch?.bound) {
      this.transmit(encodeChannelData(ch.number, data, this.options.transport !== 'udp'));
      return true;
    }
    if (!this.createPermission(now, peer)) return false;
    this.requests.indication([attr('xorPeerAddress', peer), attr('data', data)]);
    return true;
  }

  /** Deallocates (Refresh LIFETIME=0, RFC 8656 §7) and closes once the server answers or times out. */
  close(now: Millis): void {
    const was = this.current;
    if (was === 'closed' || was === 'closing') return;
    this.timers.clear();
    this.txs.clear();
    if (was !== 'allocated') return this.transition('closed');
    this.transition('closing');
    this.requests.send(now, { kind: 'refresh', method: StunMethod.Refresh, attrs: [attr('lifetime', 0)], stale: 0 });
  }

  handleDatagram(now: Millis, dg: Datagram): void {
    if (!sameAddr(dg.from, this.options.server) || this.current === 'closed') {
      this.stats.notFromServer++;
      return;
    }
    const kind = classifyPacket(dg.data[0] ?? 0xff);
    if (kind === 'turn-channel') return this.onChannelData(dg.data);
    if (kind !== 'stun') return void this.stats.malformed++;
    let msg: StunMessage;
    try {
      msg = decodeStun(dg.data);
    } catch (e: unknown) {
      if (!isParseError(e)) throw e;
      this.stats.malformed++;
      return;
    }
    if (msg.cls === 'indication') return this.onIndication(msg);
    if (msg.cls === 'request') return void this.stats.stray++;
    this.onResponse(now, msg, dg.data);
  }

  handleTimeout(now: Millis): void {
    for (const key of this.timers.takeDue(now)) this.onTimer(now, key);
    const { retransmit, timedOut } = this.txs.handleTimeout(now);
    for (const r of retransmit) this.transmit(r.bytes);
    for (const req of timedOut) this.onFailure(now, req, undefined, 'no response from the TURN server');
  }

  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }

  pollEvent(): TurnEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    return minDeadline(this.timers.earliest(), this.txs.pollTimeout());
  }

  private isLive(): boolean {
    return this.current === 'idle' || this.current === 'allocating' || this.current === 'allocated';
  }

  private transition(to: TurnState): void {
    if (!TURN_TRANSITIONS[this.current].includes(to)) throw new InternalError('turn.transition', `bad transition ${this.current} -> ${to}`);
    this.current = to;
    this.events.push({ type: 'state', state: to });
  }

  private transmit(data: Uint8Array): void {
    this.out.push({ from: this.options.local, to: this.options.server, data });
  }

  private onChannelData(buf: Uint8Array): void {
    let ch;
    try {
      ch = decodeChannelData(buf);
    } catch (e: unknown) {
      if (!isParseError(e)) throw e;
      this.stats.malformed++;
      return;
    }
    const c = this.channelsByNumber.get(ch.channel);
    if (!c?.bound) return void this.stats.unknownChannel++;
    this.events.push({ type: 'data', peer: c.peer, data: ch.data.slice() });
  }

  /** Data indication (RFC 8656 §11.4): XOR-PEER-ADDRESS + DATA, unauthenticated. */
  private onIndication(msg: StunMessage): void {
    const peer = getAttr(msg, 'xorPeerAddress');
    const data = getAttr(msg, 'data');
    if (msg.method !== StunMethod.Data || !peer || !data) return void this.stats.stray++;
    this.events.push({ type: 'data', peer, data: data.slice() });
  }

  private onResponse(now: Millis, msg: StunMessage, raw: Uint8Array): void {
    if (!this.txs.has(msg.transactionId)) return void this.stats.stray++;
    // RFC 8489 §9.2.5: a success response to an authenticated request must carry a valid MESSAGE-INTEGRITY.
    const key = this.creds.key;
    if (msg.cls === 'success' && key && !verifyIntegrity(raw, key, this.options.crypto)) return void this.stats.badIntegrity++;
    const req = this.txs.take(msg.transactionId) as TurnRequest;
    if (msg.cls === 'success') return this.onSuccess(now, req, msg);
    const err = getAttr(msg, 'errorCode') ?? { code: 400, reason: 'error response without ERROR-CODE' };
    if (this.requests.retryAfterError(now, req, err.code, msg)) return;
    this.onFailure(now, req, err.code, err.reason);
  }

  private onSuccess(now: Millis, req: TurnRequest, msg: StunMessage): void {
    switch (req.kind) {
      case 'allocate':
        return this.onAllocated(now, msg);
      case 'refresh':
        if (this.current === 'closing') return this.transition('closed');
        return this.armRefresh(now, getAttr(msg, 'lifetime') ?? this.options.lifetime);
      case 'permission':
        return this.onPermissionOk(now, req.peerIp as string);
      case 'channel':
        return this.onChannelOk(now, req.peer as Addr);
    }
  }

  private onAllocated(now: Millis, msg: StunMessage): void {
    const relayed = getAttr(msg, 'xorRelayedAddress');
    if (!relayed) return this.fail(undefined, 'Allocate success without XOR-RELAYED-ADDRESS');
    const lifetimeS = getAttr(msg, 'lifetime') ?? this.options.lifetime;
    this.relayedAddr = relayed;
    this.transition('allocated');
    this.events.push({ type: 'allocated', relayed, mapped: getAttr(msg, 'xorMappedAddress'), lifetimeS });
    this.armRefresh(now, lifetimeS);
    for (const ip of this.permissions.keys()) this.sendPermission(now, ip);
    for (const ch of this.channelsByPeer.values()) this.sendChannelBind(now, ch);
  }

  private onPermissionOk(now: Millis, ip: string): void {
    if (!this.permissions.has(ip)) return;
    if (this.permissions.get(ip) === false) this.events.push({ type: 'permission', peerIp: ip, ok: true });
    this.permissions.set(ip, true);
    this.timers.arm(`perm ${ip}`, now + this.options.permissionRefreshMs);
  }

  private onChannelOk(now: Millis, peer: Addr): void {
    const ch = this.channelsByPeer.get(addrKey(peer));
    if (!ch) return;
    if (!ch.bound) this.events.push({ type: 'channel', peer, channel: ch.number, ok: true });
    ch.bound = true;
    this.timers.arm(`chan ${addrKey(peer)}`, now + this.options.channelRefreshMs);
  }

  private onFailure(_now: Millis, req: TurnRequest, code: number | undefined, reason: string): void {
    this.options.logger.log('warn', 'TURN request failed', { layer: 'turn', server: addrKey(this.options.server), request: req.kind, code, reason });
    if (req.kind === 'allocate' || (req.kind === 'refresh' && this.current === 'allocated')) return this.fail(code, reason);
    if (req.kind === 'refresh') return this.transition('closed');
    if (req.kind === 'permission' && req.peerIp !== undefined && this.permissions.delete(req.peerIp)) {
      this.timers.disarm(`perm ${req.peerIp}`);
      this.events.push({ type: 'permission', peerIp: req.peerIp, ok: false });
    }
    if (req.kind === 'channel' && req.peer) this.dropChannel(req.peer);
  }

  private dropChannel(peer: Addr): void {
    const ch = this.channelsByPeer.get(addrKey(peer));
    if (!ch) return;
    // The number stays reserved: RFC 8656 §12 forbids rebinding it to another peer for 10 minutes.
    ch.bound = false;
    this.timers.disarm(`chan ${addrKey(peer)}`);
    this.events.push({ type: 'channel', peer, channel: ch.number, ok: false });
  }

  private fail(code: number | undefined, reason: string): void {
    this.timers.clear();
    this.txs.clear();
    this.transition('failed');
    this.events.push({ type: 'failed', code, reason });
  }

  private armRefresh(now: Millis, lifetimeS: number): void {
    const margin = Math.min(this.options.refreshMarginS, lifetimeS / 2);
    this.timers.arm('refresh', now + (lifetimeS - margin) * 1000);
  }

  private onTimer(now: Millis, key: Timer): void {
    if (key === 'refresh') {
      this.requests.send(now, { kind: 'refresh', method: StunMethod.Refresh, attrs: [attr('lifetime', this.options.lifetime)], stale: 0 });
    } else if (key.startsWith('perm ')) {
      this.sendPermission(now, key.slice(5));
    } else {
      const ch = [...this.channelsByPeer.values()].find((c) => `chan ${addrKey(c.peer)}` === key);
      if (ch) this.sendChannelBind(now, ch);
    }
  }

  private sendPermission(now: Millis, ip: string): void {
    const attrs = [attr('xorPeerAddress', { address: ip, port: 0 })];
    this.requests.send(now, { kind: 'permission', method: StunMethod.CreatePermission, attrs, stale: 0, peerIp: ip });
  }

  private sendChannelBind(now: Millis, ch: Channel): void {
    const attrs = [attr('channelNumber', ch.number), attr('xorPeerAddress', ch.peer)];
    this.requests.send(now, { kind: 'channel', method: StunMethod.ChannelBind, attrs, stale: 0, peer: ch.peer });
  }
}
