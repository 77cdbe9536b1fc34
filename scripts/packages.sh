#!/usr/bin/env bash
# Installs the Debian 12 packages duegate needs. Usage: scripts/packages.sh run|test
# As root it uses apt-get; as another user it only checks and says what is missing.
set -euo pipefail
build=(cmake g++ make pkg-config libssl-dev libpoco-dev libpq-dev libmimetic-dev libcurl4-openssl-dev
       libpoppler-cpp-dev libargon2-dev libqrencode-dev ca-certificates)
test=(libboost-test-dev postgresql python3-aiosmtpd openssl clang libclang-rt-14-dev)
want=("${build[@]}")
[ "${1:-run}" = test ] && want+=("${test[@]}")
missing=()
for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing packages (install as root): ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
