#!/usr/bin/env bash
# The main job on the embedded default, for a newcomer: installs what it needs (as root), builds
# duegate (release), writes ./duegate.ini from config/duegate.example.ini when missing, migrates
# the SQLite store under ./var, creates a demo creditor and portal user once, and runs
# `duegate serve` in the foreground (SMTP in on 127.0.0.1:2525, portal on http://127.0.0.1:8080,
# outbound mail written as .eml files under ./var/outbox). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/packages.sh run
# -O2: GCC 12 at -O3 reports false -Wrestrict errors inside std::string (GCC bug 105329).
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DDUEGATE_TESTS=OFF >/dev/null
make -C build-release -j"$(nproc)" --no-print-directory duegate 2>&1 | grep -v -E '^\[ *[0-9]+%\]|^make' || true
make -C build-release -j"$(nproc)" --no-print-directory duegate >/dev/null
dg=build-release/duegate
config=${DUEGATE_CONFIG:-duegate.ini}
[ -f "$config" ] || cp config/duegate.example.ini "$config"
mkdir -p var
$dg migrate --config "$config"
if [ ! -f var/demo-creditor.json ]; then
  $dg creditor add --config "$config" --name "Demo Creditor" --intake invoices@demo.duegate.example \
      --email you@demo.example --iban BE68539007547034 --bic GKCCBEBB > var/demo-creditor.json
  id=$(sed -E 's/.*"id": *([0-9]+).*/\1/' var/demo-creditor.json)
  echo "duegate-demo-password" | $dg user add --config "$config" --email demo@duegate.example \
      --creditor "$id" --name "Demo user" >/dev/null
fi
if [ ! -f var/demo-staff.done ]; then
  echo "duegate-demo-password" | $dg user add --config "$config" --email case@duegate.example --staff \
      --name "Demo case manager" >/dev/null && touch var/demo-staff.done
fi
cat <<MSG

duegate demo
  intake address   invoices@demo.duegate.example  (SMTP on 127.0.0.1:2525; send from you@demo.example)
  portal           http://127.0.0.1:8080/login    demo@duegate.example / duegate-demo-password (creditor)
                                                  case@duegate.example / duegate-demo-password (case manager)
  API key          $(sed -E 's/.*"api_key": *"([^"]+)".*/\1/' var/demo-creditor.json)
  outbound mail    ./var/outbox/*.eml
  config, store    ./$config, ./var/duegate.db, ./var/blobs
Send the sample invoice (README, "Send the first invoice mail"), then open the portal.

MSG
exec $dg serve --config "$config"
