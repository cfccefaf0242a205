/**
 * Godot's `WebRTCDataChannel` (a PacketPeer), godot-api.md §3. Returns Godot `Error` codes and logs a
 * readable message instead of throwing. Incoming packets are queued as they arrive (not gated by
 * poll), outgoing ones go straight to the stack.
 *
 * Choices where Godot's back ends differ (godot-api.md §6.3), documented in the README:
 * - `putPacket` when not OPEN → ERR_UNCONFIGURED (web's code; native says FAILED);
 * - `getPacket` keeps working after close until the queue is empty (native), so nothing is lost;
 * - unset id / max packet lifetime / max retransmits → 65535 (the documented value);
 * - `getMaxPacketSize()` → 16384 (native; configurable with `maxPacketSize`);
 * - incoming queue bounded (count and bytes); a packet over the limit is dropped with a logged
 *   "Buffer full! Dropping data." as the web back end does; outgoing queue bounded → ERR_BUSY.
 */
import { ByteSlab } from '../core/bytes/slab.js';
import { Queue } from '../core/event-queue.js';
import { isUsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DataChannelState } from '../dcep/channel.js';
import { ChannelState, WriteMode, godotChannelState } from './enums.js';
import { GodotError } from './godot-errors.js';
import type { GodotErrorCode } from './godot-errors.js';

/** What a channel needs from its peer connection. */
export interface ChannelHost {
  readonly logger: Logger;
  /** Throws UsageError (not open, too large, SCTP send buffer full). */
  send(ch: DataChannelState, data: Uint8Array, isString: boolean): void;
  close(ch: DataChannelState): void;
  bufferedAmount(ch: DataChannelState): number;
}

/** Per-channel buffer limits (WebRTCPeerConnection option `channelLimits`). */
export interface ChannelLimits {
  /** Max bytes queued for sending; putPacket beyond it → ERR_BUSY. Default 16 MiB. */
  readonly maxBufferedAmount: number;
  /** Max unread incoming packets; more are dropped. Default 65536. */
  readonly maxIncomingPackets: number;
  /** Max unread incoming bytes; more are dropped. Default 16 MiB. */
  readonly maxIncomingBytes: number;
  /** What getMaxPacketSize() reports. Default 16384 (webrtc-native). */
  readonly maxPacketSize: number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  maxBufferedAmount: 16 * 1024 * 1024,
  maxIncomingPackets: 65536,
  maxIncomingBytes: 16 * 1024 * 1024,
  maxPacketSize: 16384,
};

/**
 * Outgoing messages are copied (Godot's put_packet: the caller may reuse its buffer). Small ones go
 * into shared slabs, a view each, instead of an ArrayBuffer each (issue 6: less garbage and no
 * backing-store allocation per message); a piece lives until SCTP has the message acknowledged.
 */
const messageSlab = new ByteSlab(64 * 1024, 2048);

function copyMessage(b: Uint8Array): Uint8Array {
  if (b.length > messageSlab.maxPiece) return b.slice();
  const c = messageSlab.alloc(b.length);
  c.set(b);
  return c;
}

/** Godot's "unset" value for id, lifetime and retransmits. */
const UNSET = 65535;

export class WebRTCDataChannel {
  static readonly WRITE_MODE_TEXT = WriteMode.WRITE_MODE_TEXT;
  static readonly WRITE_MODE_BINARY = WriteMode.WRITE_MODE_BINARY;
  static readonly STATE_CONNECTING = ChannelState.STATE_CONNECTING;
  static readonly STATE_OPEN = ChannelState.STATE_OPEN;
  static readonly STATE_CLOSING = ChannelState.STATE_CLOSING;
  static readonly STATE_CLOSED = ChannelState.STATE_CLOSED;

  /** Godot property `write_mode`: how putPacket sends. Default WRITE_MODE_BINARY. */
  writeMode: WriteMode = WriteMode.WRITE_MODE_BINARY;
  /**
   * rtcpeer extension (not in Godot). Godot's PacketPeer returns OK for an empty buffer and sends
   * nothing, so that is the default. Set to true to send an empty buffer as an empty WebRTC message
   * (one 0x00 byte with PPID 56 or 57, RFC 8831 §6.6), as browsers' `send('')` does.
   */
  sendEmptyPackets = false;
  /** Incoming packets dropped because the receive queue was full. */
  droppedPackets = 0;
  /** Unread packets and, in step, whether each was a text message (two queues: no object per packet). */
  private readonly incoming = new Queue<Uint8Array>();
  private readonly incomingIsString = new Queue<boolean>();
  private incomingBytes = 0;
  private lastError: GodotErrorCode = GodotError.OK;
  private lastWasString = false;

  /** @internal Created by WebRTCPeerConnection. */
  constructor(
    private readonly host: ChannelHost,
    /** @internal */ readonly state: DataChannelState,
    private readonly limits: ChannelLimits,
  ) {}

  /**
   * @internal A message arrived (called by the peer connection, not gated by poll). It is a view of the
   * DTLS record it came in (no copy on the data path, issue 6); one much smaller than that record is
   * copied, so that neither this queue nor the application pins a whole record (up to 64 KiB between
   * rtcpeer peers on loopback) per small message: what it holds stays within 4x the bytes it counts.
   */
  deliver(data: Uint8Array, isString: boolean): void {
    const l = this.limits;
    if (this.incoming.length >= l.maxIncomingPackets || this.incomingBytes + data.length > l.maxIncomingBytes) {
      this.droppedPackets++;
      this.host.logger.log('error', 'Buffer full! Dropping data.', { label: this.state.label, bytes: data.length, queued: this.incoming.length });
      return;
    }
    this.incoming.push(data.buffer.byteLength > 4 * data.length ? data.slice() : data);
    this.incomingIsString.push(isString);
    this.incomingBytes += data.length;
  }

  getWriteMode(): WriteMode {
    return this.writeMode;
  }

  setWriteMode(mode: WriteMode): void {
    if (mode !== WriteMode.WRITE_MODE_TEXT && mode !== WriteMode.WRITE_MODE_BINARY) {
      this.host.logger.log('error', `invalid write mode ${String(mode)}`);
      return;
    }
    this.writeMode = mode;
  }

  /** Next packet, or an empty array with getPacketError() = ERR_UNAVAILABLE when none is queued. */
  getPacket(): Uint8Array {
    const data = this.incoming.shift();
    if (!data) {
      this.lastError = GodotError.ERR_UNAVAILABLE;
      return new Uint8Array(0);
    }
    this.incomingBytes -= data.length;
    this.lastError = GodotError.OK;
    this.lastWasString = this.incomingIsString.shift() === true;
    return data;
  }

  getPacketError(): GodotErrorCode {
    return this.lastError;
  }

  getAvailablePacketCount(): number {
    return this.incoming.length;
  }

  /** True when the last packet read by getPacket() was a text message. */
  wasStringPacket(): boolean {
    return this.lastWasString;
  }

  /**
   * Sends one message (text or binary by `writeMode`). An empty buffer is OK and sends nothing
   * (PacketPeer), unless `sendEmptyPackets` is set. ERR_UNCONFIGURED when not open, ERR_INVALID_PARAMETER when larger than the peer's
   * a=max-message-size, ERR_BUSY when the send queue is over `maxBufferedAmount`.
   */
  putPacket(buffer: Uint8Array): GodotErrorCode {
    if (!(buffer instanceof Uint8Array)) return this.fail(GodotError.ERR_INVALID_PARAMETER, 'putPacket needs a Uint8Array');
    if (buffer.length === 0 && !this.sendEmptyPackets) return GodotError.OK;
    if (this.state.state !== 'open') return this.fail(GodotError.ERR_UNCONFIGURED, `channel "${this.state.label}" is not open (${this.state.state})`);
    if (this.getBufferedAmount() + buffer.length > this.limits.maxBufferedAmount) {
      return this.fail(GodotError.ERR_BUSY, `send buffer of channel "${this.state.label}" is full (${this.limits.maxBufferedAmount} bytes)`);
    }
    try {
      this.host.send(this.state, copyMessage(buffer), this.writeMode === WriteMode.WRITE_MODE_TEXT);
      return GodotError.OK;
    } catch (e) {
      if (!isUsageError(e)) throw e;
      const code = e.code.endsWith('too-large') ? GodotError.ERR_INVALID_PARAMETER : e.code === 'dcep.not-open' ? GodotError.ERR_UNCONFIGURED : GodotError.ERR_BUSY;
      return this.fail(code, e.message);
    }
  }

  getReadyState(): ChannelState {
    return godotChannelState(this.state.state);
  }

  getLabel(): string {
    return this.state.label;
  }

  isOrdered(): boolean {
    return this.state.reliability.ordered;
  }

  /** The SCTP stream id, or 65535 while an in-band channel has none yet. */
  getId(): number {
    return this.state.id ?? UNSET;
  }

  getMaxPacketLifeTime(): number {
    return this.state.reliability.maxPacketLifeTime ?? UNSET;
  }

  getMaxRetransmits(): number {
    return this.state.reliability.maxRetransmits ?? UNSET;
  }

  getProtocol(): string {
    return this.state.protocol;
  }

  isNegotiated(): boolean {
    return this.state.negotiated;
  }

  /** Bytes queued for sending and not yet acknowledged. */
  getBufferedAmount(): number {
    return this.host.bufferedAmount(this.state);
  }

  getMaxPacketSize(): number {
    return this.limits.maxPacketSize;
  }

  /** Reserved in Godot; OK. */
  poll(): GodotErrorCode {
    return GodotError.OK;
  }

  /** Closes the channel (stream reset); the state goes CLOSING, then CLOSED. */
  close(): void {
    this.host.close(this.state);
  }

  private fail(code: GodotErrorCode, message: string): GodotErrorCode {
    this.host.logger.log('error', message, { label: this.state.label });
    return code;
  }
}
