#!/bin/sh
# Builds the differential harness (and repro_basic, the check that a reference copy reproduces
# kcp-core/src/test/resources/ikcp-vectors.txt, and bench, the reference under the JMH
# KcpEngineBenchmark workload) against a copy of the C reference.
#
#   tools/ikcp-diff/build.sh REFDIR [OUTDIR]
#
# REFDIR holds ikcp.c and ikcp.h of skywind3000/kcp (see README.md); OUTDIR defaults to
# /tmp/ikcp-diff-build. Nothing is written into the repository.
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 REFDIR [OUTDIR]" >&2
  exit 2
fi
REF=$(cd "$1" && pwd)
OUT=${2:-/tmp/ikcp-diff-build}
HERE=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-gcc}
mkdir -p "$OUT"
for f in ikcp.c ikcp.h; do
  [ -f "$REF/$f" ] || { echo "missing $REF/$f" >&2; exit 2; }
done
if ! grep -q '^#define IKCP_FASTACK_CONSERVE' "$REF/ikcp.c"; then
  echo "warning: $REF/ikcp.c does not define IKCP_FASTACK_CONSERVE; the vectors assume it" >&2
fi
$CC -O2 -Wall -Wextra -Wno-unused-parameter -I"$REF" -o "$OUT/harness" "$HERE/harness.c" "$REF/ikcp.c"
$CC -O2 -Wall -I"$REF" -o "$OUT/repro_basic" "$HERE/repro_basic.c" "$REF/ikcp.c"
$CC -O2 -Wall -I"$REF" -o "$OUT/bench" "$HERE/bench.c" "$REF/ikcp.c"
echo "built $OUT/harness, $OUT/repro_basic and $OUT/bench"
