#!/usr/bin/env bash
# Installs the Debian 12 packages duegate needs. Usage: scripts/packages.sh run|test
# As root it uses apt-get; as another user it only checks and says what is missing.
set -euo pipefail
build=(cmake g++ make pkg-config libssl-dev libpoco-dev libpq-dev libmimetic-dev libcurl4-openssl-dev
       libpoppler-cpp-dev libargon2-dev libqrencode-dev libkainjow-mustache-dev ca-certificates
       libcairo2-dev libfreetype-dev fonts-dejavu-core libopendkim-dev libspf2-dev libxlsxwriter-dev)
test=(libboost-test-dev postgresql python3-aiosmtpd openssl clang libclang-rt-14-dev
      poppler-utils zbar-tools opendkim-tools chromium chromium-driver python3-selenium
      openssh-server openssh-client dovecot-pop3d dovecot-imapd postfix)   # intake door tests
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
# Postfix, Dovecot and sshd are test peers started by the tests with their own configs: keep the
# packages' system daemons from starting on install (STACK.md).
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ -n "$policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
