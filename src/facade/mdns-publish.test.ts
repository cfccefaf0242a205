import { test } from 'node:test';
import assert from 'node:assert/strict';
import { obfuscateCandidate, publishCandidatesOverMdns } from './mdns-publish.js';
import type { IcePort, IcePortEvent } from '../stack/ports.js';

const NAME = '8b5c7f2a-1d3e-4f60-a7b8-c9d0e1f2a3b4.local';
const publish = (a: string): string | undefined => (a === '198.18.5.2' ? NAME : undefined);

test('a host candidate is signalled under its published name, the rest of the line unchanged', () => {
  assert.equal(
    obfuscateCandidate('candidate:1 1 udp 2122260223 198.18.5.2 50000 typ host generation 0', publish),
    `candidate:1 1 udp 2122260223 ${NAME} 50000 typ host generation 0`,
  );
});

test('an address without a published name keeps its literal (the responder is full or refused it)', () => {
  const line = 'candidate:1 1 udp 2122260223 198.18.9.9 50000 typ host';
  assert.equal(obfuscateCandidate(line, publish), line);
});

test('srflx and relay candidates hide their related (host) address, as browsers do', () => {
  assert.equal(
    obfuscateCandidate('candidate:2 1 udp 1686052607 198.19.1.1 40000 typ srflx raddr 198.18.5.2 rport 50000', publish),
    'candidate:2 1 udp 1686052607 198.19.1.1 40000 typ srflx raddr 0.0.0.0 rport 0',
  );
  assert.equal(obfuscateCandidate('candidate:3 1 udp 41885439 2001:db8::1 3478 typ relay raddr 2001:db8::2 rport 9', publish), 'candidate:3 1 udp 41885439 2001:db8::1 3478 typ relay raddr :: rport 0');
});

test('lines that do not parse pass through untouched', () => {
  assert.equal(obfuscateCandidate('candidate:garbage', publish), 'candidate:garbage');
});

test('the wrapped ICE port rewrites candidate events only and delegates everything else', () => {
  const events: IcePortEvent[] = [{ type: 'candidate', candidate: 'candidate:1 1 udp 1 198.18.5.2 1 typ host' }, { type: 'gathering-complete' }];
  const calls: string[] = [];
  const inner = {
    localUfrag: 'uf', localPwd: 'pw',
    pollEvent: () => events.shift(),
    send: () => (calls.push('send'), true),
    addRemoteCandidate: () => (calls.push('remote'), true),
  } as unknown as IcePort;
  const port = publishCandidatesOverMdns(inner, publish);
  assert.equal(port.localUfrag, 'uf');
  assert.deepEqual(port.pollEvent(), { type: 'candidate', candidate: `candidate:1 1 udp 1 ${NAME} 1 typ host` });
  assert.deepEqual(port.pollEvent(), { type: 'gathering-complete' });
  assert.equal(port.pollEvent(), undefined);
  assert.equal(port.send(0, new Uint8Array(1)), true);
  assert.equal(port.addRemoteCandidate(0, 'x'), true);
  assert.deepEqual(calls, ['send', 'remote']);
});
