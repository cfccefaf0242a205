/**
 * The JSEP signaling-state machine (RFC 8829 §3.2 and W3C webrtc-pc §4.3.1 "set the session
 * description") as ONE transition table. A missing entry means the call is invalid in that state.
 */
import { UsageError } from '../core/errors.js';

export type SignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';

/** What a description does: which side set it and its type, plus rollback and close. */
export type SignalingAction =
  | 'local-offer'
  | 'local-pranswer'
  | 'local-answer'
  | 'remote-offer'
  | 'remote-pranswer'
  | 'remote-answer'
  | 'rollback'
  | 'close';

type Table = Readonly<Record<SignalingState, Partial<Readonly<Record<SignalingAction, SignalingState>>>>>;

/** RFC 8829 §3.2 figure: every legal (state, action) → next state. */
export const SIGNALING_TRANSITIONS: Table = {
  stable: { 'local-offer': 'have-local-offer', 'remote-offer': 'have-remote-offer', close: 'closed' },
  'have-local-offer': {
    'local-offer': 'have-local-offer',
    'remote-answer': 'stable',
    'remote-pranswer': 'have-remote-pranswer',
    rollback: 'stable',
    close: 'closed',
  },
  'have-remote-offer': {
    'remote-offer': 'have-remote-offer',
    'local-answer': 'stable',
    'local-pranswer': 'have-local-pranswer',
    rollback: 'stable',
    close: 'closed',
  },
  'have-local-pranswer': { 'local-pranswer': 'have-local-pranswer', 'local-answer': 'stable', close: 'closed' },
  'have-remote-pranswer': { 'remote-pranswer': 'have-remote-pranswer', 'remote-answer': 'stable', close: 'closed' },
  closed: {},
};

/** The state after `action`, or undefined when the action is not allowed in `state`. */
export function nextSignalingState(state: SignalingState, action: SignalingAction): SignalingState | undefined {
  return SIGNALING_TRANSITIONS[state][action];
}

/** Maps a description type string and side to an action; undefined for an unknown type. */
export function signalingAction(side: 'local' | 'remote', type: string): SignalingAction | undefined {
  if (type === 'rollback') return 'rollback';
  if (type === 'offer' || type === 'answer' || type === 'pranswer') return `${side}-${type}`;
  return undefined;
}

/** A small holder that applies the table and remembers the state. */
export class SignalingMachine {
  private current: SignalingState = 'stable';

  get state(): SignalingState {
    return this.current;
  }

  /** True when `action` is legal now. */
  can(action: SignalingAction): boolean {
    return nextSignalingState(this.current, action) !== undefined;
  }

  /** Applies `action`; a UsageError (`jsep.state`) when it is not legal in the current state. */
  apply(action: SignalingAction): SignalingState {
    const next = nextSignalingState(this.current, action);
    if (next === undefined) throw new UsageError('jsep.state', `cannot apply ${action} in signaling state ${this.current}`);
    this.current = next;
    return next;
  }
}
