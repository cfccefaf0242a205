#!/usr/bin/env python3
"""wanem.py: a userspace link emulator on a TUN device, for kernels without sch_netem.

The lab router (scripts/lab/netns.sh) routes forwarded packets into the TUN device; this program
reads each IP packet, decides its fate, and writes it back to the same device at its release time,
from where the kernel forwards it on. Semantics match the project's simulator (test/sim/link.ts):

  loss      P % of packets are dropped
  delay     every packet waits DELAY ms, plus a uniform draw in [0, JITTER] ms
            jitter alone keeps FIFO order (a packet never leaves before an earlier one)
  reorder   P % of packets are held REORDER_DELAY ms longer, so later packets overtake them
  dup       P % of packets are released twice (the copy gets its own delay)
  rate      serialisation at RATE kbit/s with a drop-tail queue of QUEUE bytes

Only packets matching --match-src / --match-dst CIDRs are impaired (no filter: all IPv4); the rest
pass at once. Counters are printed as JSON on exit and written to --stats (if given) every second.

  python3 wanem.py --dev wanem0 --delay 40 --jitter 5 --loss 1 [--match-src 198.18.1.0/24] [--seed 1]

Standard library only.
"""
import argparse
import fcntl
import heapq
import ipaddress
import json
import os
import random
import select
import signal
import struct
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", default="wanem0")
    ap.add_argument("--delay", type=float, default=0.0, help="ms")
    ap.add_argument("--jitter", type=float, default=0.0, help="ms, uniform in [0, jitter]")
    ap.add_argument("--loss", type=float, default=0.0, help="percent")
    ap.add_argument("--dup", type=float, default=0.0, help="percent")
    ap.add_argument("--reorder", type=float, default=0.0, help="percent")
    ap.add_argument("--reorder-delay", type=float, default=25.0, help="ms")
    ap.add_argument("--rate", type=float, default=0.0, help="kbit/s, 0 = unlimited")
    ap.add_argument("--queue", type=int, default=65536, help="bytes queued at most when rate-limited")
    ap.add_argument("--match-src", action="append", default=[], help="CIDR (repeatable)")
    ap.add_argument("--match-dst", action="append", default=[], help="CIDR (repeatable)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--stats", default=None, help="file to write JSON counters to")
    return ap.parse_args()


class Emulator:
    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        self.src = [ipaddress.ip_network(c) for c in args.match_src]
        self.dst = [ipaddress.ip_network(c) for c in args.match_dst]
        self.heap = []
        self.seq = 0
        self.last_release = 0.0
        self.busy_until = 0.0
        self.stats = dict(rx=0, tx=0, passed=0, lost=0, queue_drops=0, dup=0, reordered=0, impaired=0)

    def matches(self, pkt):
        if len(pkt) < 20 or pkt[0] >> 4 != 4:
            return False
        if not self.src and not self.dst:
            return True
        s = ipaddress.IPv4Address(bytes(pkt[12:16]))
        d = ipaddress.IPv4Address(bytes(pkt[16:20]))
        return (not self.src or any(s in n for n in self.src)) and (not self.dst or any(d in n for n in self.dst))

    def push(self, t, pkt):
        heapq.heappush(self.heap, (t, self.seq, pkt))
        self.seq += 1

    def departure(self, now, size):
        """When the packet has been serialised (rate limit), or None when the queue is full."""
        if self.a.rate <= 0:
            return now
        bytes_per_s = self.a.rate * 1000 / 8
        backlog = max(0.0, self.busy_until - now) * bytes_per_s
        if backlog + size > self.a.queue:
            return None
        self.busy_until = max(now, self.busy_until) + size / bytes_per_s
        return self.busy_until

    def release_time(self, start):
        t = start + (self.a.delay + self.rng.random() * self.a.jitter) / 1000.0
        if self.a.reorder > 0 and self.rng.random() * 100 < self.a.reorder:
            self.stats["reordered"] += 1
            return t + self.a.reorder_delay / 1000.0
        t = max(t, self.last_release)
        self.last_release = t
        return t

    def receive(self, pkt, now):
        self.stats["rx"] += 1
        if not self.matches(pkt):
            self.stats["passed"] += 1
            self.push(now, pkt)
            return
        self.stats["impaired"] += 1
        if self.a.loss > 0 and self.rng.random() * 100 < self.a.loss:
            self.stats["lost"] += 1
            return
        start = self.departure(now, len(pkt))
        if start is None:
            self.stats["queue_drops"] += 1
            return
        self.push(self.release_time(start), pkt)
        if self.a.dup > 0 and self.rng.random() * 100 < self.a.dup:
            self.stats["dup"] += 1
            self.push(self.release_time(start), pkt)

    def due(self, now):
        while self.heap and self.heap[0][0] <= now:
            yield heapq.heappop(self.heap)[2]

    def next_wait(self, now):
        return max(0.0, min(self.heap[0][0] - now, 0.5)) if self.heap else 0.5


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def write_stats(path, stats):
    if not path:
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, path)


def main():
    args = parse_args()
    emu = Emulator(args)
    fd = open_tun(args.dev)
    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(json.dumps({"wanem": vars(args)}), flush=True)
    last_stats = 0.0
    while running[0]:
        readable, _, _ = select.select([fd], [], [], emu.next_wait(time.monotonic()))
        now = time.monotonic()
        for _ in range(512 if readable else 0):
            try:
                emu.receive(os.read(fd, 65535), now)
            except BlockingIOError:
                break
        for pkt in emu.due(time.monotonic()):
            try:
                os.write(fd, pkt)
                emu.stats["tx"] += 1
            except OSError:
                emu.stats["write_errors"] = emu.stats.get("write_errors", 0) + 1
        if now - last_stats >= 1.0:
            write_stats(args.stats, emu.stats)
            last_stats = now
    write_stats(args.stats, emu.stats)
    print(json.dumps({"final": emu.stats}), flush=True)


if __name__ == "__main__":
    main()
