import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivePeerConnectionState } from './connection-state.js';
import type { TransportStates } from './connection-state.js';

const base: TransportStates = { closed: false, ice: 'new', dtls: 'new', negotiating: false };

test('peer-connection state from the transports (W3C RTCPeerConnectionState rules)', () => {
  const cases: Array<[Partial<TransportStates>, string]> = [
    [{}, 'new'],
    [{ negotiating: true }, 'connecting'],
    [{ ice: 'checking' }, 'connecting'],
    [{ ice: 'connected', dtls: 'connecting' }, 'connecting'],
    [{ ice: 'connected', dtls: 'connected' }, 'connected'],
    [{ ice: 'completed', dtls: 'connected' }, 'connected'],
    [{ ice: 'disconnected', dtls: 'connected' }, 'disconnected'],
    [{ ice: 'failed', dtls: 'connected' }, 'failed'],
    [{ ice: 'connected', dtls: 'failed' }, 'failed'],
    [{ ice: 'connected', dtls: 'closed' }, 'closed'],
    [{ closed: true, ice: 'failed' }, 'closed'],
  ];
  for (const [s, want] of cases) assert.equal(derivePeerConnectionState({ ...base, ...s }), want, JSON.stringify(s));
});
