import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCandidate, formatMessage, parseCandidate, parseClientMessage, parseServerMessage } from './protocol.js';

describe('signaling protocol frames', () => {
  it('formats every frame with all three keys, data defaulting to ""', () => {
    assert.equal(formatMessage(7, 0), '{"type":7,"id":0,"data":""}');
    assert.equal(formatMessage(1, 1, 'true'), '{"type":1,"id":1,"data":"true"}');
  });

  it('parses client frames like server.js: floored numbers, non-string data as ""', () => {
    assert.deepEqual(parseClientMessage('{"type":4.9,"id":2.5,"data":"x"}'), { type: 4, id: 2, data: 'x' });
    assert.deepEqual(parseClientMessage('{"type":0,"id":0}'), { type: 0, id: 0, data: '' });
    assert.deepEqual(parseClientMessage('{"type":0,"id":0,"data":5}'), { type: 0, id: 0, data: '' });
    for (const bad of ['', '[]', 'null', '{"type":"0","id":0}', '{"type":0}', '{"type":-1,"id":0}', '{"type":1e400,"id":0}']) {
      assert.equal(parseClientMessage(bad), undefined, bad);
    }
  });

  it('parses server frames like ws_webrtc_client.gd: type and id present, data a string', () => {
    assert.deepEqual(parseServerMessage('{"type":2,"id":123,"data":""}'), { type: 2, id: 123, data: '' });
    assert.equal(parseServerMessage('{"type":2,"id":123}'), undefined);
    assert.equal(parseServerMessage('{"id":1,"data":""}'), undefined);
  });

  it('relays candidates as "\\n<mid>\\n<index>\\n<sdp>" and reads them back as the demo does', () => {
    const data = formatCandidate('0', 0, 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host');
    assert.equal(data, '\n0\n0\ncandidate:1 1 udp 2122260223 127.0.0.1 54321 typ host');
    assert.deepEqual(parseCandidate(data), { mid: '0', index: 0, sdp: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host' });
    assert.equal(parseCandidate('\n0\nx\nc'), undefined, 'index must be an int');
    assert.equal(parseCandidate('\n0\n0'), undefined, 'three parts');
    assert.deepEqual(parseCandidate('data\n\n1\n\nsdp'), { mid: 'data', index: 1, sdp: 'sdp' }, 'empty parts are dropped');
  });

  it('round-trips candidates whose parts have no newline', () => {
    const part = fc.string({ minLength: 1 }).filter((s) => !s.includes('\n'));
    fc.assert(fc.property(part, fc.nat(), part, (mid, index, sdp) => {
      assert.deepEqual(parseCandidate(formatCandidate(mid, index, sdp)), { mid, index, sdp });
    }));
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      parseClientMessage(text);
      parseServerMessage(text);
      parseCandidate(text);
    }), { numRuns: 1000 });
  });
});
