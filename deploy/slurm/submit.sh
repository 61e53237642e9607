#!/usr/bin/env bash
# Submits a sharded DisasterSim run to Slurm: a job array of SHARDS tasks, then a merge job that waits for all of them.
# Usage: deploy/slurm/submit.sh SCENARIO TRIALS SHARDS OUT [extra sbatch options...]
# Prints "ARRAY_JOB_ID MERGE_JOB_ID". The merged files land in OUT/merged; the task logs in OUT/logs.
# DISASTERSIM (default "disastersim"), SEED and THREADS are passed on to the tasks.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 SCENARIO TRIALS SHARDS OUT [sbatch options...]" >&2
  exit 1
fi
scenario=$1 trials=$2 shards=$3 out=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
export SCENARIO=$scenario TRIALS=$trials OUT=$out SHARDS=$shards
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL --chdir="$out" \
  --output="$out/logs/shard-%a.log" "$@" "$here/disastersim-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --export=ALL --chdir="$out" \
  --output="$out/logs/merge.log" "$@" "$here/disastersim-merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
