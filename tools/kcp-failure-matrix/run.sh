#!/bin/sh
# Measures the kcpj columns of the README's failure matrix with real UDP sockets on loopback (see
# KcpFailureMatrix.java): every scenario of both secure and plain KCP at once, each a client
# process with a UdpProxy and its own server process on ephemeral ports. No root needed.
# Needs bench/target/kcpj.jar (./mvnw -B -q -DskipTests package -pl bench -am). About 5 minutes:
# the longest rows wait for plain KCP's dead-link rule (220 s after the failure).
set -eu
cd "$(dirname "$0")"
jar=../../bench/target/kcpj.jar
[ -f "$jar" ] || { echo "build $jar first: ./mvnw -B -q -DskipTests package -pl bench -am" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" KcpFailureMatrix.java
start=$(date +%s)
echo "start $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
pids=""
for mode in secure plain; do
  for s in SERVER_KILLED SERVER_KILLED_HOST_UP SERVER_KILLED_CONNECTED SERVER_RESTARTED BLACKOUT_30S NAT_REBINDING \
      CLIENT_VANISHED PARTITION_90S; do
    java -Xmx128m -XX:+UseSerialGC -cp "$jar:$work" KcpFailureMatrix run "$mode" "$s" \
      > "$work/out-$mode-$s.txt" 2>&1 &
    pids="$pids $!"
    sleep 2 # staggered: 32 JVMs starting at once on 2 cores would not connect within the warm-up
  done
done
for p in $pids; do wait "$p" || echo "a run failed (exit $?)"; done
echo "end $(date -u '+%H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), wall $(( $(date +%s) - start )) s"
cat "$work"/out-secure-*.txt "$work"/out-plain-*.txt
