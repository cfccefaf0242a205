import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { Rng } from '../../core/rng.js';
import { GodotError, type GodotErrorCode } from '../../facade/godot-errors.js';
import type { WebRTCDataChannel } from '../../facade/data-channel.js';
import type { WebRTCPeerConnection } from '../../facade/peer-connection.js';
import { SignalSet } from '../../facade/signals.js';
import { getVar, putVar } from '../variant/packet-peer.js';
import type { Variant } from '../variant/types.js';
import { planChannels, packetChannelOf, reservedChannels, sendChannelIndex, type ChannelOptions } from './channels.js';
import { ConnectionStatus, MAX_PEER_ID, TARGET_PEER_SERVER, TransferMode } from './enums.js';

/**
 * Godot's WebRTCMultiplayerPeer (modules/webrtc/webrtc_multiplayer_peer.cpp; godot-api.md §4) over
 * any connection with the WebRTCPeerConnection surface it uses (the rtcpeer facade in practice).
 * It never negotiates: the application (e.g. MultiplayerClient) makes offers and relays candidates;
 * this class creates the channels, polls the connections and reports (dis)connections.
 */
export interface MpChannel {
  getReadyState(): number;
  getAvailablePacketCount(): number;
  getPacket(): Uint8Array;
  getPacketError(): number;
  putPacket(data: Uint8Array): number;
}

export interface MpConnection<C extends MpChannel = MpChannel> {
  poll(): number;
  getConnectionState(): number;
  createDataChannel(label: string, options: ChannelOptions): C | null;
  close(): void;
}

/** get_peer()'s dictionary. */
export interface MpPeerInfo<P, C> {
  readonly connection: P;
  readonly channels: readonly C[];
  readonly connected: boolean;
}

export interface MultiplayerPeerSignals {
  peer_connected: (id: number) => void;
  peer_disconnected: (id: number) => void;
}

interface ConnectedPeer<P, C> {
  readonly connection: P;
  readonly channels: C[];
  connected: boolean;
}

type Mode = 'none' | 'server' | 'client' | 'mesh';

const PC_NEW = 0;
const PC_CONNECTING = 1;
const PC_CONNECTED = 2;
const CH_CONNECTING = 0;
const CH_OPEN = 1;

export class WebRTCMultiplayerPeer<
  C extends MpChannel = WebRTCDataChannel,
  P extends MpConnection<C> = WebRTCPeerConnection & MpConnection<C>,
> {
  static readonly TRANSFER_MODE_UNRELIABLE = TransferMode.TRANSFER_MODE_UNRELIABLE;
  static readonly TRANSFER_MODE_UNRELIABLE_ORDERED = TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED;
  static readonly TRANSFER_MODE_RELIABLE = TransferMode.TRANSFER_MODE_RELIABLE;
  static readonly CONNECTION_DISCONNECTED = ConnectionStatus.CONNECTION_DISCONNECTED;
  static readonly CONNECTION_CONNECTING = ConnectionStatus.CONNECTION_CONNECTING;
  static readonly CONNECTION_CONNECTED = ConnectionStatus.CONNECTION_CONNECTED;
  static readonly TARGET_PEER_BROADCAST = 0;
  static readonly TARGET_PEER_SERVER = 1;

  /** MultiplayerPeer properties (defaults as Godot's). */
  transferMode: TransferMode = TransferMode.TRANSFER_MODE_RELIABLE;
  transferChannel = 0;
  refuseNewConnections = false;

  private readonly signals = new SignalSet<MultiplayerPeerSignals>();
  private readonly peerMap = new Map<number, ConnectedPeer<P, C>>();
  private extraChannels: readonly ChannelOptions[] = [];
  private channelModes: readonly TransferMode[] = [];
  private uniqueId = 0;
  private mode: Mode = 'none';
  private status: ConnectionStatus = ConnectionStatus.CONNECTION_DISCONNECTED;
  private targetPeer = 0;
  private nextPacketPeer = 0;
  private nextPacketChannel = 0;
  private lastGetError: GodotErrorCode = GodotError.OK;
  private readonly log: Logger;

  constructor(private readonly opts: { readonly rng?: Rng; readonly logger?: Logger } = {}) {
    this.log = (opts.logger ?? silentLogger).child({ layer: 'multiplayer' });
  }

  connect<K extends keyof MultiplayerPeerSignals>(signal: K, fn: MultiplayerPeerSignals[K]): GodotErrorCode {
    return this.signals.connect(signal, fn);
  }

  disconnect<K extends keyof MultiplayerPeerSignals>(signal: K, fn: MultiplayerPeerSignals[K]): void {
    this.signals.disconnect(signal, fn);
  }

  private fail<T>(code: T, message: string): T {
    this.log.log('error', message);
    return code;
  }

  createServer(channelsConfig: readonly unknown[] = []): GodotErrorCode {
    return this.initialize(1, 'server', channelsConfig);
  }

  createClient(peerId: number, channelsConfig: readonly unknown[] = []): GodotErrorCode {
    if (peerId === 1) return this.fail(GodotError.ERR_INVALID_PARAMETER, 'Clients cannot have ID 1.');
    return this.initialize(peerId, 'client', channelsConfig);
  }

  createMesh(peerId: number, channelsConfig: readonly unknown[] = []): GodotErrorCode {
    return this.initialize(peerId, 'mesh', channelsConfig);
  }

  private initialize(id: number, mode: Mode, channelsConfig: readonly unknown[]): GodotErrorCode {
    if (!validPeerId(id)) return this.fail(GodotError.ERR_INVALID_PARAMETER, `invalid peer id ${id}`);
    const plan = planChannels(channelsConfig);
    if (typeof plan === 'string') return this.fail(GodotError.ERR_INVALID_PARAMETER, plan);
    this.extraChannels = plan.extra;
    this.channelModes = plan.modes;
    this.uniqueId = id;
    this.mode = mode;
    // Mesh and server are always connected; a client waits for the server (peer 1).
    this.status = mode === 'client' ? ConnectionStatus.CONNECTION_CONNECTING : ConnectionStatus.CONNECTION_CONNECTED;
    return GodotError.OK;
  }

  /** add_peer: checks in Godot's order, then creates the 3 reserved channels and the extra ones. */
  addPeer(peer: P | null, peerId: number, unreliableLifetime = 1): GodotErrorCode {
    const E = GodotError;
    if (this.mode === 'none') return this.fail(E.ERR_UNCONFIGURED, 'add_peer: not initialized');
    if (this.mode === 'client' && peerId !== 1) return this.fail(E.ERR_INVALID_PARAMETER, 'add_peer: a client only adds peer 1');
    if (this.mode === 'server' && peerId === 1) return this.fail(E.ERR_INVALID_PARAMETER, 'add_peer: the server cannot add peer 1');
    if (!validPeerId(peerId)) return this.fail(E.ERR_INVALID_PARAMETER, `add_peer: invalid peer id ${peerId}`);
    if (!(unreliableLifetime >= 0)) return this.fail(E.ERR_INVALID_PARAMETER, 'add_peer: unreliable_lifetime < 0');
    if (this.refuseNewConnections) return this.fail(E.ERR_UNAUTHORIZED, 'add_peer: refusing new connections');
    if (!peer || peer.getConnectionState() !== PC_NEW) return this.fail(E.ERR_INVALID_PARAMETER, 'add_peer: peer must be a new connection');
    const channels: C[] = [];
    const wanted = [...reservedChannels(unreliableLifetime), ...this.extraChannels.map((o) => [String(o['id']), o] as const)];
    for (const [label, options] of wanted) {
      const ch = peer.createDataChannel(label, options);
      if (!ch) return this.fail(E.FAILED, `add_peer: could not create channel "${label}"`);
      channels.push(ch);
    }
    // No duplicate check: an existing entry is replaced, as in Godot.
    this.peerMap.set(peerId, { connection: peer, channels, connected: false });
    return E.OK;
  }

  removePeer(peerId: number): void {
    const peer = this.peerMap.get(peerId);
    if (!peer) return void this.fail(0, `remove_peer: unknown peer ${peerId}`);
    this.peerMap.delete(peerId);
    if (!peer.connected) return;
    peer.connected = false;
    this.signals.emit('peer_disconnected', peerId);
    if (this.mode === 'client' && peerId === TARGET_PEER_SERVER) this.status = ConnectionStatus.CONNECTION_DISCONNECTED;
  }

  hasPeer(peerId: number): boolean {
    return this.peerMap.has(peerId);
  }

  /** get_peer: the connection, its channels (3 + extras) and whether it was reported connected. */
  getPeer(peerId: number): MpPeerInfo<P, C> | undefined {
    const p = this.peerMap.get(peerId);
    if (!p) return this.fail(undefined, `get_peer: unknown peer ${peerId}`);
    return { connection: p.connection, channels: [...p.channels], connected: p.connected };
  }

  getPeers(): Map<number, MpPeerInfo<P, C>> {
    const out = new Map<number, MpPeerInfo<P, C>>();
    for (const [id, p] of this.peerMap) out.set(id, { connection: p.connection, channels: [...p.channels], connected: p.connected });
    return out;
  }

  /**
   * Polls every connection; removes peers whose connection is not NEW/CONNECTING/CONNECTED or whose
   * channel closed; announces peers whose channels are all open; then picks the next packet source.
   */
  poll(): void {
    if (this.peerMap.size === 0) return;
    const remove: number[] = [];
    const add: number[] = [];
    for (const [id, peer] of this.peerMap) {
      peer.connection.poll();
      const state = peer.connection.getConnectionState();
      if (state === PC_NEW || state === PC_CONNECTING) continue;
      if (state !== PC_CONNECTED) {
        remove.push(id);
        continue;
      }
      const states = peer.channels.map((c) => c.getReadyState());
      if (states.some((s) => s !== CH_CONNECTING && s !== CH_OPEN)) remove.push(id);
      else if (states.every((s) => s === CH_OPEN) && !peer.connected) {
        peer.connected = true;
        add.push(id);
      }
    }
    for (const id of remove) {
      this.removePeer(id);
      if (this.nextPacketPeer === id) this.nextPacketPeer = 0;
    }
    for (const id of add) this.announce(id);
    if (this.nextPacketPeer === 0) this.findNextPeer();
  }

  private announce(id: number): void {
    if (this.mode === 'client') {
      if (id !== TARGET_PEER_SERVER) return void this.fail(0, `bug: client connected to peer ${id}`);
      this.status = ConnectionStatus.CONNECTION_CONNECTED;
    }
    this.signals.emit('peer_connected', id);
  }

  /** Round robin: the first connected peer after the last one served that has a packet waiting. */
  private findNextPeer(): void {
    const ids = [...this.peerMap.keys()];
    const start = ids.indexOf(this.nextPacketPeer);
    const order = start >= 0 ? [...ids.slice(start + 1), ...ids.slice(0, start + 1)] : ids;
    for (const id of order) {
      const peer = this.peerMap.get(id) as ConnectedPeer<P, C>;
      if (!peer.connected) continue;
      const idx = peer.channels.findIndex((c) => c.getAvailablePacketCount() > 0);
      if (idx >= 0) {
        this.nextPacketChannel = idx;
        this.nextPacketPeer = id;
        return;
      }
    }
    this.nextPacketChannel = 0;
    this.nextPacketPeer = 0;
  }

  getAvailablePacketCount(): number {
    if (this.nextPacketPeer === 0) return 0;
    let n = 0;
    for (const p of this.peerMap.values()) {
      if (p.connected) for (const c of p.channels) n += c.getAvailablePacketCount();
    }
    return n;
  }

  /** Next packet (empty on error; see getPacketError: ERR_UNAVAILABLE when none is selected). */
  getPacket(): Uint8Array {
    const peer = this.nextPacketPeer === 0 ? undefined : this.peerMap.get(this.nextPacketPeer);
    if (!peer) {
      this.findNextPeer();
      return this.packetResult(this.fail(GodotError.ERR_UNAVAILABLE, 'get_packet: no packet available'));
    }
    const ch = peer.channels.find((c) => c.getAvailablePacketCount() > 0);
    if (!ch) {
      this.findNextPeer();
      return this.packetResult(this.fail(GodotError.ERR_BUG, 'get_packet: selected peer has no packet'));
    }
    const data = ch.getPacket();
    const err = ch.getPacketError() as GodotErrorCode;
    this.findNextPeer();
    return this.packetResult(err, data);
  }

  private packetResult(err: GodotErrorCode, data?: Uint8Array): Uint8Array {
    this.lastGetError = err;
    return err === GodotError.OK && data ? data : new Uint8Array(0);
  }

  getPacketError(): GodotErrorCode {
    return this.lastGetError;
  }

  /**
   * put_packet to the target: > 0 one peer (its channel's result), 0 everyone, < 0 everyone but
   * |target| (per-peer errors ignored, OK). An empty buffer is OK and sends nothing (PacketPeer).
   */
  putPacket(data: Uint8Array): GodotErrorCode {
    if (data.length === 0) return GodotError.OK;
    if (this.status === ConnectionStatus.CONNECTION_DISCONNECTED) return this.fail(GodotError.ERR_UNCONFIGURED, 'put_packet: disconnected');
    const ch = sendChannelIndex(this.transferChannel, this.transferMode);
    if (this.targetPeer > 0) {
      const peer = this.peerMap.get(this.targetPeer);
      if (!peer) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Invalid target peer: ${this.targetPeer}.`);
      const channel = peer.channels[ch];
      if (!channel) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Unable to send packet on channel ${ch}, max channels: ${peer.channels.length}`);
      return channel.putPacket(data) as GodotErrorCode;
    }
    const exclude = -this.targetPeer;
    for (const [id, peer] of this.peerMap) {
      if (this.targetPeer !== 0 && id === exclude) continue;
      const channel = peer.channels[ch];
      if (!channel) this.fail(0, `Unable to send packet on channel ${ch}, max channels: ${peer.channels.length}`);
      else channel.putPacket(data);
    }
    return GodotError.OK;
  }

  setTargetPeer(id: number): void {
    this.targetPeer = id;
  }

  getPacketPeer(): number {
    return this.nextPacketPeer;
  }

  getPacketChannel(): number {
    return packetChannelOf(this.nextPacketChannel);
  }

  getPacketMode(): TransferMode {
    const mode = this.channelModes[this.nextPacketChannel];
    return mode ?? this.fail(TransferMode.TRANSFER_MODE_RELIABLE, 'get_packet_mode: no channel');
  }

  getMaxPacketSize(): number {
    return 1200;
  }

  getUniqueId(): number {
    if (this.status === ConnectionStatus.CONNECTION_DISCONNECTED) return this.fail(1, 'get_unique_id: disconnected');
    return this.uniqueId;
  }

  isServer(): boolean {
    return this.uniqueId === TARGET_PEER_SERVER;
  }

  isServerRelaySupported(): boolean {
    return this.mode === 'server' || this.mode === 'client';
  }

  getConnectionStatus(): ConnectionStatus {
    return this.status;
  }

  /** force: forget the peer now, no signal; else close its connection (next poll removes it). */
  disconnectPeer(peerId: number, force = false): void {
    const peer = this.peerMap.get(peerId);
    if (!peer) return void this.fail(0, `disconnect_peer: unknown peer ${peerId}`);
    if (!force) return peer.connection.close();
    this.peerMap.delete(peerId);
    if (this.mode === 'client' && peerId === TARGET_PEER_SERVER) this.status = ConnectionStatus.CONNECTION_DISCONNECTED;
  }

  /** Drops everything without signals or remote notification (as Godot; godot#110442). */
  close(): void {
    this.peerMap.clear();
    this.extraChannels = [];
    this.uniqueId = 0;
    this.nextPacketPeer = 0;
    this.nextPacketChannel = 0;
    this.targetPeer = 0;
    this.mode = 'none';
    this.status = ConnectionStatus.CONNECTION_DISCONNECTED;
  }

  /** PacketPeer.put_var: Godot's Variant encoding of `value`, sent as one packet to the target. */
  putVar(value: Variant, fullObjects = false): number {
    return putVar(this, value, { fullObjects });
  }

  /** PacketPeer.get_var: the next packet decoded (null on error; see the returned error). */
  getVar(allowObjects = false): { readonly error: number; readonly value: Variant } {
    return getVar(this, { allowObjects });
  }

  /** MultiplayerPeer.generate_unique_id: random in 2..2^31-1 (never 0 or 1), from the injected rng. */
  generateUniqueId(): number {
    const rng = this.opts.rng;
    if (!rng) return this.fail(0, 'generate_unique_id: no rng given to the constructor');
    for (;;) {
      const id = rng.u32() & MAX_PEER_ID;
      if (id > 1) return id;
    }
  }
}

function validPeerId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_PEER_ID;
}

