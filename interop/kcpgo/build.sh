#!/usr/bin/env bash
# Builds the kcp-go interop peers (echoserver, echoclient) offline, in GOPATH mode, from
# Debian's packages: apt-get install golang-go golang-github-xtaci-kcp-dev
# Usage: build.sh [OUTPUT_DIR]   (default: interop/kcpgo/bin)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "${1:-$here/bin}" && cd "${1:-$here/bin}" && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "go not found: apt-get install golang-go golang-github-xtaci-kcp-dev" >&2
  exit 2
fi
if [ ! -d /usr/share/gocode/src/github.com/xtaci/kcp-go ]; then
  echo "kcp-go sources not found: apt-get install golang-github-xtaci-kcp-dev" >&2
  exit 2
fi

# A private GOPATH entry holds our small shared package; Debian's gocode holds kcp-go and its deps.
gopath="$out/gopath"
mkdir -p "$gopath/src"
rm -rf "$gopath/src/kcpconf"
cp -r "$here/kcpconf" "$gopath/src/kcpconf"

export GO111MODULE=off
export GOPATH="$gopath:/usr/share/gocode"
export GOPROXY=off
export GOFLAGS=
export GOCACHE="${GOCACHE:-$out/gocache}"
cd "$here"
go build -o "$out/kcpgo-echoserver" ./echoserver
go build -o "$out/kcpgo-echoclient" ./echoclient
echo "built $out/kcpgo-echoserver $out/kcpgo-echoclient"
