// Back-pressured sending shared by bulk and small: send while bufferedAmount() < high, then wait for
// the channel's low-threshold event. A 10 ms watchdog re-tries in case a stack misses the event: when
// bufferedAmount() stayed at or below the low threshold for a whole watchdog period without the
// event (seen at two firings in a row, so a stall that just ended and whose event is on its way does
// not count), it sends; `watchdogSends` counts those times (a well-behaved stack reports 0). Sending
// stops early once `stopAt()` (optional) returns true; `sent` says how many went out.
import { setInterval, clearInterval } from 'node:timers';

export function sendAll(ch, { count, payload, high, low, stopAt = () => false }) {
  let sent = 0;
  let watchdogSends = 0;
  let done = false;
  let lowEvents = 0;
  let lowSeen = -1;
  let quietLow = 0; // watchdog firings in a row that saw no low event and bufferedAmount() <= low
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
      quietLow = lowEvents === lowSeen && ch.bufferedAmount() <= low ? quietLow + 1 : 0;
      lowSeen = lowEvents;
      if (quietLow >= 2 && fill() > 0) watchdogSends++;
    }, 10);
    ch.setLowThreshold(low);
    ch.onLow(() => {
      lowEvents++;
      fill();
    });
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
