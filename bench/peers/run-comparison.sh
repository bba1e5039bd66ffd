#!/usr/bin/env bash
# Runs kcpj perf's four workloads against three KCP servers on loopback, side by side, and prints
# one table. Each server runs in its own JVM with its own classpath:
#   kcpj     - this repository's kcp-netty (Netty 4.2, NIO), bench/target/kcpj.jar
#   kcpj-epoll - the same on Netty's native epoll transport (recvmmsg/sendmmsg)
#   kcpj-epoll-rc - kcpj-epoll with read coalescing (--read-coalescing $RC, default 1ms): reading
#              pauses up to that long after each burst of several datagrams (opt-in, trades
#              latency for CPU; see KcpCodecBuilder.readCoalescing)
#   kcpj-io_uring - the same on Netty's native io_uring transport (opt-in: add it to SERVERS)
#   jpower   - io.jpower.kcp:kcp-netty:1.5.2 (Netty 4.1), bench/peers/jpower
#   java-kcp - com.github.l42111996:kcp-base:1.6 (Netty 4.1), bench/peers/l42111996
# The same client (kcpj perf client on epoll when available, one UDP socket per session, one
# event loop) drives every
# server; RTT is measured from the scheduled send time; server CPU is the server's own process
# CPU time, reported over the perf protocol. All use KCP "fast" (nodelay 1, interval 10,
# resend 2, nc on), windows 128, mtu 1400. Every session uses conv 1 (each has its own socket):
# java-Kcp's address-keyed server expects the conv of its ChannelConfig.
#
# Usage: bench/peers/run-comparison.sh [SECONDS_PER_CELL] [REPETITIONS]   (default 15, 1)
#   SERVERS="kcpj jpower java-kcp" WORKLOADS="a b c d" to choose cells. Not part of CI.
#   SERVER_CPUS=1 CLIENT_CPUS=0 pin the server and the client to separate cores (taskset lists),
#   so that neither steals the other's core; every server gets the same pinning.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_CELL="${1:-15}"
REPS="${2:-1}"
SERVERS="${SERVERS:-kcpj kcpj-epoll kcpj-epoll-rc jpower java-kcp}"
WORKLOADS="${WORKLOADS-a b c d}" # set but empty: run nothing, only print the table of $OUT
WARMUP="${WARMUP:-20s}" # long enough for C2 to finish what (a)'s 1,000 Hz warm-up sets off
JAVA_OPTS="-XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:--Xms1g -Xmx4g}"
C_RATE="${C_RATE:-20}"   # workload (c)'s rate per session: 20 Hz is 200,000 msg/s offered
SPIN="${SERVER_CPUS:+taskset -c $SERVER_CPUS}"
CPIN="${CLIENT_CPUS:+taskset -c $CLIENT_CPUS}"
KCPJ="java $JAVA_OPTS -jar bench/target/kcpj.jar" # carries Netty's native epoll and io_uring
OUT="${OUT:-bench/peers/target/comparison-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

echo "building jars..." >&2
./mvnw -B -q -o package -DskipTests -pl kcp-core,kcp-netty,netem-sim,netem-tun,bench >&2
./mvnw -B -q -f bench/peers/jpower/pom.xml package >&2
./mvnw -B -q -f bench/peers/l42111996/pom.xml package >&2

PORT="${PORT:-$((20000 + $$ % 10000))}" # below the ephemeral range
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

start_server() { # name port
  local log="$OUT/server-$1.log"
  case "$1" in
    kcpj) $SPIN $KCPJ perf server --listen "127.0.0.1:$2" --mode fast,wnd=128 --transport nio >"$log" 2>&1 & ;;
    kcpj-epoll) $SPIN $KCPJ perf server --listen "127.0.0.1:$2" --mode fast,wnd=128 --transport epoll >"$log" 2>&1 & ;;
    kcpj-epoll-rc) $SPIN $KCPJ perf server --listen "127.0.0.1:$2" --mode fast,wnd=128 --transport epoll --read-coalescing "${RC:-1ms}" >"$log" 2>&1 & ;;
    kcpj-io_uring) $SPIN $KCPJ perf server --listen "127.0.0.1:$2" --mode fast,wnd=128 --transport io_uring >"$log" 2>&1 & ;;
    jpower) $SPIN java $JAVA_OPTS -jar bench/peers/jpower/target/peer-jpower.jar "$2" fast 128 >"$log" 2>&1 & ;;
    java-kcp) $SPIN java $JAVA_OPTS -jar bench/peers/l42111996/target/peer-l42111996.jar "$2" fast 128 >"$log" 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening" "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server $1 did not start: $(cat "$log")" >&2
  return 1
}

client_args() { # workload
  case "$1" in
    # (a) warms up at 1,000 Hz so that every server's hot paths are JIT-compiled before the
    # 20 Hz window (at 20 Hz a 10 s warm-up is only 200 messages: the JIT would still be at work),
    # then settles at 20 Hz for A_SETTLE (default 10 s) so that the switch from the fast pattern
    # (recompilation, idle-timer paths) is not measured either.
    a) echo "--sessions 1 --rate 20 --size 100 --warmup-rate ${A_WARMUP_RATE:-1000} --settle ${A_SETTLE:-10s}" ;;
    b) echo "--sessions 1000 --rate 20 --size 100" ;;
    c) echo "--sessions 10000 --rate $C_RATE --size 100" ;;
    d) echo "--bulk --size 1376" ;;
  esac
}

for rep in $(seq 1 "$REPS"); do
  for w in $WORKLOADS; do
    for s in $SERVERS; do
      PORT=$((PORT + 1))
      start_server "$s" "$PORT"
      echo "rep $rep workload $w server $s ..." >&2
      if $CPIN $KCPJ perf client --connect "127.0.0.1:$PORT" --transport auto \
          $(client_args "$w") --duration "${SECONDS_PER_CELL}s" --warmup "$WARMUP" --mode fast,wnd=128 \
          --conv 1 --json >"$OUT/$w-$s-$rep.json" 2>"$OUT/$w-$s-$rep.err"; then :; else
        echo "{\"error\":\"client failed\"}" >"$OUT/$w-$s-$rep.json"
      fi
      stop_server
    done
  done
done

C_RATE="$C_RATE" python3 - "$OUT" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
cells = {}
for f in sorted(os.listdir(out)):
    if not f.endswith('.json'):
        continue
    w, s, rep = f[:-5].split('-', 1)[0], f[:-5].split('-', 1)[1].rsplit('-', 1)[0], f[:-5].rsplit('-', 1)[1]
    try:
        cells.setdefault((w, s), []).append(json.load(open(os.path.join(out, f))))
    except Exception as e:
        cells.setdefault((w, s), []).append({'error': str(e)})
def med(rs, k):
    v = [r[k] for r in rs if k in r]
    return statistics.median(v) if v else float('nan')
import os as _o
names = {'a': '(a) 1 x 20 Hz x 100 B', 'b': '(b) 1,000 x 20 Hz x 100 B', 'c': '(c) 10,000 x ' + _o.environ.get('C_RATE', '20') + ' Hz x 100 B', 'd': '(d) bulk, 1 session'}
print(f"{'workload':28} {'server':13} {'msg/s':>9} {'p50 ms':>8} {'p99 ms':>9} {'unans.':>7} {'skip':>7} {'open':>6} {'srv CPU%':>9} {'msg/CPU-s':>10} {'Mbit/s':>8} {'runs':>4}")
for w in 'abcd':
    for s in ['kcpj', 'kcpj-epoll', 'kcpj-epoll-rc', 'kcpj-io_uring', 'jpower', 'java-kcp']:
        rs = cells.get((w, s))
        if not rs:
            continue
        ok = [r for r in rs if 'error' not in r]
        if not ok:
            print(f"{names[w]:28} {s:13} failed: {rs[0].get('error')}")
            continue
        if w == 'd':
            print(f"{names[w]:28} {s:13} {'':>9} {'':>8} {'':>9} {'':>7} {'':>7} {'':>6} {med(ok,'server_cpu_pct'):9.1f} {'':>10} {med(ok,'goodput_mbit_s'):8.1f} {len(ok):4}")
        else:
            print(f"{names[w]:28} {s:13} {med(ok,'messages_per_s'):9.0f} {med(ok,'rtt_p50_ms'):8.2f} {med(ok,'rtt_p99_ms'):9.2f} {med(ok,'unanswered'):7.0f} {med(ok,'skipped_backpressure'):7.0f} {med(ok,'sessions_open_at_end'):6.0f} {med(ok,'server_cpu_pct'):9.1f} {med(ok,'server_messages_per_cpu_s'):10.0f} {med(ok,'goodput_mbit_s'):8.2f} {len(ok):4}")
# Per repetition: each kcpj server's msg/CPU-s over the best peer's in the same repetition, and
# its p99 over that peer's p99 (the target: ratio >= 2 at a p99 ratio <= 1).
def per_rep(w, s):
    return {f[:-5].rsplit('-', 1)[1]: json.load(open(os.path.join(out, f)))
            for f in sorted(os.listdir(out))
            if f.endswith('.json') and f.startswith(w + '-' + s + '-') and f[len(w) + len(s) + 2:-5].isdigit()}
print("\nper repetition, against the best peer of the same repetition (msg/CPU-s ratio, p99 ratio):")
for w in 'abc':
    peers = {p: per_rep(w, p) for p in ['jpower', 'java-kcp']}
    for s in ['kcpj', 'kcpj-epoll', 'kcpj-epoll-rc', 'kcpj-io_uring']:
        mine = per_rep(w, s)
        parts = []
        for rep, r in sorted(mine.items()):
            best = max((peers[p][rep] for p in peers if rep in peers[p] and 'error' not in peers[p][rep]),
                       key=lambda x: x.get('server_messages_per_cpu_s', 0), default=None)
            if best is None or 'error' in r or not best.get('server_messages_per_cpu_s'):
                continue
            parts.append("%.2fx (p99 %.2fx)" % (r['server_messages_per_cpu_s'] / best['server_messages_per_cpu_s'],
                                                r['rtt_p99_ms'] / best['rtt_p99_ms'] if best['rtt_p99_ms'] else float('nan')))
        if parts:
            print(f"  {names[w]:28} {s:13} " + ", ".join(parts))
print(f"\nraw JSON per run: {out}")
PY
