// The benchmark runs on 127.0.0.1 only: the parent relays signalling and drops every ICE candidate
// (trickled or inside an SDP) that is not a 127.0.0.1 candidate, whatever a stack gathered.
const LOOPBACK = /\s127\.0\.0\.1\s/;

/** The message to forward, or undefined when it is a non-loopback candidate. */
export function loopbackOnly(msg) {
  if (msg.kind === 'cand') return LOOPBACK.test(` ${msg.candidate} `) ? msg : undefined;
  if (msg.kind !== 'desc') return msg;
  const lines = msg.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || LOOPBACK.test(` ${l} `));
  return { ...msg, sdp: lines.join('\r\n') };
}
