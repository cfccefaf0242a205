import type { Logger } from '../core/logger.js';
import type { WebRTCDataChannel } from '../facade/data-channel.js';
import type { GodotErrorCode } from '../facade/godot-errors.js';
import type { WebRTCPeerConnection } from '../facade/peer-connection.js';
import { WebRTCMultiplayerPeer } from '../godot/multiplayer/multiplayer-peer.js';
import { SignalingClient } from './client.js';

/**
 * godot-demo-projects client/multiplayer_client.gd in TypeScript: a SignalingClient that drives a
 * WebRTCMultiplayerPeer exactly as the demo does: ID → create_mesh / create_server / create_client;
 * PEER_CONNECT → new connection, add_peer, and an offer only towards a LOWER id (so the host, 1, never
 * offers); descriptions and candidates relayed through the server; PEER_DISCONNECT → remove_peer.
 * Call `poll()` regularly (a game's `_process`); it polls the multiplayer peer.
 */
export type RtcMultiplayerPeer = WebRTCMultiplayerPeer<WebRTCDataChannel, WebRTCPeerConnection>;

export interface MultiplayerClientOptions {
  /** Makes the connection for peer `id` (already initialized, e.g. `new WebRTCPeerConnection({ env })`). */
  readonly createConnection: (id: number) => WebRTCPeerConnection;
  /** Extra channels (MultiplayerPeer.TransferMode values) passed to create_*. */
  readonly channelsConfig?: readonly number[];
  readonly logger?: Logger;
}

export class MultiplayerClient {
  readonly signaling: SignalingClient;
  readonly mp: RtcMultiplayerPeer;
  /** The lobby sealed: a later signaling disconnect is expected and keeps the mesh. */
  sealed = false;
  /**
   * Connections this client made, by peer id. Godot frees a connection when remove_peer drops the
   * last reference; JS has no such thing, so we close ours when their peer goes.
   */
  private readonly made = new Map<number, WebRTCPeerConnection>();

  constructor(private readonly opts: MultiplayerClientOptions) {
    this.signaling = new SignalingClient(opts.logger ? { logger: opts.logger } : {});
    this.mp = new WebRTCMultiplayerPeer(opts.logger ? { logger: opts.logger } : {});
    const s = this.signaling;
    s.on('connected', (id, useMesh) => this.onConnected(id, useMesh));
    s.on('lobbyJoined', (lobby) => (s.lobby = lobby));
    s.on('lobbySealed', () => (this.sealed = true));
    s.on('disconnected', () => {
      if (!this.sealed) this.stop(); // Unexpected disconnect.
    });
    s.on('peerConnected', (id) => this.createPeer(id));
    s.on('peerDisconnected', (id) => {
      if (this.mp.hasPeer(id)) this.mp.removePeer(id);
      this.release(id);
    });
    this.mp.connect('peer_disconnected', (id) => this.release(id));
    s.on('offerReceived', (id, offer) => this.mp.getPeer(id)?.connection.setRemoteDescription('offer', offer));
    s.on('answerReceived', (id, answer) => this.mp.getPeer(id)?.connection.setRemoteDescription('answer', answer));
    s.on('candidateReceived', (id, mid, index, sdp) => this.mp.getPeer(id)?.connection.addIceCandidate(mid, index, sdp));
  }

  /** Connects to the signaling server and joins `lobby` ("" creates one; `mesh` or client/server). */
  start(url: string, lobby = '', mesh = true): GodotErrorCode {
    this.stop();
    this.sealed = false;
    this.signaling.mesh = mesh;
    this.signaling.lobby = lobby;
    return this.signaling.connectToUrl(url);
  }

  stop(): void {
    this.mp.close();
    for (const id of [...this.made.keys()]) this.release(id);
    this.signaling.close();
  }

  poll(): void {
    this.mp.poll();
  }

  private onConnected(id: number, useMesh: boolean): void {
    const config = this.opts.channelsConfig ?? [];
    if (useMesh) this.mp.createMesh(id, config);
    else if (id === 1) this.mp.createServer(config);
    else this.mp.createClient(id, config);
  }

  private release(id: number): void {
    const pc = this.made.get(id);
    if (!pc || (this.mp.hasPeer(id) && this.mp.getPeer(id)?.connection === pc)) return;
    this.made.delete(id);
    pc.close();
  }

  private createPeer(id: number): void {
    this.made.get(id)?.close(); // add_peer replaces an existing entry, as in Godot
    const pc = this.opts.createConnection(id);
    this.made.set(id, pc);
    pc.connect('session_description_created', (type, sdp) => {
      if (!this.mp.hasPeer(id)) return;
      pc.setLocalDescription(type, sdp);
      if (type === 'offer') this.signaling.sendOffer(id, sdp);
      else this.signaling.sendAnswer(id, sdp);
    });
    pc.connect('ice_candidate_created', (mid, index, sdp) => this.signaling.sendCandidate(id, mid, index, sdp));
    this.mp.addPeer(pc, id);
    if (id < this.mp.getUniqueId()) pc.createOffer(); // So the lobby creator never creates offers.
  }
}
