/**
 * The ICE connection state (W3C RTCIceConnectionState names, RFC 8445 §6.1.3 + RFC 7675 for the
 * consent-driven moves) as ONE transition table. Only `IceStateMachine.transition` assigns a state.
 *
 * ```mermaid
 * stateDiagram-v2
 *   new --> checking: remote candidates + credentials
 *   checking --> connected: a pair is selected
 *   checking --> failed: checklist exhausted / checking timeout
 *   connected --> completed: checks done + both ends' end-of-candidates
 *   connected --> disconnected: no consent traffic for disconnectedAfterMs
 *   completed --> disconnected
 *   disconnected --> connected: traffic returns
 *   disconnected --> failed: consent expired (30 s, RFC 7675 §5.1)
 *   connected --> failed: consent expired
 *   failed --> checking: ICE restart
 *   [*] --> closed: close()
 * ```
 */
import { InternalError } from '../core/errors.js';

export type IceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export const ICE_TRANSITIONS: Readonly<Record<IceConnectionState, readonly IceConnectionState[]>> = {
  new: ['checking', 'closed'],
  checking: ['connected', 'failed', 'closed'],
  connected: ['completed', 'disconnected', 'failed', 'closed'],
  completed: ['connected', 'disconnected', 'failed', 'closed'],
  disconnected: ['connected', 'completed', 'failed', 'closed'],
  failed: ['checking', 'connected', 'closed'],
  closed: [],
};

/** One recorded move, for traces and tests. */
export interface IceTransition {
  readonly from: IceConnectionState;
  readonly to: IceConnectionState;
  readonly cause: string;
}

/** Holds the state; `transition` validates against ICE_TRANSITIONS and reports the move. */
export class IceStateMachine {
  private current: IceConnectionState = 'new';
  private readonly history: IceTransition[] = [];

  constructor(private readonly onChange: (t: IceTransition) => void) {}

  get state(): IceConnectionState {
    return this.current;
  }

  /** The last transitions (at most 32 kept). */
  get transitions(): readonly IceTransition[] {
    return this.history;
  }

  can(to: IceConnectionState): boolean {
    return ICE_TRANSITIONS[this.current].includes(to);
  }

  /** Moves to `to`; a no-op when already there. Throws on a move the table forbids (a bug). */
  transition(to: IceConnectionState, cause: string): void {
    if (to === this.current) return;
    if (!this.can(to)) throw new InternalError('ice.state', `illegal ICE state move ${this.current} -> ${to} (${cause})`);
    const t = { from: this.current, to, cause };
    this.current = to;
    this.history.push(t);
    if (this.history.length > 32) this.history.shift();
    this.onChange(t);
  }
}
