#!/bin/sh
# Measures the kcpj columns of the README's failure matrix with real UDP sockets on loopback (see
# KcpFailureMatrix.java): every scenario of secure and plain KCP, each a client process (with a
# UdpProxy) and its own server process, ephemeral ports, no root. Needs bench/target/kcpj.jar
# (./mvnw -B -q -DskipTests package -pl bench -am). Runs overlap, started 8 s apart, longest
# first (plain KCP's dead-link rule takes 220 s): about 5 minutes. A run that could not reach a
# steady stream before its failure (a starved JVM) is run once more at the end, alone.
set -eu
cd "$(dirname "$0")"
jar=../../bench/target/kcpj.jar
[ -f "$jar" ] || { echo "build $jar first: ./mvnw -B -q -DskipTests package -pl bench -am" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" KcpFailureMatrix.java
one() {
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$jar:$work" KcpFailureMatrix run "$1" "$2" \
    > "$work/out-$1-$2.txt" 2>&1
}
start=$(date +%s)
echo "start $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
runs="plain:SERVER_KILLED plain:SERVER_KILLED_HOST_UP plain:SERVER_KILLED_CONNECTED
  plain:SERVER_RESTARTED plain:NAT_REBINDING plain:PARTITION_90S plain:BLACKOUT_30S
  secure:NAT_REBINDING plain:CLIENT_VANISHED secure:SERVER_KILLED secure:SERVER_KILLED_HOST_UP
  secure:SERVER_KILLED_CONNECTED secure:BLACKOUT_30S secure:PARTITION_90S secure:CLIENT_VANISHED
  secure:SERVER_RESTARTED"
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
