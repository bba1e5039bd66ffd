#!/usr/bin/env bash
# Quick side-by-side A/B of servers on one workload (default (b): 1,000 sessions x 20 Hz x 100 B),
# one server at a time, REPS rounds; prints one line per run. Not part of CI.
#
# Usage: bench/peers/ab.sh REPS SPEC...
#   SPEC is LABEL=JVM_OPTIONS#SERVER_ARGS. LABEL "jpower..." or "java-kcp..." runs that peer (its
#   SERVER_ARGS are ignored); anything else runs the kcpj perf server from $JAR (default
#   bench/target/kcpj.jar) with SERVER_ARGS, e.g.
#   bench/peers/ab.sh 3 "plain=#--transport epoll" "rc=#--transport epoll --read-coalescing 1ms" "jpower=#"
#   A label LABEL@PATH runs the kcpj perf server from the jar at PATH instead (before/after a change:
#   "before@kcpj-before.jar=#--transport epoll" "after=#--transport epoll"); the client is
#   $JAR's, unless BOTH_SIDES=1: then the client runs from the label's jar, with the label's
#   JVM_OPTIONS, too (a change to kcp-netty or to the JVM's flags is on both sides of a latency
#   measurement). kcpj.jar carries Netty's native epoll and io_uring.
#   SESSIONS, RATE, DUR (s), WARM (s) change the workload; CLIENT_ARGS adds client options (e.g.
#   "--warmup-rate 1000 --settle 5s", or "--floor": kcpj servers only, the raw-UDP floor alongside).
#   Build the jars first (run-comparison.sh does, or ./mvnw -B -q package -DskipTests plus the
#   peers' own poms).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="$1"; shift
JAR="${JAR:-bench/target/kcpj.jar}"
OUT="${OUT:-bench/peers/target/ab-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
PORT="${PORT:-$((21000 + $$ % 9000))}"
# SERVER_CPUS / CLIENT_CPUS (taskset lists, e.g. 1 and 0) pin the server and the client apart.
SPIN="${SERVER_CPUS:+taskset -c $SERVER_CPUS}"; CPIN="${CLIENT_CPUS:+taskset -c $CLIENT_CPUS}"
for rep in $(seq 1 "$REPS"); do
  for spec in "$@"; do
    PORT=$((PORT + 1)); label="${spec%%=*}"; rest="${spec#*=}"; jvm="${rest%%#*}"; args="${rest#*#}"
    server_jar="$JAR"
    case "$label" in *@*) server_jar="${label#*@}"; label="${label%%@*}" ;; esac
    case "$label" in
      jpower*) $SPIN java -XX:+ExitOnOutOfMemoryError -Xms1g -Xmx4g $jvm -jar bench/peers/jpower/target/peer-jpower.jar "$PORT" fast 128 >"$OUT/server.log" 2>&1 & ;;
      java-kcp*) $SPIN java -XX:+ExitOnOutOfMemoryError -Xms1g -Xmx4g $jvm -jar bench/peers/l42111996/target/peer-l42111996.jar "$PORT" fast 128 >"$OUT/server.log" 2>&1 & ;;
      *) $SPIN java -XX:+ExitOnOutOfMemoryError -Xms1g -Xmx4g $jvm -jar "$server_jar" perf server --listen "127.0.0.1:$PORT" --mode fast,wnd=128 $args >"$OUT/server.log" 2>&1 & ;;
    esac
    server=$!
    for _ in $(seq 1 100); do grep -q listening "$OUT/server.log" 2>/dev/null && break; sleep 0.1; done
    client_jar="$JAR"; client_jvm=""
    if [ "${BOTH_SIDES:-0}" = 1 ]; then client_jar="$server_jar"; client_jvm="$jvm"; fi
    $CPIN java -XX:+ExitOnOutOfMemoryError -Xms1g -Xmx4g $client_jvm -jar "$client_jar" perf client --connect "127.0.0.1:$PORT" \
        --transport auto --sessions "${SESSIONS:-1000}" --rate "${RATE:-20}" --size 100 \
        --duration "${DUR:-15}s" --warmup "${WARM:-10}s" --conv 1 --mode fast,wnd=128 --json ${CLIENT_ARGS:-} \
        >"$OUT/$label-$rep.json" 2>/dev/null || echo '{}' >"$OUT/$label-$rep.json"
    kill "$server"; wait "$server" 2>/dev/null || true
    python3 - "$rep" "$label" "$OUT/$label-$rep.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[3]))
if 'server_messages_per_cpu_s' not in d:
    print(sys.argv[1], sys.argv[2], "failed"); sys.exit()
line = "p50 %.3f ms  p99 %.3f ms  server CPU %.1f %%  msg/CPU-s %.0f  unanswered %d  send lag p50 %.3f ms" % (
    d["rtt_p50_ms"], d["rtt_p99_ms"], d["server_cpu_pct"], d["server_messages_per_cpu_s"], d["unanswered"],
    d.get("send_lag_p50_ms", float("nan")))
if "floor_rtt_p50_ms" in d:
    line += "  | floor p50 %.3f ms  p99 %.3f ms  excess p50 %.3f ms  p99/floor %.2f" % (
        d["floor_rtt_p50_ms"], d["floor_rtt_p99_ms"], d["excess_p50_ms"], d.get("p99_over_floor", float("nan")))
print(sys.argv[1], sys.argv[2], line)
PY
  done
done
