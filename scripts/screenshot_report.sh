#!/usr/bin/env bash
# Render a newsevents HTML report in headless Chromium and save a PNG screenshot.
#
#   scripts/screenshot_report.sh report.html [out.png] [WIDTHxHEIGHT]
#
# Needs chromium (Debian: apt-get install -y chromium). Nothing is fetched: the report is
# self-contained and background networking, sync and component updates are switched off.
set -euo pipefail

html=${1:?usage: scripts/screenshot_report.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]}
png=${2:-${html%.html}.png}
size=${3:-1400x2400}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
  done
fi
if [ -z "$browser" ]; then
  echo "screenshot_report.sh: no chromium found (Debian: apt-get install -y chromium; or set CHROMIUM=...)" >&2
  exit 3
fi

[ -f "$html" ] || { echo "screenshot_report.sh: no such file: $html" >&2; exit 2; }
html_abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
png_abs=$(mkdir -p "$(dirname "$png")" && cd "$(dirname "$png")" && pwd)/$(basename "$png")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

rm -f "$png_abs"
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --disable-extensions \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$png_abs" --window-size="${size/x/,}" "file://$html_abs" >/dev/null 2>&1 || true

if [ ! -s "$png_abs" ]; then
  echo "screenshot_report.sh: chromium wrote no screenshot" >&2
  exit 1
fi
echo "$png_abs"
