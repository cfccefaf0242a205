import { WebSocket } from 'ws';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { GodotError, type GodotErrorCode } from '../facade/godot-errors.js';
import { Emitter } from './emitter.js';
import { MessageType as M, formatCandidate, formatMessage, parseCandidate, parseServerMessage } from './protocol.js';

/**
 * The demo's signaling client (godot-demo-projects client/ws_webrtc_client.gd) in TypeScript: same
 * messages, same signals, same autojoin. Candidates travel as `"\n<mid>\n<index>\n<sdp>"`.
 */
export interface SignalingClientEvents {
  /** JOIN confirmation: the lobby name (the one created for you when you asked for ""). */
  lobbyJoined: [lobby: string];
  /** ID: your peer id (1 when you host) and whether the lobby is a mesh. */
  connected: [id: number, useMesh: boolean];
  /** The WebSocket closed; `code`/`reason` as the server sent them. */
  disconnected: [code: number, reason: string];
  peerConnected: [id: number];
  peerDisconnected: [id: number];
  offerReceived: [id: number, offer: string];
  answerReceived: [id: number, answer: string];
  candidateReceived: [id: number, mid: string, index: number, sdp: string];
  lobbySealed: [];
  /** A frame the demo client would reject ("Error parsing message from server."). */
  badMessage: [text: string];
}

export interface SignalingClientOptions {
  /** Send JOIN as soon as the socket opens (demo default: true). */
  readonly autojoin?: boolean;
  /** Lobby to join; "" creates one. */
  readonly lobby?: string;
  /** Ask for a mesh lobby when creating one (JOIN id 0), else client/server (JOIN id 1). */
  readonly mesh?: boolean;
  readonly logger?: Logger;
}

export class SignalingClient extends Emitter<SignalingClientEvents> {
  autojoin: boolean;
  lobby: string;
  mesh: boolean;
  /** Close code and reason of the last disconnection (1000 / "Unknown" until then, as the demo). */
  code = 1000;
  reason = 'Unknown';
  private ws: WebSocket | undefined;
  private readonly log: Logger;

  constructor(opts: SignalingClientOptions = {}) {
    const log = (opts.logger ?? silentLogger).child({ layer: 'signaling-client' });
    super((err) => log.log('error', 'listener threw', { err: String(err) }));
    this.log = log;
    this.autojoin = opts.autojoin ?? true;
    this.lobby = opts.lobby ?? '';
    this.mesh = opts.mesh ?? true;
  }

  /** True while the WebSocket is open. */
  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the WebSocket; ERR_INVALID_PARAMETER (logged) for a URL `ws` refuses. */
  connectToUrl(url: string): GodotErrorCode {
    this.close();
    this.code = 1000;
    this.reason = 'Unknown';
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, { perMessageDeflate: false });
    } catch (e: unknown) {
      this.log.log('error', 'invalid signaling URL', { url, err: String(e) });
      return GodotError.ERR_INVALID_PARAMETER;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (this.autojoin) this.joinLobby(this.lobby);
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.parse(String(data));
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.code = code;
      this.reason = reason.toString('utf8');
      this.emit('disconnected', this.code, this.reason);
    });
    ws.on('error', (err) => this.log.log('warn', 'socket error', { err: String(err) }));
    return GodotError.OK;
  }

  close(): void {
    const ws = this.ws;
    if (!ws) return;
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close();
  }

  joinLobby(lobby: string): GodotErrorCode {
    return this.sendMsg(M.JOIN, this.mesh ? 0 : 1, lobby);
  }

  sealLobby(): GodotErrorCode {
    return this.sendMsg(M.SEAL, 0);
  }

  sendCandidate(id: number, mid: string, index: number, sdp: string): GodotErrorCode {
    return this.sendMsg(M.CANDIDATE, id, formatCandidate(mid, index, sdp));
  }

  sendOffer(id: number, offer: string): GodotErrorCode {
    return this.sendMsg(M.OFFER, id, offer);
  }

  sendAnswer(id: number, answer: string): GodotErrorCode {
    return this.sendMsg(M.ANSWER, id, answer);
  }

  private sendMsg(type: number, id: number, data = ''): GodotErrorCode {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return GodotError.FAILED;
    this.ws.send(formatMessage(type, id, data));
    return GodotError.OK;
  }

  /** ws_webrtc_client.gd _parse_msg, one signal per message type. */
  private parse(text: string): void {
    const msg = parseServerMessage(text);
    const ok = msg !== undefined && this.dispatch(msg.type, msg.id, msg.data);
    if (!ok) {
      this.log.log('warn', 'Error parsing message from server.', { text: text.slice(0, 200) });
      this.emit('badMessage', text);
    }
  }

  private dispatch(type: number, id: number, data: string): boolean {
    switch (type) {
      case M.ID: this.emit('connected', id, data === 'true'); return true;
      case M.JOIN: this.emit('lobbyJoined', data); return true;
      case M.SEAL: this.emit('lobbySealed'); return true;
      case M.PEER_CONNECT: this.emit('peerConnected', id); return true;
      case M.PEER_DISCONNECT: this.emit('peerDisconnected', id); return true;
      case M.OFFER: this.emit('offerReceived', id, data); return true;
      case M.ANSWER: this.emit('answerReceived', id, data); return true;
      case M.CANDIDATE: {
        const c = parseCandidate(data);
        if (c) this.emit('candidateReceived', id, c.mid, c.index, c.sdp);
        return c !== undefined;
      }
      default: return false;
    }
  }
}
