#!/bin/sh
# Measures the failure matrix over netem-sim's TUN bridge (see BridgeFailureMatrix.java): every
# scenario for a secure kcpj session, plain KCP and kernel TCP, each run a bridge of its own (two
# network namespaces), the client in A, the server process in B, 20 ms each way. Needs root and
# bench/target/kcpj.jar (./mvnw -B -q -DskipTests package -pl bench -am). Run from anywhere; the
# classes are compiled into the repository's ignored target/bfm. Runs overlap, started 8 s apart,
# longest first (TCP's vanished host and NAT rebinding wait for tcp_retries2, about 15 minutes):
# about 17 minutes. A run that could not reach a steady stream before its failure is run once more
# at the end, alone.
set -eu
cd "$(dirname "$0")/../.."
jar=bench/target/kcpj.jar
[ -f "$jar" ] || { echo "build $jar first: ./mvnw -B -q -DskipTests package -pl bench -am" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, TUN devices)" >&2; exit 1; }
classes=target/bfm
mkdir -p "$classes"
javac -d "$classes" -cp "$jar" tools/kcp-failure-matrix/KcpFailureMatrix.java \
  tools/bridge-failure-matrix/BridgeFailureMatrix.java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one() {
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$jar:$classes" BridgeFailureMatrix \
    run "$1" "$2" > "$work/out-$1-$2.txt" 2>&1
}
start=$(date +%s)
echo "start $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
runs="tcp:SERVER_KILLED tcp:NAT_REBINDING plain:SERVER_KILLED plain:SERVER_KILLED_HOST_UP
  plain:SERVER_KILLED_CONNECTED plain:SERVER_RESTARTED plain:NAT_REBINDING plain:PARTITION_90S
  tcp:PARTITION_90S plain:BLACKOUT_30S tcp:BLACKOUT_30S secure:NAT_REBINDING plain:CLIENT_VANISHED
  tcp:CLIENT_VANISHED secure:SERVER_KILLED secure:SERVER_KILLED_HOST_UP
  secure:SERVER_KILLED_CONNECTED secure:BLACKOUT_30S secure:PARTITION_90S secure:CLIENT_VANISHED
  secure:SERVER_RESTARTED tcp:SERVER_RESTARTED tcp:SERVER_KILLED_HOST_UP"
for r in $runs; do
  one "${r%%:*}" "${r#*:}" &
  sleep 8
done
wait
for r in $runs; do
  f="$work/out-${r%%:*}-${r#*:}.txt"
  if ! grep -q "wall" "$f"; then
    echo "again, alone: $r ($(head -1 "$f" | cut -c1-200))"
    one "${r%%:*}" "${r#*:}" || true
  fi
done
echo "end $(date -u '+%H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), wall $(( $(date +%s) - start )) s"
for r in $runs; do cat "$work/out-${r%%:*}-${r#*:}.txt"; done
