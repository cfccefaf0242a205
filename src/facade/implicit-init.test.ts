// The constructor's implicit initialize({}) (Godot: a new peer connection is already initialized)
// is done at first use: `new` + `initialize(config)`, the usual flow, builds one stack and attaches
// one transport (one set of UDP sockets with the node binding), not two (issue 6 setup time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../core/logger.js';
import type { LogRecord } from '../core/logger.js';
import { fakeLayers } from '../../test/scenarios/stack/doubles.js';
import { TestNet } from '../../test/scenarios/stack/test-net.js';
import type { StackBinding } from './binding.js';
import { GodotError } from './godot-errors.js';
import { WebRTCPeerConnection } from './peer-connection.js';

function counting(): { env: StackBinding; made: { stacks: number; attached: number; closed: number } } {
  const inner = new TestNet().binding('p', fakeLayers);
  const made = { stacks: 0, attached: 0, closed: 0 };
  const env: StackBinding = {
    now: () => inner.now(),
    createStack: (config, logger) => {
      made.stacks++;
      return inner.createStack(config, logger);
    },
    attach: (stack, onEvent, onActivity) => {
      made.attached++;
      const t = inner.attach(stack, onEvent, onActivity);
      return { pump: () => t.pump(), close: () => (made.closed++, t.close()) };
    },
  };
  return { env, made };
}

test('new + initialize(config) builds one stack and one transport', () => {
  const { env, made } = counting();
  const pc = new WebRTCPeerConnection({ env });
  assert.equal(pc.initialize({ iceServers: [] }), GodotError.OK);
  assert.equal(pc.createOffer(), GodotError.OK);
  assert.deepEqual(made, { stacks: 1, attached: 1, closed: 0 });
});

test('without initialize() the first use builds the implicit {} connection, once', () => {
  const { env, made } = counting();
  const pc = new WebRTCPeerConnection({ env });
  assert.equal(made.stacks, 0, 'nothing built before it is needed');
  assert.equal(pc.getConnectionState(), WebRTCPeerConnection.STATE_NEW);
  assert.equal(pc.getSignalingState(), WebRTCPeerConnection.SIGNALING_STATE_STABLE);
  assert.ok(pc.createDataChannel('x'));
  let offer = '';
  pc.connect('session_description_created', (_t: string, sdp: string) => void (offer = sdp));
  assert.equal(pc.createOffer(), GodotError.OK);
  assert.equal(pc.poll(), GodotError.OK);
  assert.match(offer, /^v=0/);
  assert.deepEqual(made, { stacks: 1, attached: 1, closed: 0 });
});

test('a refused initialize() keeps the implicit connection; close() of an unused one reports closed without errors', () => {
  const { env, made } = counting();
  const logs: LogRecord[] = [];
  const pc = new WebRTCPeerConnection({ env, logger: createLogger((r) => logs.push(r), 'debug') });
  assert.equal(pc.initialize({ iceTransportPolicy: 'nope' }), GodotError.ERR_INVALID_PARAMETER);
  assert.equal(pc.getConnectionState(), WebRTCPeerConnection.STATE_NEW);
  const other = new WebRTCPeerConnection({ env, logger: createLogger((r) => logs.push(r), 'debug') });
  other.close();
  assert.equal(other.getConnectionState(), WebRTCPeerConnection.STATE_CLOSED);
  assert.equal(other.createOffer(), GodotError.FAILED);
  assert.equal(logs.filter((r) => r.level === 'error').length, 2, logs.map((r) => r.msg).join(' | '));
  assert.equal(made.closed, 1);
});
