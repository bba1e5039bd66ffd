#!/usr/bin/env bash
# One message's timeline (bench/peers/RESULTS.md, run 9): runs the kcpj perf server and a thin-stream
# client (1 session x RATE (20) Hz x 100 B with its raw-UDP floor twin) with -Dkcpj.traceStages, then
# prints the per-stage medians (bench/peers/stage-timeline.py). Not part of CI.
#
# Usage: bench/peers/stage-trace.sh [OUT_DIR]   (JAR, DUR, WARM, PORT as in ab.sh; WARM_RATE 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR="${JAR:-bench/target/kcpj.jar}"
OUT="${1:-bench/peers/target/trace-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
PORT="${PORT:-$((21000 + $$ % 9000))}"
uptime | tee "$OUT/uptime-before.txt"
java -Xms1g -Xmx4g -Dkcpj.traceStages="$OUT/server.trace" -jar "$JAR" perf server \
    --listen "127.0.0.1:$PORT" --mode fast,wnd=128 --transport epoll >"$OUT/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q listening "$OUT/server.log" 2>/dev/null && break; sleep 0.1; done
java -Xms1g -Xmx4g -Dkcpj.traceStages="$OUT/client.trace" -jar "$JAR" perf client \
    --connect "127.0.0.1:$PORT" --transport auto --sessions 1 --rate "${RATE:-20}" --size 100 \
    --duration "${DUR:-15}s" --warmup "${WARM:-10}s" --warmup-rate "${WARM_RATE:-1000}" --conv 1 \
    --mode fast,wnd=128 --floor --json >"$OUT/client.json" 2>"$OUT/client.err" || true
kill "$server"; wait "$server" 2>/dev/null || true
uptime | tee "$OUT/uptime-after.txt"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('p50 %.3f ms  floor p50 %.3f ms  excess p50 %.3f ms  p99 %.3f  floor p99 %.3f' % (d['rtt_p50_ms'], d['floor_rtt_p50_ms'], d['excess_p50_ms'], d['rtt_p99_ms'], d['floor_rtt_p99_ms']))" "$OUT/client.json"
python3 bench/peers/stage-timeline.py "$OUT/client.trace" "$OUT/server.trace" 300
echo "-- the last 1000 warm-up messages (1 ms apart: hot caches) --"
python3 bench/peers/stage-timeline.py "$OUT/client.trace" "$OUT/server.trace" 1000 warm
