#!/usr/bin/env bash
# Integration test of the install step in README: packs the command as a .NET tool, installs it from the local
# package into a private tool path, runs it on a shipped scenario, and compares its files byte for byte with
# those of the build in the source tree. Removes its folder on exit.
# Usage: tests/integration/tool.sh   (exit 0 on success; 1 on a failure)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "tool-it: $*"; }
die() { echo "tool-it: FAILED: $*" >&2; exit 1; }

scenario=scenarios/03-hourly-async-dr.yaml
dotnet pack src/Cli -c Release -o "$work/nupkg" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; die "dotnet pack"; }
dotnet tool install --tool-path "$work/tools" --add-source "$work/nupkg" disastersim >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; die "dotnet tool install"; }
tool="$work/tools/disastersim"
"$tool" --version >/dev/null || die "disastersim --version"
"$tool" validate "$scenario" >/dev/null || die "disastersim validate"
"$tool" run "$scenario" --trials 2000 --out "$work/tool-run" --no-progress >/dev/null 2>&1 || die "disastersim run (the tool)"
dotnet src/Cli/bin/Release/net10.0/disastersim.dll run "$scenario" --trials 2000 --out "$work/tree-run" --no-progress >/dev/null 2>&1 \
  || die "disastersim run (the source tree)"
for f in "$work"/tree-run/*; do
  cmp "$f" "$work/tool-run/$(basename "$f")" || die "$(basename "$f") differs between the tool and the source tree"
done
say "installed from the local package; its files equal the source tree's ($(ls "$work/tool-run" | wc -l) files)"
