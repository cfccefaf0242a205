/**
 * Godot's `WebRTCPeerConnection` (godot-api.md §2) over PeerStack, with webrtc-native's model:
 * the three signals are queued and emitted only inside `poll()`; states and incoming packets are
 * updated as datagrams arrive. Every method returns a Godot `Error` (or null/value) and logs a
 * readable message on failure; API misuse never throws.
 *
 * Choices where Godot's back ends differ (godot-api.md §6.3; README "Godot API mapping"):
 * - `setLocalDescription` is a no-op returning OK: our description is applied when created;
 * - `createDataChannel` works in any state before `close()` (native), not only STATE_NEW;
 * - `ice_candidate_created` reports the real m-line index (0 for our single m-line);
 * - `createOffer` needs STATE_NEW (both back ends), else FAILED.
 */
import { UsageError, isParseError, isUsageError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Logger } from '../core/logger.js';
import type { DataChannelState } from '../dcep/channel.js';
import type { PeerStack, StackEvent } from '../stack/peer-stack.js';
import type { PeerConfig, StackBinding, StackTransport } from './binding.js';
import { DEFAULT_CHANNEL_LIMITS, WebRTCDataChannel } from './data-channel.js';
import type { ChannelHost, ChannelLimits } from './data-channel.js';
import { ConnectionState, GatheringState, SignalingState, godotSignalingState } from './enums.js';
import { GodotError } from './godot-errors.js';
import type { IceStatsReport } from './ice-stats.js';
import type { GodotErrorCode } from './godot-errors.js';
import { parseChannelOptions, parsePeerConfig } from './options.js';
import type { Dict } from './options.js';
import { SignalSet } from './signals.js';

/** Signal names and arguments exactly as Godot's. */
export interface PeerConnectionSignals {
  session_description_created: (type: string, sdp: string) => void;
  ice_candidate_created: (media: string, index: number, name: string) => void;
  data_channel_received: (channel: WebRTCDataChannel) => void;
}

type Pending =
  | { readonly name: 'session_description_created'; readonly args: [string, string] }
  | { readonly name: 'ice_candidate_created'; readonly args: [string, number, string] }
  | { readonly name: 'data_channel_received'; readonly args: [WebRTCDataChannel] };

export interface PeerConnectionOptions {
  /** Network and time; default: the one given to `setDefaultExtension`, else the Node UDP binding. */
  readonly env?: StackBinding;
  /** Where error messages go (Godot prints them); default: the default binding's logger or silent. */
  readonly logger?: Logger;
  readonly channelLimits?: Partial<ChannelLimits>;
}

const CONNECTION: Readonly<Record<string, ConnectionState>> = {
  new: ConnectionState.STATE_NEW,
  connecting: ConnectionState.STATE_CONNECTING,
  connected: ConnectionState.STATE_CONNECTED,
  disconnected: ConnectionState.STATE_DISCONNECTED,
  failed: ConnectionState.STATE_FAILED,
  closed: ConnectionState.STATE_CLOSED,
};

const GATHERING: Readonly<Record<string, GatheringState>> = {
  new: GatheringState.GATHERING_STATE_NEW,
  gathering: GatheringState.GATHERING_STATE_GATHERING,
  complete: GatheringState.GATHERING_STATE_COMPLETE,
};

export class WebRTCPeerConnection {
  static readonly STATE_NEW = ConnectionState.STATE_NEW;
  static readonly STATE_CONNECTING = ConnectionState.STATE_CONNECTING;
  static readonly STATE_CONNECTED = ConnectionState.STATE_CONNECTED;
  static readonly STATE_DISCONNECTED = ConnectionState.STATE_DISCONNECTED;
  static readonly STATE_FAILED = ConnectionState.STATE_FAILED;
  static readonly STATE_CLOSED = ConnectionState.STATE_CLOSED;
  static readonly GATHERING_STATE_NEW = GatheringState.GATHERING_STATE_NEW;
  static readonly GATHERING_STATE_GATHERING = GatheringState.GATHERING_STATE_GATHERING;
  static readonly GATHERING_STATE_COMPLETE = GatheringState.GATHERING_STATE_COMPLETE;
  static readonly SIGNALING_STATE_STABLE = SignalingState.SIGNALING_STATE_STABLE;
  static readonly SIGNALING_STATE_HAVE_LOCAL_OFFER = SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER;
  static readonly SIGNALING_STATE_HAVE_REMOTE_OFFER = SignalingState.SIGNALING_STATE_HAVE_REMOTE_OFFER;
  static readonly SIGNALING_STATE_HAVE_LOCAL_PRANSWER = SignalingState.SIGNALING_STATE_HAVE_LOCAL_PRANSWER;
  static readonly SIGNALING_STATE_HAVE_REMOTE_PRANSWER = SignalingState.SIGNALING_STATE_HAVE_REMOTE_PRANSWER;
  static readonly SIGNALING_STATE_CLOSED = SignalingState.SIGNALING_STATE_CLOSED;

  private static defaultEnv: (() => StackBinding) | undefined;

  /**
   * Godot picks the GDExtension class new connections use. Here: a `StackBinding` (or a function
   * making one) becomes the default environment of later `new WebRTCPeerConnection()` calls.
   * A class name string is accepted and logged as unsupported (there are no extensions in Node).
   */
  static setDefaultExtension(extension: string | StackBinding | (() => StackBinding)): void {
    if (typeof extension === 'string') return;
    WebRTCPeerConnection.defaultEnv = typeof extension === 'function' ? extension : () => extension;
  }

  /** @internal Used by the Node entry point to install the UDP binding. */
  static installDefaultEnv(make: () => StackBinding): void {
    WebRTCPeerConnection.defaultEnv ??= make;
  }

  private readonly signals = new SignalSet<PeerConnectionSignals>();
  private readonly env: StackBinding | undefined;
  private readonly logger: Logger;
  private readonly limits: ChannelLimits;
  private readonly channels = new Map<number, WebRTCDataChannel>();
  private pending: Pending[] = [];
  /** Bumped by close() and initialize(): signals queued before belong to a dead connection. */
  private epoch = 0;
  private built: PeerStack | undefined;
  /**
   * The constructor's initialize({}) is still to do: it runs at the first use instead, so that the
   * usual `new` + `initialize(config)` builds one stack and binds one set of sockets, not two (issue 6).
   */
  private implicitInit = false;
  private transport: StackTransport | undefined;
  private readonly host: ChannelHost;
  private wake: (() => void) | null = null;
  /** The wake callback runs at most once between two poll() calls. */
  private wakeArmed = true;
  private readonly onActivity = (): void => {
    if (!this.wakeArmed || !this.wake) return;
    this.wakeArmed = false;
    this.wake();
  };

  /** Already initialized with `{}` as both Godot back ends do (godot-api.md §0.3). */
  constructor(options: PeerConnectionOptions = {}) {
    this.env = options.env ?? WebRTCPeerConnection.defaultEnv?.();
    this.logger = (options.logger ?? silentLogger).child({ layer: 'webrtc' });
    this.limits = options.channelLimits ? { ...DEFAULT_CHANNEL_LIMITS, ...options.channelLimits } : DEFAULT_CHANNEL_LIMITS; // read-only: shared
    this.host = {
      logger: this.logger,
      send: (ch, data, isString) => this.sendMessage(ch, data, isString),
      close: (ch) => this.withStack((s, now) => s.closeChannel(now, ch)),
      bufferedAmount: (ch) => this.stack?.registry.bufferedAmount(ch) ?? 0,
    };
    if (this.env) this.implicitInit = true;
    else this.initialize({}); // logs why there is no connection
  }

  /** The connection's stack (built now if the constructor's initialize({}) is still pending). */
  private get stack(): PeerStack | undefined {
    if (this.implicitInit && this.env) {
      this.implicitInit = false;
      const config = parsePeerConfig({});
      if (!('reason' in config)) this.build(this.env, config);
    }
    return this.built;
  }

  private set stack(stack: PeerStack | undefined) {
    this.built = stack;
  }

  /** Godot-style signal connection; ERR_INVALID_PARAMETER if `fn` is already connected. */
  connect<K extends keyof PeerConnectionSignals>(signal: K, fn: PeerConnectionSignals[K]): GodotErrorCode {
    return this.signals.connect(signal, fn);
  }

  disconnect<K extends keyof PeerConnectionSignals>(signal: K, fn: PeerConnectionSignals[K]): void {
    this.signals.disconnect(signal, fn);
  }

  isConnected<K extends keyof PeerConnectionSignals>(signal: K, fn: PeerConnectionSignals[K]): boolean {
    return this.signals.isConnected(signal, fn);
  }

  /** Drops any previous connection and builds a new one in STATE_NEW. */
  initialize(configuration: Dict = {}): GodotErrorCode {
    const config = parsePeerConfig(configuration);
    if ('reason' in config) return this.fail(config.code, `initialize: ${config.reason}`);
    this.implicitInit = false;
    this.shutdown();
    if (!this.env) return this.fail(GodotError.ERR_UNCONFIGURED, 'no network environment: pass { env } or call setDefaultExtension()');
    return this.build(this.env, config);
  }

  private build(env: StackBinding, config: PeerConfig): GodotErrorCode {
    try {
      const stack = env.createStack(config, this.logger);
      this.stack = stack;
      this.transport = env.attach(stack, (ev) => this.onStackEvent(ev), this.onActivity);
      return GodotError.OK;
    } catch (e) {
      this.stack = undefined;
      return this.fail(GodotError.FAILED, `initialize: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A new channel, or null (message logged) when the options are invalid or the connection closed. */
  createDataChannel(label: string, options: Dict = {}): WebRTCDataChannel | null {
    const init = parseChannelOptions(label, options);
    if (typeof init === 'string') {
      this.fail(GodotError.ERR_INVALID_PARAMETER, `createDataChannel: ${init}`);
      return null;
    }
    let channel: WebRTCDataChannel | null = null;
    const code = this.withStack((s, now) => {
      const state = s.createDataChannel(now, init);
      channel = new WebRTCDataChannel(this.host, state, this.limits);
      this.channels.set(state.handle, channel);
    }, 'createDataChannel');
    return code === GodotError.OK ? channel : null;
  }

  /** Creates and applies the offer; `session_description_created('offer', sdp)` follows in poll(). */
  createOffer(): GodotErrorCode {
    if (this.stack && this.getConnectionState() !== ConnectionState.STATE_NEW) {
      return this.fail(GodotError.FAILED, 'createOffer: the connection is not in STATE_NEW');
    }
    return this.withStack((s, now) => void s.createOffer(now), 'createOffer', true);
  }

  /** No-op (OK): our descriptions are applied as they are created, as in webrtc-native. */
  setLocalDescription(type: string, sdp: string): GodotErrorCode {
    if (!this.stack) return this.fail(GodotError.ERR_UNCONFIGURED, 'setLocalDescription: not initialized');
    if (typeof type !== 'string' || typeof sdp !== 'string') return this.fail(GodotError.ERR_INVALID_PARAMETER, 'setLocalDescription: type and sdp must be strings');
    return GodotError.OK;
  }

  /** Applies the remote description; for an offer the answer is made and signalled in poll(). */
  setRemoteDescription(type: string, sdp: string): GodotErrorCode {
    if (typeof type !== 'string' || typeof sdp !== 'string') return this.fail(GodotError.ERR_INVALID_PARAMETER, 'setRemoteDescription: type and sdp must be strings');
    return this.withStack((s, now) => s.setRemoteDescription(now, type, sdp), 'setRemoteDescription', true);
  }

  /** A remote trickle candidate (`name` = the candidate line; index ignored as in native). */
  addIceCandidate(media: string, index: number, name: string): GodotErrorCode {
    void media;
    void index;
    if (typeof name !== 'string') return this.fail(GodotError.ERR_INVALID_PARAMETER, 'addIceCandidate: name must be a string');
    let accepted = true;
    const code = this.withStack((s, now) => void (accepted = s.addIceCandidate(now, name)), 'addIceCandidate');
    if (code !== GodotError.OK) return code;
    return accepted ? GodotError.OK : this.fail(GodotError.FAILED, `addIceCandidate: refused "${name.slice(0, 80)}"`);
  }

  /**
   * rtcpeer extension (not in Godot's API), for programs without a frame loop: `fn()` is called,
   * outside poll() and at most once until the next poll(), when the network, a timer or the flush of
   * sent packets changed what poll(), getPacket(), getReadyState() or getBufferedAmount() report.
   * Only schedule a poll there (e.g. `setImmediate(() => pc.poll() ...)`); signals and packets are
   * still delivered inside poll() and read with getPacket(). After your own calls (createOffer,
   * setRemoteDescription, ...) poll as usual. null removes it.
   */
  setWakeCallback(fn: (() => void) | null): void {
    this.wake = typeof fn === 'function' ? fn : null;
    this.wakeArmed = true;
  }

  /** Emits the queued signals, in order. */
  poll(): GodotErrorCode {
    if (!this.stack) return GodotError.ERR_UNCONFIGURED;
    this.wakeArmed = true;
    const batch = this.pending;
    this.pending = [];
    const epoch = this.epoch;
    for (let i = 0; i < batch.length; i++) {
      if (this.epoch !== epoch) break; // closed or re-initialized by a handler: the rest is discarded, as native close() does
      this.emit(batch[i] as Pending);
    }
    return GodotError.OK;
  }

  /** Closes the connection and its channels; queued signals are discarded. */
  close(): void {
    this.withStack((s, now) => s.close(now));
    this.pending = [];
    this.epoch++;
    this.transport?.close();
    this.transport = undefined;
  }

  getConnectionState(): ConnectionState {
    return this.stack ? (CONNECTION[this.stack.connectionState] ?? ConnectionState.STATE_CLOSED) : ConnectionState.STATE_CLOSED;
  }

  getGatheringState(): GatheringState {
    return GATHERING[this.stack?.gatheringState ?? 'new'] ?? GatheringState.GATHERING_STATE_NEW;
  }

  getSignalingState(): SignalingState {
    return this.stack ? godotSignalingState(this.stack.signalingState) : SignalingState.SIGNALING_STATE_CLOSED;
  }

  /**
   * rtcpeer extension (not in Godot's API): the selected candidate pair (local and remote type,
   * address, port; `relayProtocol` udp/tcp/tls for a relay candidate) and each TURN server's state
   * and last error, or null before offer/answer or with a binding that cannot tell (src/facade/ice-stats.ts).
   */
  getIceStats(): IceStatsReport | null {
    return (this.stack && this.env?.iceStats?.(this.stack)) ?? null;
  }

  private emit(p: Pending): void {
    switch (p.name) {
      case 'session_description_created':
        return this.signals.emit(p.name, ...p.args);
      case 'ice_candidate_created':
        return this.signals.emit(p.name, ...p.args);
      case 'data_channel_received':
        return this.signals.emit(p.name, ...p.args);
    }
  }

  private onStackEvent(ev: StackEvent): void {
    switch (ev.type) {
      case 'local-description':
        this.pending.push({ name: 'session_description_created', args: [ev.descriptionType, ev.sdp] });
        break;
      case 'ice-candidate':
        this.pending.push({ name: 'ice_candidate_created', args: [ev.mid, ev.index, ev.candidate] });
        break;
      case 'connection-state':
        break;
      case 'channel':
        this.onChannelEvent(ev.event);
        break;
    }
  }

  private onChannelEvent(ev: Extract<StackEvent, { type: 'channel' }>['event']): void {
    if (ev.type === 'incoming') {
      const ch = new WebRTCDataChannel(this.host, ev.channel, this.limits);
      this.channels.set(ev.channel.handle, ch);
      this.pending.push({ name: 'data_channel_received', args: [ch] });
    } else if (ev.type === 'message') {
      this.channels.get(ev.channel.handle)?.deliver(ev.data, ev.isString);
    } else if (ev.type === 'closed') {
      this.channels.delete(ev.channel.handle);
    }
  }

  /**
   * A message goes into SCTP's queue now; packets are built once at the end of the current job
   * (`pumpSoon`), so that messages sent together share packets. UsageError is the channel's to map.
   */
  private sendMessage(ch: DataChannelState, data: Uint8Array, isString: boolean): void {
    const stack = this.stack;
    const env = this.env;
    if (!stack || !env) throw new UsageError('dcep.not-open', 'the peer connection is closed');
    stack.send(env.now(), ch, data, isString);
    const t = this.transport;
    if (t?.pumpSoon) t.pumpSoon();
    else t?.pump();
  }

  /** Runs a stack call at `now`, pumps, and maps thrown errors to Godot codes with a message. */
  /**
   * Runs a user call on the stack, then pumps. `describes`: the call may make a description
   * (createOffer, setRemoteDescription), and the transport hands out what is queued first, the rest a
   * moment later (StackTransport.pumpQueuedFirst), so the next poll() has it sooner.
   */
  private withStack(fn: (s: PeerStack, now: number) => void, what?: string, describes = false): GodotErrorCode {
    const stack = this.stack;
    if (!stack || !this.env) return this.fail(GodotError.ERR_UNCONFIGURED, `${what ?? 'call'}: not initialized`);
    try {
      fn(stack, this.env.now());
      return GodotError.OK;
    } catch (e) {
      if (!isUsageError(e) && !isParseError(e)) throw e;
      if (what === undefined) throw e;
      return this.fail(GodotError.FAILED, `${what}: ${e.message} [${e.code}]`);
    } finally {
      const t = this.transport;
      if (describes && t?.pumpQueuedFirst) t.pumpQueuedFirst();
      else t?.pump();
    }
  }

  private shutdown(): void {
    this.epoch++;
    if (this.stack && this.env) this.stack.close(this.env.now());
    this.transport?.pump();
    this.transport?.close();
    this.transport = undefined;
    this.stack = undefined;
    this.channels.clear();
  }

  private fail(code: GodotErrorCode, message: string): GodotErrorCode {
    this.logger.log('error', message);
    return code;
  }
}
