// Back-pressured sending shared by bulk and small: send while bufferedAmount() < high, then wait for
// the channel's low-threshold event. A 10 ms watchdog re-tries in case a stack misses the event;
// `watchdogSends` counts the times it found room (a well-behaved stack reports 0). Sending stops
// early once `stopAt()` (optional) returns true; `sent` says how many went out.
import { setInterval, clearInterval } from 'node:timers';

export function sendAll(ch, { count, payload, high, low, stopAt = () => false }) {
  let sent = 0;
  let watchdogSends = 0;
  let done = false;
  return new Promise((resolve, reject) => {
    const fill = () => {
      let n = 0;
      if (done) return 0;
      try {
        while (sent < count && ch.bufferedAmount() < high && !stopAt()) {
          ch.send(payload);
          sent++;
          n++;
        }
      } catch (e) {
        clearInterval(timer);
        done = true;
        reject(e);
        return 0;
      }
      if (sent >= count || stopAt()) {
        clearInterval(timer);
        done = true;
        ch.onLow(() => {});
        resolve({ sent, watchdogSends });
      }
      return n;
    };
    const timer = setInterval(() => {
      if (fill() > 0) watchdogSends++;
    }, 10);
    ch.setLowThreshold(low);
    ch.onLow(fill);
    fill();
  });
}

/** Resolves once the channel's send buffer is empty (checked every millisecond). */
export function drained(ch) {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (ch.bufferedAmount() === 0) {
        clearInterval(t);
        resolve();
      }
    }, 1);
  });
}
