import { HandshakeType } from '../constants.js';
import { HandshakeContext, type HandshakeHost } from './context.js';
import * as client from './client.js';
import * as server from './server.js';
import type { HandshakeMessage } from './reassembly.js';

/** Where a handshake stands: which message it waits for next. */
export type HandshakeState =
  | 'idle'
  | 'client-wait-server-hello'
  | 'client-wait-certificate'
  | 'client-wait-server-key-exchange'
  | 'client-wait-certificate-request'
  | 'client-wait-server-hello-done'
  | 'client-wait-finished'
  | 'server-wait-client-hello'
  | 'server-wait-certificate'
  | 'server-wait-client-key-exchange'
  | 'server-wait-certificate-verify'
  | 'server-wait-finished'
  | 'done';

type Handler = (host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number) => unknown;

const H = HandshakeType;

/**
 * THE transition table: (state, incoming message type) → handler and next state. Anything not listed
 * is unexpected_message (RFC 5246 §7.4). A server's ClientHello answered with a HelloVerifyRequest
 * stays in server-wait-client-hello (handled in `onMessage`).
 */
const TABLE: Readonly<Record<HandshakeState, Readonly<Partial<Record<number, readonly [Handler, HandshakeState]>>>>> = {
  idle: {},
  'client-wait-server-hello': {
    [H.helloVerifyRequest]: [client.onHelloVerifyRequest, 'client-wait-server-hello'],
    [H.serverHello]: [client.onServerHello, 'client-wait-certificate'],
  },
  'client-wait-certificate': { [H.certificate]: [client.onServerCertificate, 'client-wait-server-key-exchange'] },
  'client-wait-server-key-exchange': { [H.serverKeyExchange]: [client.onServerKeyExchange, 'client-wait-certificate-request'] },
  'client-wait-certificate-request': {
    [H.certificateRequest]: [client.onCertificateRequest, 'client-wait-server-hello-done'],
    [H.serverHelloDone]: [client.onServerHelloDone, 'client-wait-finished'],
  },
  'client-wait-server-hello-done': { [H.serverHelloDone]: [client.onServerHelloDone, 'client-wait-finished'] },
  'client-wait-finished': { [H.finished]: [client.onServerFinished, 'done'] },
  'server-wait-client-hello': { [H.clientHello]: [server.onClientHello, 'server-wait-certificate'] },
  'server-wait-certificate': { [H.certificate]: [server.onClientCertificate, 'server-wait-client-key-exchange'] },
  'server-wait-client-key-exchange': { [H.clientKeyExchange]: [server.onClientKeyExchange, 'server-wait-certificate-verify'] },
  'server-wait-certificate-verify': { [H.certificateVerify]: [server.onClientCertificateVerify, 'server-wait-finished'] },
  'server-wait-finished': { [H.finished]: [server.onClientFinished, 'done'] },
  done: {},
};

/** Runs one handshake over the table. Handlers throw HandshakeAbort or ParseError to fail it. */
export class HandshakeMachine {
  state: HandshakeState = 'idle';
  readonly ctx = new HandshakeContext();

  constructor(
    private readonly host: HandshakeHost,
    readonly role: 'client' | 'server',
  ) {
    if (role === 'server') this.state = 'server-wait-client-hello';
  }

  /** Client: send flight 1. */
  start(): void {
    if (this.role !== 'client' || this.state !== 'idle') return;
    this.ctx.clientRandom = this.host.rng.bytes(32);
    this.state = 'client-wait-server-hello';
    client.sendClientHello(this.host, this.ctx);
  }

  /** True when the message is acceptable now (else the caller treats it as unexpected). */
  expects(msgType: number): boolean {
    return TABLE[this.state][msgType] !== undefined;
  }

  /** Feeds one complete message, in message_seq order. Returns false when it was not expected. */
  onMessage(m: HandshakeMessage): boolean {
    if (this.state === 'done') return true; // no renegotiation (RFC 8827 §6.5): ignore
    const entry = TABLE[this.state][m.msgType];
    if (entry === undefined) return false;
    const handler = entry[0];
    const next = entry[1];
    const r = handler(this.host, this.ctx, m.body, m.messageSeq);
    if (r !== 'cookie') this.state = next;
    return true;
  }
}
