/**
 * Application data (DTLS) around the moment a pair becomes usable (issue 6 setup time).
 *
 * - Before a pair is selected, data goes on the best valid pair (RFC 8445 §12.1: "An ICE agent MAY
 *   send data on any valid pair before selected pairs have been produced"); while no pair is valid
 *   yet, up to MAX_UNSENT datagrams wait and leave as soon as one is (a DTLS server answering a
 *   ClientHello that arrived before its own check succeeded), instead of costing a retransmission.
 * - The controlled side selects its first succeeded pair until the peer nominates, so its DTLS client
 *   starts early. Some peers drop DTLS that arrives before their ICE is connected (libdatachannel:
 *   its DTLS transport exists only then); their nomination says they are ready. So what the
 *   controlled side sent before the nomination, while nothing came back, is sent once more then
 *   (at most MAX_EARLY_COPIES datagrams, once per agent): the handshake never waits for a DTLS timer
 *   because of that. Not when the peer had already checked that pair before we sent: our answer
 *   went ahead of our data on the same path, so its pair was valid when the data arrived. Not to a
 *   peer that says it keeps such DTLS (rtcpeer's `a=x-early-dtls`, IceAgent.peerKeepsEarlyData):
 *   an rtcpeer offerer starts its checks only when our answer arrives, usually after our ClientHello,
 *   and reads that ClientHello anyway (issue 6: the copy cost both sides CPU in the setup).
 * - Data that waited for a valid pair leaves before the checks queued with it (the controlling side's
 *   nominating check goes out with the success that made the pair valid) when the peer has sent DTLS
 *   already: its DTLS waits for ours (a server flight answering its ClientHello), and the peer reads
 *   the flight before the check (issue 6 setup). Otherwise the checks go first: a peer that creates
 *   its DTLS transport only once its ICE is connected must see them first.
 */
import { Queue } from '../core/event-queue.js';
import type { Datagram } from '../core/types.js';
import type { AgentContext } from './context.js';
import { dataPair } from './nomination.js';
import type { CandidatePair } from './pair.js';

/** Datagrams kept while no pair is valid yet: a DTLS flight is 1 to 6 datagrams. */
const MAX_UNSENT = 16;
/** Datagrams sent before the peer's nomination kept for one more send at it. */
const MAX_EARLY_COPIES = 8;

function route(p: CandidatePair, data: Uint8Array): Datagram {
  return { from: p.local.base, to: { address: p.remote.address, port: p.remote.port }, data };
}

export class EarlyData {
  /** The agent's wait list (ctx.unsent), which SPED embeds in checks meanwhile (sped.ts). */
  private readonly unsent: Uint8Array[];
  /** Waiting data released after the peer sent DTLS: handed out before the agent's own transmits. */
  private readonly first = new Queue<Datagram>();
  private peerSentDtls = false;
  /** Copies of data the controlled side sent before the nomination; undefined once that is over. */
  private beforeNomination: Uint8Array[] | undefined = [];

  constructor(private readonly ctx: AgentContext) {
    this.unsent = ctx.unsent;
  }

  /** See IceAgent.send. */
  send(data: Uint8Array): boolean {
    const ctx = this.ctx;
    this.flush();
    const p = dataPair(ctx);
    if (p) {
      ctx.transmits.push(route(p, data));
      this.keepCopy(p, data);
      return true;
    }
    const s = ctx.machine.state;
    if ((s !== 'new' && s !== 'checking') || this.unsent.length >= MAX_UNSENT) return false;
    this.unsent.push(data);
    return true;
  }

  /** After input: waiting data leaves if a pair is valid now; the nomination replays early data. */
  flush(): void {
    if (this.unsent.length === 0 && this.beforeNomination === undefined) return; // the data path
    const ctx = this.ctx;
    const p = dataPair(ctx);
    if (!p) return;
    const waiting = this.unsent.splice(0);
    for (let i = 0; i < waiting.length; i++) {
      const data = waiting[i] as Uint8Array;
      // Already on its way inside a check or response (SPED): a plain copy would reach the peer's
      // DTLS as a retransmission and make it resend its own flight; a lost copy costs a DTLS timer.
      if (ctx.sped.wasEmbedded(data)) continue;
      (this.peerSentDtls ? this.first : ctx.transmits).push(route(p, data));
      this.keepCopy(p, data);
    }
    const early = this.beforeNomination;
    if (early === undefined || !p.peerNominated || p !== ctx.selected) return;
    this.beforeNomination = undefined;
    for (let i = 0; i < early.length; i++) ctx.transmits.push(route(p, early[i] as Uint8Array));
  }

  /** Drops waiting datagrams that `obsolete` says are (in place: SPED embeds from the same list). */
  discard(obsolete: (data: Uint8Array) => boolean): void {
    const u = this.unsent;
    let kept = 0;
    for (let i = 0; i < u.length; i++) {
      const data = u[i] as Uint8Array;
      if (!obsolete(data)) u[kept++] = data;
    }
    u.length = kept;
  }

  /** DTLS came from the peer: what we sent got through, or will be retransmitted by DTLS itself. */
  peerSpoke(): void {
    this.peerSentDtls = true;
    this.beforeNomination = undefined;
  }

  /** The next datagram that goes before the agent's own transmits (see the class comment). */
  takeFirst(): Datagram | undefined {
    return this.first.length > 0 ? this.first.shift() : undefined; // no call when empty: polled per datagram
  }

  /** The peer keeps DTLS that comes before its ICE is connected (IceAgent.peerKeepsEarlyData): no copies. */
  peerKeepsEarly(): void {
    this.beforeNomination = undefined;
  }

  clear(): void {
    this.unsent.length = 0;
    this.first.clear();
    this.beforeNomination = undefined;
  }

  private keepCopy(p: CandidatePair, data: Uint8Array): void {
    const early = this.beforeNomination;
    if (early === undefined || this.ctx.role.controlling || p.peerNominated || p.peerChecked) return;
    if (early.length < MAX_EARLY_COPIES) early.push(data.slice());
  }
}
