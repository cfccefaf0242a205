#!/usr/bin/env bash
# netns.sh: a WebRTC test lab of Linux network namespaces (root only). Several labs can exist at
# once: every namespace name starts with the lab's name LAB (e.g. rtl4242), and since the lab's
# namespaces only connect to each other, every lab reuses the same addresses.
#
#   netns.sh up LAB [--nat cone|symmetric] [--turn] [--lan]   create the lab
#   netns.sh down LAB                                  stop its processes (by PID) and delete it
#   netns.sh exec LAB HOST CMD...                      run CMD inside HOST's namespace
#   netns.sh loss LAB HOST PCT                         drop PCT % of packets sent by HOST (nftables)
#   netns.sh rate LAB HOST RATE                        token bucket both ways on HOST's link (e.g. 2mbit)
#   netns.sh wanem LAB [wanem.py args...]              delay/jitter/loss/dup/reorder via the TUN shim
#   netns.sh clear LAB                                 remove every impairment
#   netns.sh status LAB                                addresses, routes, rules
#   netns.sh list                                      labs that exist
#
# Topology (198.18.0.0/15, RFC 2544 benchmark range: never routed on the Internet, not RFC 1918):
#
#   LAB-a     eth0 198.18.1.2/24 ──┐
#   LAB-b     eth0 198.18.2.2/24 ──┤  LAB-rtr (router, no default route; impairments live here)
#   LAB-turn  eth0 198.18.3.2/24 ──┤    veth-a 198.18.1.1  veth-b 198.18.2.1
#   LAB-nat   wan  198.18.4.2/24 ──┘    veth-t 198.18.3.1  veth-n 198.18.4.1
#      └─ lan 198.19.0.1/24 ── LAB-priv eth0 198.19.0.2/24 (behind nftables masquerade)
#   LAB-c     eth0 198.18.5.2/24 ──┬─ br-lan 198.18.5.1 (a switch in the router, --lan): c and d share
#   LAB-d     eth0 198.18.5.3/24 ──┘  one link, so link-local multicast (mDNS 224.0.0.251) passes
#
# HOST is a, b, turn, nat, priv, c or d (loss, rate and wanem apply to a, b, turn and nat). The root
# namespace gets no interface and no address. IPv6 is off inside the lab (LAB_IPV6=1 keeps it). No
# netem needed: loss is nftables `numgen random`, rate is tbf, delay/jitter/reorder/dup come from wanem.py on a TUN device in the router.
# Needs iproute2, nftables and python3 (Debian packages).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE_ROOT=${LAB_STATE_DIR:-/run/rtcpeer-lab}
# the system python starts fast (version-manager shims can take seconds); wanem.py needs only its stdlib
PYTHON=${LAB_PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}

die() { echo "netns.sh: $*" >&2; exit 2; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
check_lab() { [[ "$1" =~ ^[A-Za-z0-9_]{1,24}$ ]] || die "lab name must be 1-24 of [A-Za-z0-9_], got '$1'"; }
lab_namespaces() { ip netns list | awk '{print $1}' | grep -E "^$1-(a|b|turn|nat|priv|c|d|rtr)$" || true; }

# HOST -> "namespace host-side-if router-side-if"
host_link() {
  case $2 in
    a) echo "$1-a eth0 veth-a" ;;
    b) echo "$1-b eth0 veth-b" ;;
    turn) echo "$1-turn eth0 veth-t" ;;
    nat) echo "$1-nat wan veth-n" ;;
    priv) echo "$1-priv eth0 -" ;;
    c) echo "$1-c eth0 -" ;;
    d) echo "$1-d eth0 -" ;;
    *) die "unknown host '$2' (a|b|turn|nat|priv|c|d)" ;;
  esac
}

mkns() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  [ "${LAB_IPV6:-0}" = 1 ] || nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# veth from the router to a host namespace: wire LAB NS HOSTIF RTRIF HOSTADDR RTRADDR
wire() {
  local lab=$1 ns=$2 hif=$3 rif=$4 haddr=$5 raddr=$6
  ip link add "$rif" netns "$lab-rtr" type veth peer name "$hif" netns "$ns"
  ip -n "$lab-rtr" addr add "$raddr/24" dev "$rif"
  ip -n "$lab-rtr" link set "$rif" up
  ip -n "$ns" addr add "$haddr/24" dev "$hif"
  ip -n "$ns" link set "$hif" up
  ip -n "$ns" route add default via "$raddr"
}

# The --lan segment: a bridge in the router with c and d as ports (one L2 link for both hosts).
lan_segment() {
  local lab=$1 h addr
  ip -n "$lab-rtr" link add br-lan type bridge
  ip -n "$lab-rtr" addr add 198.18.5.1/24 dev br-lan
  ip -n "$lab-rtr" link set br-lan up
  for h in c:198.18.5.2 d:198.18.5.3; do
    addr=${h#*:}; h=${h%%:*}
    mkns "$lab-$h"
    ip link add "veth-$h" netns "$lab-rtr" type veth peer name eth0 netns "$lab-$h"
    ip -n "$lab-rtr" link set "veth-$h" master br-lan
    ip -n "$lab-rtr" link set "veth-$h" up
    ip -n "$lab-$h" addr add "$addr/24" dev eth0
    ip -n "$lab-$h" link set eth0 up
    ip -n "$lab-$h" route add default via 198.18.5.1
  done
}

nat_rules() {   # cone: Linux keeps the port when free (endpoint-independent mapping, port-dependent filtering)
  local masq="masquerade"
  [ "$2" = symmetric ] && masq="masquerade random"
  nsx "$1-nat" nft -f - <<NFT
table ip labnat {
  chain post { type nat hook postrouting priority srcnat; oifname "wan" $masq; }
  chain filt { type filter hook forward priority filter; policy drop;
               iifname "lan" accept; ct state established,related accept; }
}
NFT
}

up() {
  local lab=$1; shift
  local nat="" turn=0 lan=0
  while [ $# -gt 0 ]; do
    case $1 in
      --nat) nat=${2:-}; shift 2 ;;
      --turn) turn=1; shift ;;
      --lan) lan=1; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -z "$nat" ] || [ "$nat" = cone ] || [ "$nat" = symmetric ] || die "--nat cone|symmetric"
  [ -z "$(lab_namespaces "$lab")" ] || die "lab $lab exists: run 'netns.sh down $lab' first"
  trap 'down "$lab" >/dev/null 2>&1' ERR
  mkdir -p "$STATE_ROOT/$lab"
  mkns "$lab-rtr"; mkns "$lab-a"; mkns "$lab-b"
  nsx "$lab-rtr" sysctl -qw net.ipv4.ip_forward=1
  wire "$lab" "$lab-a" eth0 veth-a 198.18.1.2 198.18.1.1
  wire "$lab" "$lab-b" eth0 veth-b 198.18.2.2 198.18.2.1
  if [ "$turn" = 1 ]; then mkns "$lab-turn"; wire "$lab" "$lab-turn" eth0 veth-t 198.18.3.2 198.18.3.1; fi
  if [ "$lan" = 1 ]; then lan_segment "$lab"; fi
  if [ -n "$nat" ]; then
    mkns "$lab-nat"; mkns "$lab-priv"
    wire "$lab" "$lab-nat" wan veth-n 198.18.4.2 198.18.4.1
    ip link add lan netns "$lab-nat" type veth peer name eth0 netns "$lab-priv"
    ip -n "$lab-nat" addr add 198.19.0.1/24 dev lan
    ip -n "$lab-nat" link set lan up
    ip -n "$lab-priv" addr add 198.19.0.2/24 dev eth0
    ip -n "$lab-priv" link set eth0 up
    ip -n "$lab-priv" route add default via 198.19.0.1
    nsx "$lab-nat" sysctl -qw net.ipv4.ip_forward=1
    nat_rules "$lab" "$nat"
  fi
  nsx "$lab-rtr" nft -f - <<'NFT'
table inet labimp {
  chain filt { type filter hook forward priority filter; policy accept; }
}
NFT
  trap - ERR
  echo "lab $lab up: $(lab_namespaces "$lab" | tr '\n' ' ')"
}

down() {
  local lab=$1 ns pids
  for ns in $(lab_namespaces "$lab"); do
    # a process left inside a deleted namespace keeps it alive and invisible: stop them by PID first
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ' || true)
    if [ -n "${pids// /}" ]; then
      kill $pids 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
        sleep 0.1
      done
      pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ' || true)
      [ -z "${pids// /}" ] || kill -9 $pids 2>/dev/null || true
    fi
  done
  for ns in $(lab_namespaces "$lab"); do ip netns del "$ns"; done
  rm -rf "${STATE_ROOT:?}/$lab"
  echo "lab $lab down"
}

loss() {
  local lab=$1 host=$2 pct=$3 ns hif rif permille
  read -r ns hif rif < <(host_link "$lab" "$host")
  [ "$rif" != - ] || die "loss applies to router links: a, b, turn or nat"
  permille=$(awk -v p="$pct" 'BEGIN { if (p < 0 || p > 100) exit 1; printf "%d", p * 10 }') || die "PCT must be 0..100"
  nsx "$lab-rtr" nft add rule inet labimp filt iifname "$rif" numgen random mod 1000 "<" "$permille" counter drop
  echo "dropping $pct% of packets from $host"
}

rate() {
  local lab=$1 host=$2 r=$3 ns hif rif
  read -r ns hif rif < <(host_link "$lab" "$host")
  [ "$rif" != - ] || die "rate applies to router links: a, b, turn or nat"
  tc -n "$ns" qdisc replace dev "$hif" root tbf rate "$r" burst 32kb latency 100ms
  tc -n "$lab-rtr" qdisc replace dev "$rif" root tbf rate "$r" burst 32kb latency 100ms
  echo "rate $r both ways on $host's link"
}

stop_wanem() {
  local lab=$1 pidf="$STATE_ROOT/$1/wanem.pid" i
  if [ -f "$pidf" ]; then
    kill "$(cat "$pidf")" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$(cat "$pidf")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(cat "$pidf")" 2>/dev/null || true
    rm -f "$pidf"
  fi
  for i in veth-a veth-b veth-t veth-n; do ip -n "$lab-rtr" rule del iif "$i" lookup 100 2>/dev/null || true; done
  ip -n "$lab-rtr" link del wanem0 2>/dev/null || true
}

wanem() {
  local lab=$1; shift
  local dir="$STATE_ROOT/$lab" i
  stop_wanem "$lab"
  mkdir -p "$dir"
  # Every packet forwarded from a host link is routed into the TUN device (policy routing on iif);
  # wanem.py writes it back, and packets from wanem0 follow the main table out of the right veth.
  ip -n "$lab-rtr" tuntap add dev wanem0 mode tun
  ip -n "$lab-rtr" link set wanem0 up
  nsx "$lab-rtr" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv4.conf.wanem0.rp_filter=0 net.ipv4.conf.wanem0.accept_local=1
  ip -n "$lab-rtr" route replace default dev wanem0 table 100
  for i in veth-a veth-b veth-t veth-n; do
    ip -n "$lab-rtr" link show "$i" >/dev/null 2>&1 && ip -n "$lab-rtr" rule add iif "$i" lookup 100
  done
  nohup ip netns exec "$lab-rtr" "$PYTHON" "$HERE/wanem.py" --dev wanem0 --stats "$dir/wanem.json" "$@" \
    >"$dir/wanem.log" 2>&1 </dev/null &
  echo $! >"$dir/wanem.pid"
  for _ in $(seq 1 30); do grep -q '"wanem"' "$dir/wanem.log" 2>/dev/null && break; sleep 0.1; done
  grep -q '"wanem"' "$dir/wanem.log" || { cat "$dir/wanem.log" >&2; die "wanem did not start"; }
  echo "wanem pid $(cat "$dir/wanem.pid"): $*"
}

clear_imp() {
  local lab=$1 h ns hif rif
  stop_wanem "$lab"
  nsx "$lab-rtr" nft flush chain inet labimp filt
  for h in a b turn nat; do
    read -r ns hif rif < <(host_link "$lab" "$h")
    exists "$ns" || continue
    tc -n "$ns" qdisc del dev "$hif" root 2>/dev/null || true
    tc -n "$lab-rtr" qdisc del dev "$rif" root 2>/dev/null || true
  done
  echo "impairments cleared"
}

status() {
  local ns
  for ns in $(lab_namespaces "$1"); do
    echo "== $ns"
    ip -n "$ns" -br addr | grep -v '^lo' || true
    ip -n "$ns" route | sed 's/^/   route: /'
  done
  nsx "$1-rtr" nft list table inet labimp 2>/dev/null || true
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  list) ip netns list | awk '{print $1}' | sed -n 's/-rtr$//p' ;;
  up | down | exec | loss | rate | wanem | clear | status)
    [ $# -ge 1 ] || die "$cmd needs a lab name"
    [ "$(id -u)" = 0 ] || die "needs root"
    check_lab "$1"
    case $cmd in
      up) up "$@" ;;
      down) down "$1" ;;
      exec) lab=$1; read -r ns _ _ < <(host_link "$lab" "${2:-}"); shift 2; exec ip netns exec "$ns" "$@" ;;
      loss) loss "$1" "${2:-}" "${3:-}" ;;
      rate) rate "$1" "${2:-}" "${3:-}" ;;
      wanem) lab=$1; shift; wanem "$lab" "$@" ;;
      clear) clear_imp "$1" ;;
      status) status "$1" ;;
    esac ;;
  *) sed -n '2,31p' "$0"; exit 2 ;;
esac
