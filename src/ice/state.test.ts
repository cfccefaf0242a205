import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRtcError } from '../core/errors.js';
import { isParseError } from '../core/errors.js';
import type { IceConnectionState, IceTransition } from './state.js';
import { ICE_TRANSITIONS, IceStateMachine, iceStateMermaid } from './state.js';
import { parseStunUrl } from './stun-url.js';

test('the transition table: closed is terminal and reachable from everywhere; targets are states', () => {
  const states = Object.keys(ICE_TRANSITIONS) as IceConnectionState[];
  for (const s of states) {
    for (const t of ICE_TRANSITIONS[s]) assert.ok(states.includes(t));
    if (s !== 'closed') assert.ok(ICE_TRANSITIONS[s].includes('closed'), s);
  }
  assert.deepEqual(ICE_TRANSITIONS.closed, []);
});

test('the machine reports legal moves and throws an InternalError on illegal ones', () => {
  const seen: IceTransition[] = [];
  const m = new IceStateMachine((t) => seen.push(t));
  m.transition('checking', 'x');
  m.transition('checking', 'again');
  m.transition('connected', 'y');
  assert.deepEqual(seen.map((t) => t.to), ['checking', 'connected']);
  assert.throws(() => m.transition('new', 'z'), (e) => isRtcError(e) && e.kind === 'internal');
  m.transition('closed', 'bye');
  assert.throws(() => m.transition('checking', 'z'));
});

test('stun: URLs (RFC 7064)', () => {
  assert.deepEqual(parseStunUrl('stun:198.18.0.1'), { secure: false, host: '198.18.0.1', port: 3478, literal: true });
  assert.deepEqual(parseStunUrl('stun:stun.l.google.com:19302'), { secure: false, host: 'stun.l.google.com', port: 19302, literal: false });
  assert.deepEqual(parseStunUrl('stuns:[2001:db8::1]:5350'), { secure: true, host: '2001:db8::1', port: 5350, literal: true });
  assert.equal(parseStunUrl('STUNS:example.org').port, 5349);
  for (const bad of ['turn:x', 'stun:', 'stun:host:0', 'stun:host:99999', 'stun:[::1', 'http://x']) {
    assert.throws(() => parseStunUrl(bad), (e) => isParseError(e), bad);
  }
});

test('the Mermaid diagram in state.ts is the one generated from ICE_TRANSITIONS', async () => {
  const { readFileSync } = await import('node:fs');
  const src = readFileSync(new URL('./state.ts', import.meta.url), 'utf8');
  const block = /```mermaid\n([\s\S]*?)\n \* ```/.exec(src)?.[1] ?? '';
  const doc = block.split('\n').map((l) => l.replace(/^ \*\s+/, '')).join('\n');
  assert.equal(doc, iceStateMermaid());
});
