/**
 * Shared pieces of the demo tests: the demo program's command line (run from src/ through tsx),
 * parsing its start-up lines, and a Node peer (rtcpeer MultiplayerClient) that talks the demo's
 * chat/ping protocol.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../src/core/logger.js';
import { WebRTCPeerConnection } from '../../src/facade/index.js';
import { nodeBinding } from '../../src/facade/node-binding.js';
import { TransferMode } from '../../src/godot/multiplayer/enums.js';
import { MultiplayerClient } from '../../src/signaling/multiplayer-client.js';

export const DEMO_SCRIPT = fileURLToPath(new URL('../../examples/demo/demo.mjs', import.meta.url));

/** argv (after the node binary) that runs the demo from the sources on the given options. */
export function demoArgs(extra: readonly string[]): string[] {
  return ['--import', 'tsx', DEMO_SCRIPT, ...extra];
}

/** Environment for the demo child: run from src/ (no build needed). */
export function demoEnv(): NodeJS.ProcessEnv {
  return { ...process.env, RTCPEER_DEMO_SOURCE: '1' };
}

export interface DemoInfo {
  readonly wsUrl: string;
  readonly pageUrl: string;
  readonly lobby: string;
}

/** Reads the demo's start-up lines; undefined until all three are printed. */
export function parseDemoOutput(out: string): DemoInfo | undefined {
  const ws = /signaling\s+(ws:\/\/\S+)/.exec(out)?.[1];
  const lobby = /mesh lobby "([^"]+)"/.exec(out)?.[1];
  const page = /open\s+(http:\/\/\S+)/.exec(out)?.[1];
  return ws && lobby && page ? { wsUrl: ws, pageUrl: page, lobby } : undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface Received {
  readonly from: number;
  readonly channel: number;
  readonly mode: number;
  readonly msg: { readonly t?: string; readonly text?: string; readonly n?: number; readonly ts?: number };
}

/** A Node peer of the demo: MultiplayerClient on loopback, collecting every packet it receives. */
export class DemoPeer {
  readonly mc: MultiplayerClient;
  readonly got: Received[] = [];
  readonly connected: number[] = [];

  constructor(logger: Logger, address = '127.0.0.1') {
    const env = nodeBinding({ addresses: [address] });
    this.mc = new MultiplayerClient({ createConnection: () => new WebRTCPeerConnection({ env, logger }), logger });
    this.mc.mp.connect('peer_connected', (id) => this.connected.push(id));
  }

  poll(): void {
    const mp = this.mc.mp;
    this.mc.poll();
    while (mp.getAvailablePacketCount() > 0) {
      const from = mp.getPacketPeer();
      const channel = mp.getPacketChannel();
      const mode = mp.getPacketMode();
      this.got.push({ from, channel, mode, msg: JSON.parse(dec.decode(mp.getPacket())) as Received['msg'] });
    }
  }

  send(to: number, mode: TransferMode, msg: object): number {
    const mp = this.mc.mp;
    mp.setTargetPeer(to);
    mp.transferMode = mode;
    return mp.putPacket(enc.encode(JSON.stringify(msg)));
  }

  /** Polls until `done` holds, failing after `ms`. */
  async until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      this.poll();
      if (done()) return;
      await delay(3);
    }
    assert.fail(`timed out: ${what}`);
  }

  chats(from: number): string[] {
    return this.got.filter((r) => r.from === from && r.msg.t === 'chat').map((r) => r.msg.text ?? '');
  }
}

export { TransferMode };
