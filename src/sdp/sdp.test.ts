import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromBase64 } from '../core/bytes/base64.js';
import { isParseError } from '../core/errors.js';
import {
  SignalingMachine,
  answerSetup,
  buildAnswer,
  buildOffer,
  fingerprintsChanged,
  isIceRestart,
  nextSignalingState,
  parseSdp,
  roleFromLocalAnswerSetup,
  roleFromRemoteAnswerSetup,
} from './index.js';
import type { DataChannelSdp, LocalMediaParams, SignalingAction, SignalingState } from './index.js';

const FP = { algorithm: 'sha-256', value: Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':') };
const local: LocalMediaParams = {
  ice: { ufrag: 'abcdEFGH', pwd: 'abcdefghijklmnopqrstuvwx', options: ['trickle'] },
  fingerprints: [FP],
  setup: 'actpass',
  sctpPort: 5000,
  maxMessageSize: 262144,
  candidates: ['candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host', 'a=candidate:2 1 udp 2130706175 ::1 50001 typ host'],
  endOfCandidates: true,
};
const session = { sessionId: '1234567890123456789', sessionVersion: 2 };

function ok(text: string): DataChannelSdp {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function errCode(text: string): string {
  const r = parseSdp(text);
  assert.equal(r.ok, false, 'expected a parse error');
  return r.ok ? '' : r.error.code;
}

test('offer: shape of protocol.md 5.2, CRLF, round trip', () => {
  const text = buildOffer(session, local);
  assert.ok(text.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  assert.match(text, /^v=0\r\no=- 1234567890123456789 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n/);
  assert.match(text, /\r\nm=application 9 UDP\/DTLS\/SCTP webrtc-datachannel\r\nc=IN IP4 0\.0\.0\.0\r\n/);
  assert.doesNotMatch(text, /sctp-init|sctpmap/);
  const dc = ok(text).dataChannel;
  assert.deepEqual(dc.ice, local.ice);
  assert.deepEqual(dc.fingerprints, [FP]);
  assert.equal(dc.setup, 'actpass');
  assert.equal(dc.maxMessageSize, 262144);
  assert.deepEqual(dc.candidates, ['candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host', 'candidate:2 1 udp 2130706175 ::1 50001 typ host']);
  assert.equal(dc.endOfCandidates, true);
  assert.equal(dc.mid, '0');
});

test('answer to a legacy offer is legacy; a=sctp-init in the offer is ignored and not echoed', () => {
  const aiortc = readFileSync(new URL('../../test/vectors/sdp/aiortc/offer.sdp', import.meta.url), 'utf8');
  const offer = ok(aiortc.replace('a=setup:actpass', 'a=setup:actpass\r\na=sctp-init:AAAAAAAA'));
  const text = buildAnswer(session, offer, { ...local, setup: answerSetup('actpass') as 'active' });
  assert.match(text, /m=application 9 DTLS\/SCTP 5000\r\n/);
  assert.match(text, /a=sctpmap:5000 webrtc-datachannel 1024\r\n/);
  assert.doesNotMatch(text, /sctp-init|sctp-port/);
  const back = ok(text).dataChannel;
  assert.equal(back.legacy, true);
  assert.equal(back.setup, 'active');
  assert.equal(back.mid, '0');
});

test('answer keeps m-line order and mids; other m-lines rejected with port 0', () => {
  const offerText = [
    'v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE a dc',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:a',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:dc',
    'a=ice-ufrag:wxyz', 'a=ice-pwd:0123456789012345678901', `a=fingerprint:sha-256 ${FP.value}`, 'a=setup:passive', '',
  ].join('\r\n');
  const offer = ok(offerText);
  assert.equal(offer.dataChannel.index, 1);
  assert.equal(offer.dataChannel.mid, 'dc');
  const answer = buildAnswer(session, offer, { ...local, setup: answerSetup(offer.dataChannel.setup) as 'active' });
  const mlines = answer.split('\r\n').filter((l) => l.startsWith('m='));
  assert.deepEqual(mlines, ['m=audio 0 UDP/TLS/RTP/SAVPF 111', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel']);
  const parsed = ok(answer);
  assert.equal(parsed.dataChannel.mid, 'dc');
  assert.equal(parsed.dataChannel.setup, 'active');
  assert.deepEqual(parsed.bundle, ['dc']);
  assert.deepEqual(parsed.sections[0], { index: 0, mid: 'a', media: 'audio', proto: 'UDP/TLS/RTP/SAVPF', formats: ['111'], rejected: true });
});

test('a rejected data m-line (port 0) is skipped for the next one; only rejected ones → error', () => {
  const base = buildOffer(session, local);
  const rejected = base.replace('m=application 9 ', 'm=application 0 ');
  assert.equal(errCode(rejected), 'sdp.no-datachannel');
  const two = rejected + base.slice(base.indexOf('m=application')).replace('a=mid:0', 'a=mid:1');
  assert.equal(ok(two).dataChannel.mid, '1');
  assert.equal(ok(base.replace('m=application 9 ', 'm=application 0 ').replace('a=mid:0', 'a=mid:0\r\na=bundle-only')).dataChannel.mid, '0');
});

test('max-message-size 0 means unlimited; ice-lite; LF-only lines', () => {
  const t = buildOffer(session, { ...local, maxMessageSize: 0 }).replace('s=-', 's=-\r\na=ice-lite').replace(/\r\n/g, '\n');
  const s = ok(t);
  assert.equal(s.dataChannel.maxMessageSize, Number.POSITIVE_INFINITY);
  assert.equal(s.iceLite, true);
  const huge = ok(buildOffer(session, local).replace('a=max-message-size:262144', 'a=max-message-size:9999999999999999'));
  assert.equal(huge.dataChannel.maxMessageSize, Number.MAX_SAFE_INTEGER, 'clamped to an exact integer');
});

test('a=x-dtls-multi-record: written when asked, read at media or session level, absent elsewhere', () => {
  const plain = buildOffer(session, local);
  assert.doesNotMatch(plain, /x-dtls-multi-record/);
  assert.equal(ok(plain).dataChannel.dtlsMultiRecord, false);
  const ours = buildOffer(session, { ...local, dtlsMultiRecord: true });
  assert.match(ours, /\r\na=setup:actpass\r\na=mid:0\r\na=x-dtls-multi-record\r\n/);
  assert.equal(ok(ours).dataChannel.dtlsMultiRecord, true);
  const answer = buildAnswer(session, ok(ours), { ...local, setup: 'active', dtlsMultiRecord: true });
  assert.equal(ok(answer).dataChannel.dtlsMultiRecord, true);
  const atSession = plain.replace('t=0 0\r\n', 't=0 0\r\na=x-dtls-multi-record\r\n');
  assert.equal(ok(atSession).dataChannel.dtlsMultiRecord, true);
});

test('a=x-early-dtls: written when asked, read at media or session level, absent elsewhere', () => {
  const plain = buildOffer(session, local);
  assert.doesNotMatch(plain, /x-early-dtls/);
  assert.equal(ok(plain).dataChannel.earlyDtls, false);
  const ours = buildOffer(session, { ...local, earlyDtls: true });
  assert.match(ours, /\r\na=x-early-dtls\r\n/);
  assert.equal(ok(ours).dataChannel.earlyDtls, true);
  const answer = buildAnswer(session, ok(ours), { ...local, setup: 'active', earlyDtls: true });
  assert.equal(ok(answer).dataChannel.earlyDtls, true);
  assert.equal(ok(plain.replace('t=0 0\r\n', 't=0 0\r\na=x-early-dtls\r\n')).dataChannel.earlyDtls, true);
});

test('a=x-dtls-record-limit: written when set, read as an integer 16384..65535 at media or session level', () => {
  const plain = buildOffer(session, local);
  assert.doesNotMatch(plain, /x-dtls-record-limit/);
  assert.equal(ok(plain).dataChannel.dtlsRecordLimit, undefined);
  const ours = buildOffer(session, { ...local, dtlsRecordLimit: 65000 });
  assert.match(ours, /\r\na=x-dtls-record-limit:65000\r\n/);
  assert.equal(ok(ours).dataChannel.dtlsRecordLimit, 65000);
  const answer = buildAnswer(session, ok(ours), { ...local, setup: 'active', dtlsRecordLimit: 65000 });
  assert.equal(ok(answer).dataChannel.dtlsRecordLimit, 65000);
  const at = (v: string, where = 'media'): number | undefined =>
    ok(where === 'media' ? plain.replace('a=mid:0\r\n', `a=mid:0\r\na=x-dtls-record-limit:${v}\r\n`) : plain.replace('t=0 0\r\n', `t=0 0\r\na=x-dtls-record-limit:${v}\r\n`)).dataChannel.dtlsRecordLimit;
  assert.equal(at('20000', 'session'), 20000);
  assert.equal(at('16384'), 16384);
  assert.equal(at('65535'), 65535);
  for (const bad of ['16383', '65536', '1200', '', 'x', '16640.5', '-16640', '0016640']) assert.equal(at(bad), undefined, `"${bad}" is ignored`);
});

test('typed errors with readable messages for bad SDP', () => {
  const good = buildOffer(session, local);
  const cases: Array<[string, string]> = [
    ['', 'sdp.empty'],
    ['hello', 'sdp.line'],
    ['v=1\r\n', 'sdp.version'],
    [good.replace(/o=.*\r\n/, ''), 'sdp.origin'],
    [good.replace('m=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'm=application x UDP/DTLS/SCTP webrtc-datachannel'), 'sdp.media.port'],
    [good.replace('m=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'm=application 9'), 'sdp.media'],
    [good.replace(/a=ice-ufrag:.*\r\n/, ''), 'sdp.ice.missing'],
    [good.replace('a=ice-ufrag:abcdEFGH', 'a=ice-ufrag:ab'), 'sdp.ice.ufrag'],
    [good.replace('a=ice-pwd:abcdefghijklmnopqrstuvwx', 'a=ice-pwd:short'), 'sdp.ice.pwd'],
    [good.replace(/a=fingerprint:.*\r\n/, ''), 'sdp.fingerprint.missing'],
    [good.replace(/a=fingerprint:sha-256 /, 'a=fingerprint:sha-256 ZZ'), 'sdp.fingerprint'],
    [good.replace('a=setup:actpass', 'a=setup:maybe'), 'sdp.setup'],
    [good.replace('a=sctp-port:5000', 'a=sctp-port:70000'), 'sdp.sctp-port'],
    [good.replace('a=max-message-size:262144', 'a=max-message-size:-1'), 'sdp.max-message-size'],
    [good.replace('UDP/DTLS/SCTP', 'RTP/AVP'), 'sdp.no-datachannel'],
    ['v=0\r\n' + 'x'.repeat(300 * 1024), 'sdp.too-large'],
  ];
  for (const [text, code] of cases) {
    const r = parseSdp(text);
    assert.equal(r.ok, false, code);
    if (!r.ok) {
      assert.equal(r.error.code, code);
      assert.ok(r.error.message.length > 10);
    }
  }
  assert.equal(parseSdp(42 as unknown as string).ok, false);
});

test('DTLS roles from a=setup (RFC 8842 / protocol.md 1.3)', () => {
  assert.equal(answerSetup('actpass'), 'active');
  assert.equal(answerSetup('passive'), 'active');
  assert.equal(answerSetup('active'), 'passive');
  assert.ok(isParseError(answerSetup('holdconn')));
  assert.equal(roleFromLocalAnswerSetup('active'), 'client');
  assert.equal(roleFromLocalAnswerSetup('passive'), 'server');
  assert.equal(roleFromRemoteAnswerSetup('active'), 'server');
  assert.equal(roleFromRemoteAnswerSetup('passive'), 'client');
  assert.ok(isParseError(roleFromRemoteAnswerSetup('actpass')));
});

test('ICE restart and fingerprint change detection', () => {
  const a = { ufrag: 'aaaa', pwd: 'p'.repeat(22), options: [] };
  assert.equal(isIceRestart(undefined, a), false);
  assert.equal(isIceRestart(a, { ...a, options: ['trickle'] }), false);
  assert.equal(isIceRestart(a, { ...a, ufrag: 'bbbb' }), true);
  assert.equal(isIceRestart(a, { ...a, pwd: 'q'.repeat(22) }), true);
  assert.equal(fingerprintsChanged([FP], [{ ...FP }]), false);
  assert.equal(fingerprintsChanged([FP], [{ ...FP, value: FP.value.replace(/^../, 'FF') }]), true);
  assert.equal(fingerprintsChanged([FP], []), true);
});

test('signaling table: offer/answer, pranswer, rollback, close', () => {
  const run = (actions: SignalingAction[]): SignalingState => {
    const m = new SignalingMachine();
    for (const a of actions) m.apply(a);
    return m.state;
  };
  assert.equal(run(['local-offer']), 'have-local-offer');
  assert.equal(run(['local-offer', 'remote-answer']), 'stable');
  assert.equal(run(['remote-offer', 'local-answer']), 'stable');
  assert.equal(run(['local-offer', 'remote-pranswer', 'remote-pranswer', 'remote-answer']), 'stable');
  assert.equal(run(['remote-offer', 'local-pranswer', 'local-answer']), 'stable');
  assert.equal(run(['local-offer', 'rollback']), 'stable');
  assert.equal(run(['remote-offer', 'rollback', 'local-offer']), 'have-local-offer');
  assert.equal(run(['remote-offer', 'close']), 'closed');
  assert.equal(nextSignalingState('stable', 'rollback'), undefined);
  assert.equal(nextSignalingState('stable', 'remote-answer'), undefined);
  assert.equal(nextSignalingState('have-local-offer', 'remote-offer'), undefined);
  assert.equal(nextSignalingState('have-local-pranswer', 'rollback'), undefined);
  assert.equal(nextSignalingState('closed', 'local-offer'), undefined);
  const m = new SignalingMachine();
  assert.throws(() => m.apply('local-answer'), (e: unknown) => (e as { code?: string }).code === 'jsep.state');
  assert.equal(m.state, 'stable');
});

test('property: any text gives a value or a typed sdp.* error, never a throw', () => {
  const good = buildOffer(session, local);
  const lines = good.split('\r\n');
  const mutated = fc
    .array(fc.tuple(fc.nat(lines.length), fc.oneof(fc.string(), fc.constantFrom('a=setup:', 'm=application', 'a=fingerprint:x', 'a=max-message-size:0', 'c=IN', 'o=-', 'a=candidate:'))), { maxLength: 6 })
    .map((edits) => {
      const l = [...lines];
      for (const [i, s] of edits) l.splice(i, (i & 1) === 1 ? 1 : 0, s);
      return l.join('\r\n');
    });
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }), mutated), (text) => {
      const r = parseSdp(text);
      if (!r.ok) assert.ok(isParseError(r.error) && r.error.code.startsWith('sdp.'));
      else assert.equal(typeof r.value.dataChannel.ice.ufrag, 'string');
    }),
    { numRuns: 2000 },
  );
});

test('property: build → parse round trip for generated parameters', () => {
  const iceString = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'ABCXYZabcxyz0189+/'), minLength: min, maxLength: max });
  fc.assert(
    fc.property(iceString(4, 32), iceString(22, 64), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.boolean(), (ufrag, pwd, port, mms, eoc) => {
      const p = { ...local, ice: { ufrag, pwd, options: ['trickle'] }, sctpPort: port, maxMessageSize: mms, endOfCandidates: eoc };
      const dc = ok(buildOffer(session, p)).dataChannel;
      assert.deepEqual([dc.ice, dc.sctpPort, dc.maxMessageSize, dc.endOfCandidates], [p.ice, port, mms, eoc]);
    }),
    { numRuns: 300 },
  );
});

test('a=sctp-init (SNAP): written as base64 when set, read back as bytes; bad base64 or oversize values are ignored', () => {
  // draft-hancke-tsvwg-snap §4.1's example value
  const value = 'AQAAHols3R0AUAAA/////+B5ZR3AAAAEgAgABoLA';
  const bytes = fromBase64(value) as Uint8Array;
  const plain = buildOffer(session, local);
  assert.equal(ok(plain).dataChannel.sctpInit, undefined);
  const ours = buildOffer(session, { ...local, sctpInit: bytes });
  assert.match(ours, /\r\na=sctp-init:AQAAHols3R0AUAAA\/\/\/\/\/\+B5ZR3AAAAEgAgABoLA\r\n/);
  assert.deepEqual(ok(ours).dataChannel.sctpInit, bytes);
  const answer = buildAnswer(session, ok(ours), { ...local, setup: 'active' });
  assert.doesNotMatch(answer, /sctp-init/, 'never echoed: only written when the stack sets its own');
  for (const bad of ['AQAAHols3R0AUAAA/////+B5ZR3AAAAEgAgABoL', 'AQAA Hols', '!!!!', '', 'A'.repeat(4 * 683 + 4)]) {
    const t = plain.replace('a=mid:0', `a=mid:0\r\na=sctp-init:${bad}`);
    assert.equal(ok(t).dataChannel.sctpInit, undefined, bad.slice(0, 20));
  }
  // session level is not where it goes (a media attribute): ignored there
  assert.equal(ok(plain.replace('t=0 0\r\n', `t=0 0\r\na=sctp-init:${value}\r\n`)).dataChannel.sctpInit, undefined);
});
