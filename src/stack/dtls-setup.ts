/**
 * When PeerStack's DTLS endpoint comes to exist, and what it is told (protocol.md 1.3):
 * - normally once the DTLS role and the remote fingerprints are known (`ensure`): DTLS datagrams
 *   that arrived before are kept (bounded) and replayed into it;
 * - with SPED (src/stack/sped.ts) an offerer that gets a ClientHello inside a check before the answer
 *   starts its server at once (`onData`): the peer is the client. The answer brings the fingerprints
 *   and the record size (`onRemoteDescription`); an answer that makes us the client fails DTLS.
 * The SCTP association the pump makes once DTLS is up takes its ports and limits from the remote
 * description at that moment.
 */
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import { EXTENDED_MAX_PLAINTEXT, MAX_PLAINTEXT } from '../dtls/constants.js';
import type { DtlsRole } from '../sdp/roles.js';
import type { DtlsTransportState } from './connection-state.js';
import type { Negotiator } from './negotiation.js';
import type { DtlsPort, SctpPort, StackLayers } from './ports.js';
import type { TransportPump } from './pump.js';
import type { SnapNegotiation } from './snap.js';
import { isClientHello } from './sped.js';

/** Early DTLS datagrams kept until the DTLS endpoint exists (a ClientHello flight is a few). */
const MAX_EARLY_DTLS = 16;

/**
 * Our SDP attributes (src/sdp/types.ts): a DTLS client sends its SCTP INIT with its Finished to a
 * server that reads every record; records (and so SCTP packets on loopback) grow up to what both read.
 */
function recordLimitOf(dc: { readonly dtlsRecordLimit?: number | undefined }): number {
  return Math.min(dc.dtlsRecordLimit ?? MAX_PLAINTEXT, EXTENDED_MAX_PLAINTEXT); // the SDP reader keeps it >= 2^14
}

export interface DtlsSetupHost {
  readonly layers: StackLayers;
  readonly negotiation: Negotiator;
  readonly pump: TransportPump;
  readonly snap: SnapNegotiation;
  readonly logger: Logger;
  readonly sctpPort: number;
  readonly maxMessageSize: number;
  /** SPED is on for us: an embedded ClientHello may start the server before the answer. */
  readonly earlyServer: boolean;
  setDtlsState(s: DtlsTransportState): void;
}

export class DtlsSetup {
  private dtls: DtlsPort | undefined;
  private readonly early: Uint8Array[] = [];
  /** The server began on an embedded ClientHello before the answer: it waits for the peer's fingerprints. */
  private awaitsRemote = false;

  constructor(private readonly host: DtlsSetupHost) {}

  get exists(): boolean {
    return this.dtls !== undefined;
  }

  /** Creates the endpoint once role and remote fingerprints are known; a client starts if a pair is selected. */
  ensure(now: Millis, selected: boolean): void {
    const { negotiation, layers, logger, pump } = this.host;
    const role = negotiation.role;
    const remote = negotiation.remote;
    if (this.dtls || !role || !remote) return;
    const dc = remote.dataChannel;
    this.attach(now, layers.dtls.create(role, dc.fingerprints, logger, { falseStart: role === 'client' && dc.dtlsMultiRecord === true, maxRecordPlaintext: recordLimitOf(dc) }), role);
    if (role === 'client' && selected) pump.startClient(now);
  }

  /** A remote description was applied: a server that began early gets the peer's fingerprints. */
  onRemoteDescription(now: Millis): void {
    const dc = this.host.negotiation.remote?.dataChannel;
    if (!this.awaitsRemote || !this.dtls || !dc) return;
    this.awaitsRemote = false;
    if (this.host.negotiation.role !== 'server') {
      this.host.logger.log('error', 'the answer makes us the DTLS client, but the peer already sent a ClientHello');
      this.host.setDtlsState('failed');
      this.dtls.close(now);
      return;
    }
    this.dtls.setRemote(now, dc.fingerprints, { maxRecordPlaintext: recordLimitOf(dc) });
  }

  /** ICE selected a pair (see DtlsPort.restartRetransmitTimer). */
  onSelectedPair(now: Millis): void {
    this.dtls?.restartRetransmitTimer(now);
  }

  /** DTLS from ICE; kept (bounded) until the endpoint exists. A ClientHello embedded in a check may start it. */
  onData(now: Millis, data: Uint8Array, embedded: boolean): void {
    if (!this.dtls && embedded && isClientHello(data)) this.startEarlyServer(now);
    if (this.dtls) this.dtls.handleInput(now, data);
    else if (this.early.length < MAX_EARLY_DTLS) this.early.push(data.slice());
  }

  private startEarlyServer(now: Millis): void {
    const { negotiation, layers, logger } = this.host;
    if (!this.host.earlyServer || negotiation.remote || negotiation.signaling.state !== 'have-local-offer') return;
    this.awaitsRemote = true;
    this.attach(now, layers.dtls.create('server', [], logger, {}), 'server');
  }

  private attach(now: Millis, dtls: DtlsPort, role: DtlsRole): void {
    this.dtls = dtls;
    this.host.pump.attach(dtls, role, () => this.makeSctp());
    this.host.setDtlsState('connecting');
    const queued = this.early.splice(0);
    for (let i = 0; i < queued.length; i++) dtls.handleInput(now, queued[i] as Uint8Array);
  }

  /** The SCTP association, from the remote description (not there yet: UsageError, made again later). */
  private makeSctp(): SctpPort {
    const { negotiation, layers, logger, snap } = this.host;
    const dc = negotiation.remote?.dataChannel;
    if (!dc) throw new UsageError('stack.no-remote', 'no remote description yet');
    return layers.createSctp({ localPort: this.host.sctpPort, remotePort: dc.sctpPort, maxMessageSize: this.host.maxMessageSize, remoteMaxMessageSize: dc.maxMessageSize, logger, recordLimit: recordLimitOf(dc), snap: snap.take(dc.sctpInit) });
  }
}
