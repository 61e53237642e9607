#!/usr/bin/env bash
# Integration test of report.html in a real browser: runs a shipped scenario (run), a comparison (compare) and a sweep,
# renders each report.html with headless Chromium (the Debian package, installed if missing) to a PNG, and checks that
# the page is not blank, holds its charts, and logs no console error. Keeps the screenshots in REPORT_SHOTS (default: a
# temporary folder, removed on exit) so a person can look at them.
# Usage: tests/integration/report.sh   (exit 0 on success; 1 on a failure; needs root to install chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { echo "report-it: $*"; }
die() { echo "report-it: FAILED: $*" >&2; exit 1; }

if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
    || die "cannot install the chromium package"
fi

work=$(mktemp -d)
shots=${REPORT_SHOTS:-$work/shots}
mkdir -p "$shots"
trap 'rm -rf "$work"' EXIT
ds() { dotnet src/Cli/bin/Release/net10.0/disastersim.dll "$@" --no-progress >/dev/null 2>"$work/last.err" || { cat "$work/last.err"; die "disastersim $1"; }; }
ds_np() { dotnet src/Cli/bin/Release/net10.0/disastersim.dll "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err"; die "disastersim $1"; }; }

[ -f src/Cli/bin/Release/net10.0/disastersim.dll ] || dotnet build src/Cli -c Release >/dev/null
ds run scenarios/00-small-office.yaml --trials 5000 --out "$work/run"
ds_np compare scenarios/03-hourly-async-dr.yaml --trials 3000 --out "$work/compare" --variant "hourly-only:data[erp-db].replication=[]"
ds_np sweep scenarios/03-hourly-async-dr.yaml --trials 2000 --out "$work/sweep" --set "data[erp-db].backups[hourly-offsite].interval=1h,24h"

render() {
  local name=$1 html=$2 min_images=$3
  [ -f "$html" ] || die "$name: no report.html"
  local profile log
  profile=$(mktemp -d)
  log="$work/$name.log"
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --screenshot="$shots/$name.png" --window-size=1280,2400 "file://$html" >"$log" 2>&1 || { cat "$log"; die "$name: chromium failed"; }
  rm -rf "$profile"
  [ -s "$shots/$name.png" ] || die "$name: no screenshot"
  # A blank 1280x2400 page compresses to a few kilobytes; tables and charts make it far larger.
  local bytes
  bytes=$(stat -c %s "$shots/$name.png")
  [ "$bytes" -gt 60000 ] || die "$name: the screenshot is $bytes bytes: the page looks blank"
  if grep -E "CONSOLE|Uncaught|Failed to load|ERR_" "$log" | grep -v "dbus" >/dev/null; then
    grep -E "CONSOLE|Uncaught|Failed to load|ERR_" "$log" >&2
    die "$name: console errors"
  fi
  local images
  images=$(grep -o 'src="data:image/png;base64,' "$html" | wc -l)
  [ "$images" -ge "$min_images" ] || die "$name: $images charts, expected at least $min_images"
  grep -q 'http://\|https://' "$html" && die "$name: report.html refers to the network"
  say "$name: rendered ($bytes bytes of screenshot, $images charts, no console error)"
}

render run "$work/run/report.html" 5
render compare "$work/compare/report.html" 5
render sweep "$work/sweep/report.html" 4
say "screenshots in $shots"
