#!/usr/bin/env bash
# Submits a sharded DisasterSim run, compare or sweep to Slurm: a job array of SHARDS tasks, then a merge job that waits
# for all of them.
# Usage: deploy/slurm/submit.sh SCENARIO TRIALS SHARDS OUT [sbatch options...] [-- command options...]
#   COMMAND=sweep deploy/slurm/submit.sh s.yaml 1000000 64 runs/s -- --set "data[db].backups[b].interval=1h,4h" --target "rpo.p95<=2h"
# Prints "ARRAY_JOB_ID MERGE_JOB_ID". The merged files land in OUT/merged; the task logs in OUT/logs.
# COMMAND (run, compare or sweep; default run), DISASTERSIM (default "disastersim"), SEED and THREADS are passed on to
# the tasks; the command options after "--" (compare's --variant and --metric, sweep's --set, --target and --pareto) are
# kept in OUT/command-args, one per NUL-terminated entry, so that any character in them survives.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 SCENARIO TRIALS SHARDS OUT [sbatch options...] [-- command options...]" >&2
  exit 1
fi
scenario=$1 trials=$2 shards=$3 out=$4
shift 4
sbatch_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  sbatch_options+=("$1")
  shift
done
[ $# -gt 0 ] && shift
case "${COMMAND:=run}" in
  run|compare|sweep) ;;
  *) echo "$0: COMMAND must be run, compare or sweep; got '$COMMAND'" >&2; exit 1 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
if [ $# -gt 0 ]; then printf '%s\0' "$@" >"$out/command-args"; else : >"$out/command-args"; fi
export SCENARIO=$scenario TRIALS=$trials OUT=$out SHARDS=$shards COMMAND
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL --chdir="$out" \
  --output="$out/logs/shard-%a.log" "${sbatch_options[@]}" "$here/disastersim-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --export=ALL --chdir="$out" \
  --output="$out/logs/merge.log" "${sbatch_options[@]}" "$here/disastersim-merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
