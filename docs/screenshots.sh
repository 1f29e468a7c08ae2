#!/usr/bin/env bash
# Regenerates the README's screenshots and charts from the current build:
#   docs/verify-report.png   tcsim verify --report (the embedded golden sets), rendered by Chromium
#   docs/replay-report.png   tcsim replay llama3_8b_layer --rows 16 --report, rendered by Chromium
#   docs/sms-sweep.png/.csv  tcsim time --sweep sms=... --chart (a PNG drawn by tcsim itself)
#   docs/timing/validate.png tcsim time --validate docs/timing/measured-gemms.csv --chart
# The HTML reports are rendered in a real headless browser: Chromium as Debian packages it
# (apt-get install chromium); set CHROMIUM to use another binary. Run from anywhere:
#   docs/screenshots.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tcsim="$here/tcsim"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
  echo "screenshots.sh: no chromium on the PATH (apt-get install chromium, or set CHROMIUM)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shoot HTML PNG WIDTH HEIGHT: the top WIDTH x HEIGHT pixels of a page, as a browser shows it.
shoot() {
  local profile
  profile="$(mktemp -d "$work/profile.XXXXXX")"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --screenshot="$2" --window-size="$3,$4" \
    "file://$1" >"$work/chromium.log" 2>&1 || {
      cat "$work/chromium.log" >&2
      echo "screenshots.sh: chromium failed on $1" >&2
      exit 1
    }
  [ -s "$2" ] || { echo "screenshots.sh: chromium wrote no $2" >&2; exit 1; }
  echo "wrote $2"
}

cd "$here"
./tcsim verify --report "$work/verify" >/dev/null
./tcsim replay llama3_8b_layer --rows 16 --quiet --report "$work/replay" >/dev/null
shoot "$work/verify/index.html" "$here/docs/verify-report.png" 1000 1700
shoot "$work/replay/index.html" "$here/docs/replay-report.png" 1000 2260
./tcsim time --gpu h800 --m 256 --n 7168 --k 7168 --sweep sms=100:160:4 \
  --out "$here/docs/sms-sweep.csv" --chart "$here/docs/sms-sweep.png"
./tcsim time --validate docs/timing/measured-gemms.csv --chart "$here/docs/timing/validate.png" \
  >/dev/null
echo "wrote $here/docs/timing/validate.png"
