import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rng } from '../../core/rng.js';
import { GodotError } from '../../facade/godot-errors.js';
import type { ChannelOptions } from './channels.js';
import { ConnectionStatus, TransferMode } from './enums.js';
import { WebRTCMultiplayerPeer, type MpChannel, type MpConnection } from './multiplayer-peer.js';

class FakeChannel implements MpChannel {
  state = 0; // CONNECTING
  readonly incoming: Uint8Array[] = [];
  readonly sent: Uint8Array[] = [];
  private err = 0;
  constructor(readonly label: string, readonly options: ChannelOptions) {}
  getReadyState(): number { return this.state; }
  getAvailablePacketCount(): number { return this.incoming.length; }
  getPacket(): Uint8Array {
    const p = this.incoming.shift();
    this.err = p ? 0 : 2;
    return p ?? new Uint8Array(0);
  }
  getPacketError(): number { return this.err; }
  putPacket(data: Uint8Array): number {
    if (this.state !== 1) return GodotError.ERR_UNCONFIGURED;
    this.sent.push(data);
    return GodotError.OK;
  }
}

class FakeConnection implements MpConnection<FakeChannel> {
  state = 0; // NEW
  polls = 0;
  closed = false;
  readonly channels: FakeChannel[] = [];
  poll(): number { this.polls++; return 0; }
  getConnectionState(): number { return this.state; }
  createDataChannel(label: string, options: ChannelOptions): FakeChannel {
    const c = new FakeChannel(label, options);
    this.channels.push(c);
    return c;
  }
  close(): void { this.closed = true; this.state = 5; }
  /** Connected with every channel open. */
  open(): void {
    this.state = 2;
    for (const c of this.channels) c.state = 1;
  }
}

type Mp = WebRTCMultiplayerPeer<FakeChannel, FakeConnection>;

function recorder(mp: Mp): string[] {
  const events: string[] = [];
  mp.connect('peer_connected', (id) => events.push(`+${id}`));
  mp.connect('peer_disconnected', (id) => events.push(`-${id}`));
  return events;
}

function meshWith(ids: number[]): { mp: Mp; conns: Map<number, FakeConnection> } {
  const mp: Mp = new WebRTCMultiplayerPeer();
  assert.equal(mp.createMesh(ids[0] ?? 1), GodotError.OK);
  const conns = new Map<number, FakeConnection>();
  for (const id of ids.slice(1)) {
    const c = new FakeConnection();
    assert.equal(mp.addPeer(c, id), GodotError.OK);
    conns.set(id, c);
  }
  return { mp, conns };
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('WebRTCMultiplayerPeer (Godot semantics, fake connections)', () => {
  it('initialisation: ids, modes, status and relay support as Godot', () => {
    const mp: Mp = new WebRTCMultiplayerPeer();
    assert.equal(mp.getConnectionStatus(), ConnectionStatus.CONNECTION_DISCONNECTED);
    assert.equal(mp.getUniqueId(), 1, 'Godot returns 1 (with an error) when disconnected');
    assert.equal(mp.createClient(1), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.createMesh(0), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.createMesh(0x8000_0000), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.createMesh(5, [TransferMode.TRANSFER_MODE_RELIABLE, 7]), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.createMesh(5, ['2']), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.createClient(7), GodotError.OK);
    assert.equal(mp.getConnectionStatus(), ConnectionStatus.CONNECTION_CONNECTING);
    assert.ok(mp.isServerRelaySupported());
    assert.equal(mp.createServer(), GodotError.OK);
    assert.equal(mp.getConnectionStatus(), ConnectionStatus.CONNECTION_CONNECTED);
    assert.equal(mp.getUniqueId(), 1);
    assert.ok(mp.isServer());
    assert.equal(mp.createMesh(0x7fff_ffff), GodotError.OK);
    assert.ok(!mp.isServerRelaySupported());
    assert.ok(!mp.isServer());
    assert.equal(mp.getMaxPacketSize(), 1200);
  });

  it('add_peer: every check in Godot order, then the channel layout with the lifetime key the back ends read', () => {
    const mp: Mp = new WebRTCMultiplayerPeer();
    assert.equal(mp.addPeer(new FakeConnection(), 2), GodotError.ERR_UNCONFIGURED);
    mp.createClient(5);
    assert.equal(mp.addPeer(new FakeConnection(), 2), GodotError.ERR_INVALID_PARAMETER);
    mp.createServer();
    assert.equal(mp.addPeer(new FakeConnection(), 1), GodotError.ERR_INVALID_PARAMETER);
    mp.createMesh(1, [TransferMode.TRANSFER_MODE_UNRELIABLE, TransferMode.TRANSFER_MODE_RELIABLE, TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED]);
    assert.equal(mp.addPeer(new FakeConnection(), 0), GodotError.ERR_INVALID_PARAMETER);
    assert.equal(mp.addPeer(new FakeConnection(), 2, -1), GodotError.ERR_INVALID_PARAMETER);
    mp.refuseNewConnections = true;
    assert.equal(mp.addPeer(new FakeConnection(), 2), GodotError.ERR_UNAUTHORIZED);
    mp.refuseNewConnections = false;
    assert.equal(mp.addPeer(null, 2), GodotError.ERR_INVALID_PARAMETER);
    const busy = new FakeConnection();
    busy.state = 1;
    assert.equal(mp.addPeer(busy, 2), GodotError.ERR_INVALID_PARAMETER);
    const c = new FakeConnection();
    assert.equal(mp.addPeer(c, 2, 250), GodotError.OK);
    assert.deepEqual(c.channels.map((ch) => [ch.label, ch.options]), [
      ['reliable', { id: 1, negotiated: true, ordered: true }],
      ['ordered', { id: 2, negotiated: true, ordered: true, maxPacketLifeTime: 250 }],
      ['unreliable', { id: 3, negotiated: true, ordered: false, maxPacketLifeTime: 250 }],
      ['4', { id: 4, negotiated: true, ordered: false, maxPacketLifeTime: 1 }],
      ['5', { id: 5, negotiated: true, ordered: true }],
      ['6', { id: 6, negotiated: true, ordered: true, maxPacketLifeTime: 1 }],
    ]);
    assert.ok(mp.hasPeer(2));
    assert.equal(mp.getPeer(2)?.channels.length, 6);
    assert.equal(mp.getPeer(2)?.connected, false);
    assert.equal(mp.getPeer(3), undefined);
  });

  it('poll: announces a peer once all channels are open, removes it when its connection or a channel fails', () => {
    const { mp, conns } = meshWith([1, 2, 3]);
    const events = recorder(mp);
    const c2 = conns.get(2) as FakeConnection;
    const c3 = conns.get(3) as FakeConnection;
    mp.poll();
    assert.deepEqual(events, []);
    c2.state = 2; // connected, channels still connecting
    mp.poll();
    assert.deepEqual(events, []);
    c2.open();
    c3.open();
    mp.poll();
    mp.poll();
    assert.deepEqual(events, ['+2', '+3']);
    assert.equal(c2.polls, 4, 'poll() polls every connection');
    c2.state = 3; // DISCONNECTED is fatal in Godot
    (c3.channels[4] ?? c3.channels[1])!.state = 3; // a closed channel removes the peer too
    mp.poll();
    assert.deepEqual(events, ['+2', '+3', '-2', '-3']);
    assert.ok(!mp.hasPeer(2) && !mp.hasPeer(3));
  });

  it('client mode: CONNECTED and peer_connected(1) when the server is up; DISCONNECTED when it goes', () => {
    const mp: Mp = new WebRTCMultiplayerPeer();
    const events = recorder(mp);
    mp.createClient(9);
    const server = new FakeConnection();
    mp.addPeer(server, 1);
    server.open();
    mp.poll();
    assert.deepEqual(events, ['+1']);
    assert.equal(mp.getConnectionStatus(), ConnectionStatus.CONNECTION_CONNECTED);
    mp.removePeer(1);
    assert.deepEqual(events, ['+1', '-1']);
    assert.equal(mp.getConnectionStatus(), ConnectionStatus.CONNECTION_DISCONNECTED);
    assert.equal(mp.putPacket(bytes(1)), GodotError.ERR_UNCONFIGURED);
  });

  it('reads round-robin over connected peers, first channel with data, with sender, channel and mode', () => {
    const { mp, conns } = meshWith([1, 2, 3, 4], );
    mp.createMesh(1, [TransferMode.TRANSFER_MODE_UNRELIABLE]);
    const c5 = new FakeConnection();
    mp.addPeer(c5, 5);
    for (const c of [...conns.values(), c5]) c.open();
    mp.poll();
    const ch = (id: number, i: number): FakeChannel => (id === 5 ? c5 : (conns.get(id) as FakeConnection)).channels[i] as FakeChannel;
    assert.equal(mp.getAvailablePacketCount(), 0);
    assert.equal(mp.getPacket().length, 0);
    assert.equal(mp.getPacketError(), GodotError.ERR_UNAVAILABLE);
    ch(2, 0).incoming.push(bytes(20), bytes(21));
    ch(3, 2).incoming.push(bytes(32));
    ch(5, 3).incoming.push(bytes(53));
    const notAnnounced = new FakeConnection();
    mp.addPeer(notAnnounced, 6);
    notAnnounced.channels[0]?.incoming.push(bytes(60));
    mp.poll();
    assert.equal(mp.getAvailablePacketCount(), 4, 'packets of a peer not yet announced are not counted');
    const got: [number, number, number, number][] = [];
    while (mp.getAvailablePacketCount() > 0) {
      const p = mp.getPacket();
      got.push([p[0] as number, mp.getPacketPeer(), mp.getPacketChannel(), mp.getPacketMode()]);
    }
    // Note: Godot's getters describe the NEXT selected packet after get_packet; callers read them
    // before get_packet, as SceneMultiplayer does. Check the read order and payloads here.
    assert.deepEqual(got.map((g) => g[0]), [20, 32, 53, 21]);
  });

  it('packet metadata read before get_packet names the packet about to be read', () => {
    const { mp, conns } = meshWith([1, 2]);
    mp.createMesh(1, [TransferMode.TRANSFER_MODE_UNRELIABLE]);
    const c = new FakeConnection();
    mp.addPeer(c, 7);
    void conns;
    c.open();
    mp.poll();
    c.channels[3]?.incoming.push(bytes(1));
    c.channels[1]?.incoming.push(bytes(2));
    mp.poll();
    assert.deepEqual([mp.getPacketPeer(), mp.getPacketChannel(), mp.getPacketMode()], [7, 0, TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED]);
    assert.deepEqual([...mp.getPacket()], [2]);
    assert.deepEqual([mp.getPacketPeer(), mp.getPacketChannel(), mp.getPacketMode()], [7, 1, TransferMode.TRANSFER_MODE_UNRELIABLE]);
    assert.deepEqual([...mp.getPacket()], [1]);
  });

  it('put_packet: channel by transfer mode or transfer channel; target, broadcast and exclusion', () => {
    const { mp, conns } = meshWith([1, 2, 3, 4]);
    for (const c of conns.values()) c.open();
    mp.poll();
    const sentOn = (id: number): number[] => (conns.get(id) as FakeConnection).channels.map((c) => c.sent.length);
    assert.equal(mp.putPacket(new Uint8Array(0)), GodotError.OK);
    mp.setTargetPeer(2);
    assert.equal(mp.putPacket(bytes(1)), GodotError.OK);
    mp.transferMode = TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED;
    mp.putPacket(bytes(1));
    mp.transferMode = TransferMode.TRANSFER_MODE_UNRELIABLE;
    mp.putPacket(bytes(1));
    assert.deepEqual(sentOn(2), [1, 1, 1]);
    mp.transferChannel = 1; // index 3: no extra channels configured
    assert.equal(mp.putPacket(bytes(1)), GodotError.ERR_INVALID_PARAMETER);
    mp.transferChannel = 0;
    mp.setTargetPeer(99);
    assert.equal(mp.putPacket(bytes(1)), GodotError.ERR_INVALID_PARAMETER);
    mp.setTargetPeer(-3);
    mp.transferMode = TransferMode.TRANSFER_MODE_RELIABLE;
    assert.equal(mp.putPacket(bytes(1)), GodotError.OK);
    assert.deepEqual([sentOn(2)[0], sentOn(3)[0], sentOn(4)[0]], [2, 0, 1]);
    mp.setTargetPeer(0);
    const late = new FakeConnection();
    mp.addPeer(late, 8);
    assert.equal(mp.putPacket(bytes(1)), GodotError.OK, 'broadcast ignores per-peer errors (peer 8 not open)');
    assert.deepEqual([sentOn(2)[0], sentOn(3)[0], sentOn(4)[0]], [3, 1, 2]);
  });

  it('disconnect_peer: force forgets silently; otherwise closes and the next poll reports it; close() is silent', () => {
    const { mp, conns } = meshWith([1, 2, 3]);
    const events = recorder(mp);
    for (const c of conns.values()) c.open();
    mp.poll();
    mp.disconnectPeer(2, true);
    assert.ok(!mp.hasPeer(2));
    mp.disconnectPeer(3);
    assert.ok((conns.get(3) as FakeConnection).closed);
    mp.poll();
    assert.deepEqual(events, ['+2', '+3', '-3']);
    const again = meshWith([1, 2]);
    const ev2 = recorder(again.mp);
    again.conns.get(2)?.open();
    again.mp.poll();
    again.mp.close();
    assert.deepEqual(ev2, ['+2']);
    assert.equal(again.mp.getConnectionStatus(), ConnectionStatus.CONNECTION_DISCONNECTED);
    assert.ok(!again.mp.hasPeer(2));
  });

  it('put_var / get_var carry Godot Variants (PacketPeer)', () => {
    const { mp, conns } = meshWith([1, 2]);
    const c = conns.get(2) as FakeConnection;
    c.open();
    mp.poll();
    assert.equal(mp.putVar({ type: 'Vector2', x: 5, y: 5.5 }), GodotError.OK);
    assert.deepEqual([...(c.channels[0]?.sent[0] ?? [])], [5, 0, 0, 0, 0, 0, 0xa0, 0x40, 0, 0, 0xb0, 0x40]);
    c.channels[0]?.incoming.push(Uint8Array.from([2, 0, 0, 0, 42, 0, 0, 0]), Uint8Array.from([0xff, 0, 0, 0]));
    mp.poll();
    assert.deepEqual(mp.getVar(), { error: GodotError.OK, value: 42 });
    assert.deepEqual(mp.getVar(), { error: GodotError.ERR_INVALID_DATA, value: null });
    assert.deepEqual(mp.getVar(), { error: GodotError.ERR_UNAVAILABLE, value: null });
  });

  it('generate_unique_id never returns 0 or 1 and stays within 31 bits', () => {
    const values = [0, 1, 0x8000_0001, 0x8000_0000, 0xffff_ffff];
    let i = 0;
    const rng: Rng = { u32: () => values[i++] as number, bytes: (n) => new Uint8Array(n) };
    const mp: Mp = new WebRTCMultiplayerPeer({ rng });
    assert.equal(mp.generateUniqueId(), 0x7fff_ffff);
  });
});
