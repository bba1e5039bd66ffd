#!/bin/sh
# Measures the kernel-TCP column of the README's failure matrix (see TcpFailureMatrix.java).
# Needs root (network namespaces and tc); each scenario runs in a namespace of its own, so the
# blackhole on its loopback device touches nothing else. Takes about 2.5 minutes (in parallel).
set -eu
cd "$(dirname "$0")"
run() {
  ns="kcpj-tcpfm-$1-$$"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" java TcpFailureMatrix.java "$1" || echo "$1: failed"
  ip netns del "$ns"
}
for s in killed restarted blackout partition vanished; do
  run "$s" > "out-$s.txt" 2>&1 &
done
wait
cat out-*.txt
rm -f out-*.txt
