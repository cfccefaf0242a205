/**
 * A signaling lobby (server.js `Lobby`, ws_webrtc_server.gd `Lobby`): a host, members in join order,
 * mesh or client/server, sealed or not. Pure data plus the pairing rule; the server core sends.
 */
export interface LobbyMember {
  /** The member's real (server-assigned) id. */
  readonly id: number;
  readonly conn: number;
}

export class Lobby {
  readonly members: LobbyMember[] = [];
  sealed = false;

  constructor(
    readonly name: string,
    /** Real id of the creator; it is presented to everyone (itself included) as 1. */
    readonly hostId: number,
    readonly mesh: boolean,
  ) {}

  /** The id others see for `realId`: the host is always 1 (server.js getPeerId). */
  presented(realId: number): number {
    return realId === this.hostId ? 1 : realId;
  }

  /** The real id behind a destination id, where 1 means the host (server.js relay). */
  resolve(destId: number): LobbyMember | undefined {
    const real = destId === 1 ? this.hostId : destId;
    return this.members.find((m) => m.id === real);
  }

  /**
   * Whether two members are told about each other. Mesh: everyone. Client/server: only host ↔ client,
   * the GDScript reference rule ("Only host is visible when using client-server"), so a client's
   * WebRTCMultiplayerPeer in client mode never sees an add_peer for a non-1 id.
   */
  paired(a: number, b: number): boolean {
    return this.mesh || a === this.hostId || b === this.hostId;
  }

  /** Members paired with `id`, other than itself. */
  partnersOf(id: number): LobbyMember[] {
    return this.members.filter((m) => m.id !== id && this.paired(m.id, id));
  }

  remove(id: number): boolean {
    const i = this.members.findIndex((m) => m.id === id);
    if (i < 0) return false;
    this.members.splice(i, 1);
    return true;
  }
}
