#!/bin/sh
# chromium-ns.sh: an `executablePath` for playwright-core that runs Chromium inside the lab namespace
# named by $LAB_NS (test/root/lab.ts sets it). `ip netns exec` execs, so the PID Playwright sees is
# Chromium's own. Without LAB_NS it refuses to start: outside a lab Chromium would gather this
# machine's real addresses. $LAB_CHROMIUM overrides the binary (default /usr/bin/chromium).
[ -n "${LAB_NS:-}" ] || { echo "chromium-ns.sh: LAB_NS is not set" >&2; exit 2; }
exec ip netns exec "$LAB_NS" "${LAB_CHROMIUM:-/usr/bin/chromium}" "$@"
