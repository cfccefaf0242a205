import { Deadlines } from '../core/deadlines.js';
import { Queue } from '../core/event-queue.js';
import type { Rng } from '../core/rng.js';
import type { Millis } from '../core/types.js';
import { Lobby } from './lobby.js';
import {
  CLOSE_PROTOCOL_ERROR, CLOSE_SEAL_COMPLETE, CloseReason, MessageType as M, formatMessage, parseClientMessage,
  type SignalMessage,
} from './protocol.js';

/**
 * The signaling server as a sans-IO core: connections are numbers chosen by the shell, input is
 * connect / message / disconnect / timeout with `now`, output is actions (send, close, ping) and the
 * next deadline. Semantics follow godot-demo-projects server_node/server.js, with the GDScript
 * reference server's client/server pairing (see Lobby.paired) and its silence about members leaving a
 * sealed lobby.
 */
export interface SignalingLimits {
  /** server.js MAX_PEERS. */
  readonly maxPeers: number;
  /** server.js MAX_LOBBIES. */
  readonly maxLobbies: number;
  /** server.js NO_LOBBY_TIMEOUT: close a peer that has not joined a lobby by then. */
  readonly joinTimeoutMs: number;
  /** server.js SEAL_CLOSE_TIMEOUT: close every member this long after SEAL. */
  readonly sealCloseMs: number;
  /** server.js PING_INTERVAL (WebSocket pings); 0 disables. */
  readonly pingIntervalMs: number;
  /** Largest accepted text frame, in UTF-16 units (the shell also caps bytes). */
  readonly maxMessageBytes: number;
  /** Token bucket per connection: burst size and refill per second. */
  readonly rateBurst: number;
  readonly ratePerSecond: number;
}

export const DEFAULT_LIMITS: SignalingLimits = {
  maxPeers: 4096,
  maxLobbies: 1024,
  joinTimeoutMs: 1000,
  sealCloseMs: 10_000,
  pingIntervalMs: 10_000,
  maxMessageBytes: 64 * 1024,
  rateBurst: 200,
  ratePerSecond: 100,
};

export type SignalingAction =
  | { readonly kind: 'send'; readonly conn: number; readonly text: string }
  | { readonly kind: 'close'; readonly conn: number; readonly code: number; readonly reason: string }
  | { readonly kind: 'ping'; readonly conn: number };

interface Peer {
  readonly conn: number;
  readonly id: number;
  lobby: string;
  closing: boolean;
  tokens: number;
  lastRefill: Millis;
}

class ProtoError extends Error {}

/** The limits in `given` (callers may pass a wider options object), defaults for the rest. */
function pickLimits(given: Partial<SignalingLimits>): SignalingLimits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SignalingLimits)[]) {
    const v = given[key];
    if (typeof v === 'number' && v >= 0) out[key] = v;
  }
  return out as unknown as SignalingLimits;
}

const ALFNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOBBY_NAME_LENGTH = 16;
const MAX_ID = 0x7fff_ffff;

export class SignalingServerCore {
  private readonly peers = new Map<number, Peer>();
  private readonly lobbies = new Map<string, Lobby>();
  private readonly usedIds = new Set<number>();
  private readonly deadlines = new Deadlines<string>();
  private readonly actions = new Queue<SignalingAction>();
  readonly limits: SignalingLimits;
  /** Counters for monitoring: protocol errors by reason. */
  readonly errors = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    limits: Partial<SignalingLimits> = {},
    now: Millis = 0,
  ) {
    this.limits = pickLimits(limits);
    if (this.limits.pingIntervalMs > 0) this.deadlines.arm('ping', now + this.limits.pingIntervalMs);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  get lobbyCount(): number {
    return this.lobbies.size;
  }

  /** A new WebSocket connection. Over maxPeers it is closed at once (4000 "Too many peers connected"). */
  handleConnect(now: Millis, conn: number): void {
    if (this.peers.size >= this.limits.maxPeers) {
      this.count(CloseReason.TOO_MANY_PEERS);
      this.actions.push({ kind: 'close', conn, code: CLOSE_PROTOCOL_ERROR, reason: CloseReason.TOO_MANY_PEERS });
      return;
    }
    const id = this.newPeerId();
    this.usedIds.add(id);
    this.peers.set(conn, { conn, id, lobby: '', closing: false, tokens: this.limits.rateBurst, lastRefill: now });
    this.deadlines.arm(`join:${conn}`, now + this.limits.joinTimeoutMs);
  }

  /** One frame: a string for a text frame, bytes for a binary frame (refused, as in server.js). */
  handleMessage(now: Millis, conn: number, frame: string | Uint8Array): void {
    const peer = this.peers.get(conn);
    if (!peer || peer.closing) return;
    try {
      if (typeof frame !== 'string') throw new ProtoError(CloseReason.INVALID_TRANSFER_MODE);
      if (frame.length > this.limits.maxMessageBytes) throw new ProtoError(CloseReason.TOO_LARGE);
      if (!this.takeToken(peer, now)) throw new ProtoError(CloseReason.TOO_FAST);
      const msg = parseClientMessage(frame);
      if (!msg) throw new ProtoError(CloseReason.INVALID_FORMAT);
      this.dispatch(now, peer, msg);
    } catch (e: unknown) {
      if (!(e instanceof ProtoError)) throw e;
      this.count(e.message);
      this.close(peer, CLOSE_PROTOCOL_ERROR, e.message);
    }
  }

  /** The connection is gone (closed by either side). */
  handleDisconnect(_now: Millis, conn: number): void {
    const peer = this.peers.get(conn);
    if (!peer) return;
    this.peers.delete(conn);
    this.usedIds.delete(peer.id);
    this.deadlines.disarm(`join:${conn}`);
    const lobby = this.lobbies.get(peer.lobby);
    if (lobby && lobby.remove(peer.id)) this.leave(lobby, peer);
  }

  handleTimeout(now: Millis): void {
    for (const key of this.deadlines.takeDue(now)) {
      const [kind, arg = ''] = key.split(/:(.*)/s);
      if (kind === 'join') this.joinExpired(Number(arg));
      else if (kind === 'seal') this.sealExpired(arg);
      else if (kind === 'ping') this.pingAll(now);
    }
  }

  pollAction(): SignalingAction | undefined {
    return this.actions.shift();
  }

  pollTimeout(): Millis | undefined {
    return this.deadlines.earliest();
  }

  private count(reason: string): void {
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
  }

  /** Unique ids in 2..2^31-1: never 0 (broadcast) or 1 (the host's presented id). */
  private newPeerId(): number {
    for (;;) {
      const id = 2 + (this.rng.u32() % (MAX_ID - 1));
      if (!this.usedIds.has(id)) return id;
    }
  }

  private newLobbyName(): string {
    for (;;) {
      let name = '';
      while (name.length < LOBBY_NAME_LENGTH) {
        const c = this.rng.u32() & 63; // Rejection sampling keeps the 62 characters uniform.
        if (c < ALFNUM.length) name += ALFNUM[c];
      }
      if (!this.lobbies.has(name)) return name;
    }
  }

  private takeToken(peer: Peer, now: Millis): boolean {
    const { rateBurst, ratePerSecond } = this.limits;
    peer.tokens = Math.min(rateBurst, peer.tokens + ((now - peer.lastRefill) * ratePerSecond) / 1000);
    peer.lastRefill = now;
    if (peer.tokens < 1) return false;
    peer.tokens -= 1;
    return true;
  }

  private send(conn: number, type: number, id: number, data = ''): void {
    this.actions.push({ kind: 'send', conn, text: formatMessage(type, id, data) });
  }

  private close(peer: Peer, code: number, reason: string): void {
    if (peer.closing) return;
    peer.closing = true;
    this.actions.push({ kind: 'close', conn: peer.conn, code, reason });
  }

  private dispatch(now: Millis, peer: Peer, msg: SignalMessage): void {
    if (msg.type === M.JOIN) return this.join(now, peer, msg.data, msg.id === 0);
    if (peer.lobby === '') throw new ProtoError(CloseReason.NEED_LOBBY);
    const lobby = this.lobbies.get(peer.lobby);
    if (!lobby) throw new ProtoError(CloseReason.SERVER_ERROR);
    if (msg.type === M.SEAL) return this.seal(now, lobby, peer);
    if (msg.type === M.OFFER || msg.type === M.ANSWER || msg.type === M.CANDIDATE) {
      const dest = lobby.resolve(msg.id);
      if (!dest) throw new ProtoError(CloseReason.INVALID_DEST);
      return this.send(dest.conn, msg.type, lobby.presented(peer.id), msg.data);
    }
    throw new ProtoError(CloseReason.INVALID_CMD);
  }

  /**
   * JOIN (server.js joinLobby): "" creates a lobby (mesh when id is 0). Then, in order: ID to the
   * joiner, PEER_CONNECT both ways with every paired member, JOIN{0, name} to the joiner.
   * Unlike server.js, a peer already in a lobby cannot join a second one by name either.
   */
  private join(_now: Millis, peer: Peer, requested: string, mesh: boolean): void {
    let name = requested;
    if (name === '') {
      if (this.lobbies.size >= this.limits.maxLobbies) throw new ProtoError(CloseReason.TOO_MANY_LOBBIES);
      if (peer.lobby !== '') throw new ProtoError(CloseReason.ALREADY_IN_LOBBY);
      name = this.newLobbyName();
      this.lobbies.set(name, new Lobby(name, peer.id, mesh));
    } else if (peer.lobby !== '') {
      throw new ProtoError(CloseReason.ALREADY_IN_LOBBY);
    }
    const lobby = this.lobbies.get(name);
    if (!lobby) throw new ProtoError(CloseReason.LOBBY_DOES_NOT_EXISTS);
    if (lobby.sealed) throw new ProtoError(CloseReason.LOBBY_IS_SEALED);
    peer.lobby = name;
    this.deadlines.disarm(`join:${peer.conn}`);
    const assigned = lobby.presented(peer.id);
    this.send(peer.conn, M.ID, assigned, lobby.mesh ? 'true' : '');
    for (const m of lobby.partnersOf(peer.id)) {
      this.send(m.conn, M.PEER_CONNECT, assigned);
      this.send(peer.conn, M.PEER_CONNECT, lobby.presented(m.id));
    }
    lobby.members.push({ id: peer.id, conn: peer.conn });
    this.send(peer.conn, M.JOIN, 0, name);
  }

  /** SEAL: host only; SEAL{0} to every member (host included), everyone closed after sealCloseMs. */
  private seal(now: Millis, lobby: Lobby, peer: Peer): void {
    if (peer.id !== lobby.hostId) throw new ProtoError(CloseReason.ONLY_HOST_CAN_SEAL);
    lobby.sealed = true;
    for (const m of lobby.members) this.send(m.conn, M.SEAL, 0);
    this.deadlines.armIfIdle(`seal:${lobby.name}`, now + this.limits.sealCloseMs);
  }

  /** A member left: the host takes the lobby down, anyone else is announced to its partners. */
  private leave(lobby: Lobby, peer: Peer): void {
    if (peer.id === lobby.hostId) {
      for (const m of lobby.members) {
        const p = this.peers.get(m.conn);
        if (p) this.close(p, CLOSE_PROTOCOL_ERROR, CloseReason.HOST_DISCONNECTED);
      }
      this.deadlines.disarm(`seal:${lobby.name}`);
      this.lobbies.delete(lobby.name);
      return;
    }
    // After SEAL nobody is told (GDScript reference server): signaling is over and the WebRTC mesh
    // must survive members dropping their WebSocket, which the seal timer makes everyone do.
    if (lobby.sealed) return;
    for (const m of lobby.members) {
      if (lobby.paired(m.id, peer.id)) this.send(m.conn, M.PEER_DISCONNECT, lobby.presented(peer.id));
    }
  }

  private joinExpired(conn: number): void {
    const peer = this.peers.get(conn);
    if (peer && peer.lobby === '') {
      this.count(CloseReason.NO_LOBBY);
      this.close(peer, CLOSE_PROTOCOL_ERROR, CloseReason.NO_LOBBY);
    }
  }

  private sealExpired(name: string): void {
    const lobby = this.lobbies.get(name);
    if (!lobby) return;
    for (const m of lobby.members) {
      const p = this.peers.get(m.conn);
      if (p) this.close(p, CLOSE_SEAL_COMPLETE, CloseReason.SEAL_COMPLETE);
    }
  }

  private pingAll(now: Millis): void {
    for (const conn of this.peers.keys()) this.actions.push({ kind: 'ping', conn });
    this.deadlines.arm('ping', now + this.limits.pingIntervalMs);
  }
}
