#!/usr/bin/env bash
# Regenerates kcpj's kcp-go reference vectors for the FEC and BlockCrypt layers, offline, in GOPATH
# mode, from Debian's packages: apt-get install golang-go golang-github-xtaci-kcp-dev
# (golang-github-klauspost-reedsolomon-dev and the crypto packages come with it).
#
#   interop/kcpgo/vectors.sh            rewrites kcp-core/src/test/resources/kcpgo/vectors.txt
#   interop/kcpgo/vectors.sh session    rewrites kcp-core/src/test/resources/kcpgo/session.txt
#   interop/kcpgo/vectors.sh --stdout   prints the deterministic vectors instead
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out_dir="$root/kcp-core/src/test/resources/kcpgo"

if ! command -v go >/dev/null 2>&1; then
  echo "go not found: apt-get install golang-go golang-github-xtaci-kcp-dev" >&2
  exit 2
fi
if [ ! -d /usr/share/gocode/src/github.com/xtaci/kcp-go ]; then
  echo "kcp-go sources not found: apt-get install golang-github-xtaci-kcp-dev" >&2
  exit 2
fi

build="${KCPGO_VECTORS_BUILD:-${TMPDIR:-/tmp}/kcpj-kcpgo-vectors}"
mkdir -p "$build"
export GO111MODULE=off
export GOPATH=/usr/share/gocode
export GOPROXY=off
export GOFLAGS=
export GOCACHE="${GOCACHE:-$build/gocache}"
cd "$here"
go build -o "$build/kcpgo-vectors" ./vectors

case "${1:-}" in
  --stdout) "$build/kcpgo-vectors" ;;
  session)
    mkdir -p "$out_dir"
    "$build/kcpgo-vectors" session >"$out_dir/session.txt"
    echo "wrote $out_dir/session.txt" ;;
  "")
    mkdir -p "$out_dir"
    "$build/kcpgo-vectors" >"$out_dir/vectors.txt"
    echo "wrote $out_dir/vectors.txt" ;;
  *) echo "usage: $0 [--stdout | session]" >&2; exit 2 ;;
esac
