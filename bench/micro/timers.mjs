// Cost of keeping a retransmission timer per packet, one core:   node bench/micro/timers.mjs [--json]
//  - clearTimeout + setTimeout on every packet (a new Timeout object each time)
//  - timeout.refresh() on every packet (same object, re-armed)
//  - coalescing: one armed timer; per packet only compare the new deadline with the armed one and
//    re-arm when it is earlier (what a sans-IO driver reading pollTimeout() can do)
import { clearTimeout, setTimeout } from 'node:timers';
import { json, measure, printRows } from './timing.mjs';

const noop = () => {};
let t = setTimeout(noop, 1000);
const rows = [
  measure('clearTimeout + setTimeout per packet', () => {
    clearTimeout(t);
    t = setTimeout(noop, 1000);
  }),
];
clearTimeout(t);
const r = setTimeout(noop, 1000);
rows.push(measure('timeout.refresh() per packet', () => r.refresh()));
clearTimeout(r);
let armedAt = Infinity;
let clock = 0;
let timer = setTimeout(noop, 1000);
rows.push(
  measure('coalesced: compare deadline, re-arm only when earlier', () => {
    clock += 0.001;
    const deadline = Math.floor(clock) + 1000; // RTO from "now": later than the armed one
    if (deadline < armedAt) {
      clearTimeout(timer);
      armedAt = deadline;
      timer = setTimeout(noop, 1000);
    }
  }),
);
clearTimeout(timer);
if (json) console.log(JSON.stringify(rows));
else printRows(`Timer handling per packet, one core (Node ${process.version})`, rows);
