#!/usr/bin/env bash
# Installs geokg's build and test dependencies from Debian 12 packages (as root, or with sudo).
# Idempotent: only missing packages are installed, and apt-get update runs only when needed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ccache clang-format
  librocksdb-dev libcapnp-dev capnproto libboost-graph-dev libcli11-dev catch2 libbenchmark-dev
  libsimdjson-dev nlohmann-json3-dev libicu-dev libxxhash-dev libarchive-dev
  sqlite3 libsqlite3-dev python3 python3-networkx python3-numpy python3-scipy zip
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} dependencies are installed" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root (or install sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
