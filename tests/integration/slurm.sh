#!/usr/bin/env bash
# Integration test of the Slurm recipe in deploy/slurm on a one-node cluster on this machine:
# installs slurm-wlm and munge if missing, starts munged, slurmctld and slurmd (2 CPUs, private ports, sockets and
# state under one work folder), submits a 4-task job array of a shipped scenario and its dependent merge job, waits,
# and compares the merged files byte for byte with a single-process run; then the same for a sweep (a 3-task array over
# the trials of every variant). Stops its daemons and removes its folder on exit; a run left behind by a killed earlier
# run is cleaned up first. Needs root (daemons, apt-get).
# Usage: tests/integration/slurm.sh   (exit 0 on success; 1 on a failure, with the daemons' logs printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scenario=scenarios/03-hourly-async-dr.yaml
trials=20000
shards=4
timeout_s=${SLURM_TEST_TIMEOUT:-300}
work=${SLURM_TEST_DIR:-/tmp/disastersim-slurm-it}
ctld_port=${SLURM_TEST_CTLD_PORT:-26817}
slurmd_port=${SLURM_TEST_SLURMD_PORT:-26818}

say() { echo "slurm-it: $*"; }
die() { echo "slurm-it: FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  die "needs root to install packages and run slurmd (run it as root, or with sudo)"
fi

stop_daemons() {
  for name in slurmd slurmctld munged; do
    pidfile="$work/run/$name.pid"
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      # Only a process of ours: its command line must be the daemon started with our folder's files.
      if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
  done
}

cleanup() {
  status=$?
  if [ "$status" -ne 0 ] && [ -d "$work/log" ]; then
    for log in "$work"/log/* "$work"/run-out/logs/* "$work"/sweep-out/logs/*; do
      [ -f "$log" ] || continue
      echo "----- $log (last 30 lines)" >&2
      tail -n 30 "$log" >&2 || true
    done
  fi
  stop_daemons
  rm -rf "$work"
  exit "$status"
}

# A run killed midway leaves its daemons and folder behind: clear them before starting.
if [ -d "$work" ]; then
  stop_daemons
  rm -rf "$work"
fi
trap cleanup EXIT

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

mkdir -p "$work"/{etc,run,log,state,spool,munge,bin}
chmod 755 "$work"
chmod 700 "$work/munge"

say "publishing disastersim"
dotnet publish src/Cli -c Release -o "$work/bin" -v quiet -nologo >"$work/log/publish.log" 2>&1 || { cat "$work/log/publish.log" >&2; die "dotnet publish failed"; }
export DISASTERSIM="$(command -v dotnet) $work/bin/disastersim.dll"

say "starting munged"
mungekey --create --keyfile="$work/munge/munge.key" --bits=1024 --force
chmod 600 "$work/munge/munge.key"
munged --force --socket="$work/munge/munge.socket" --key-file="$work/munge/munge.key" \
  --pid-file="$work/run/munged.pid" --log-file="$work/log/munged.log" --seed-file="$work/munge/munge.seed"

host=$(hostname -s)
cat >"$work/etc/slurm.conf" <<CONF
ClusterName=disastersim-it
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/slurmd-%n
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=256 State=UNKNOWN
PartitionName=it Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/etc/slurm.conf"

say "starting slurmctld and slurmd (node $host, 2 CPUs)"
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

deadline=$((SECONDS + 60))
until [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = "idle" ]; do
  [ $SECONDS -lt $deadline ] || die "the node did not become idle within 60 s (sinfo: $(sinfo -h -o '%T %E' 2>&1))"
  sleep 1
done

say "submitting a $shards-task array of $scenario ($trials trials) and its merge job"
mkdir -p "$work/run-out"
read -r array_job merge_job < <(deploy/slurm/submit.sh "$scenario" "$trials" "$shards" "$work/run-out")
say "array job $array_job, merge job $merge_job"

state() { scontrol show job "$1" 2>/dev/null | sed -nE 's/.*JobState=([A-Z_]+).*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
# Waits for a merge job (and so its array) to complete; fails on any other end.
wait_for() {
  local array_job=$1 merge_job=$2 deadline=$((SECONDS + timeout_s)) merge_state
  while :; do
    merge_state=$(state "$merge_job")
    case "$merge_state" in
      COMPLETED) return 0 ;;
      FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) die "merge job $merge_job ended $merge_state (array: $(state "$array_job"))" ;;
    esac
    [ $SECONDS -lt $deadline ] || die "not done within $timeout_s s (array: $(state "$array_job"); merge: $merge_state)"
    sleep 2
  done
}
wait_for "$array_job" "$merge_job"
say "array and merge completed in ${SECONDS} s since start"

say "running the same scenario in one process"
$DISASTERSIM run "$scenario" --trials "$trials" --out "$work/single" --no-progress >/dev/null 2>"$work/log/single.log"
for f in summary.csv trials.csv incidents.csv metadata.json; do
  cmp "$work/single/$f" "$work/run-out/merged/$f" || die "$f of the Slurm run differs from the single-process run"
done
for k in $(seq 0 $((shards - 1))); do
  [ -f "$(printf '%s/run-out/shard-%04d/shard.json' "$work" "$k")" ] || die "shard $k has no shard.json"
done
say "OK: the merge of $shards Slurm array tasks is byte-identical to the single-process run"

sweep=(--set "data[erp-db].backups[hourly-offsite].interval=1h,24h" --set "services[erp].recovery.failover.after=15m,1h" --target "rto.p95<=4h")
say "submitting a 3-task array of a 2 x 2 sweep of $scenario ($trials trials of every variant) and its merge job"
mkdir -p "$work/sweep-out"
read -r array_job merge_job < <(COMMAND=sweep deploy/slurm/submit.sh "$scenario" "$trials" 3 "$work/sweep-out" -- "${sweep[@]}")
say "array job $array_job, merge job $merge_job"
wait_for "$array_job" "$merge_job"
say "sweep array and merge completed in ${SECONDS} s since start"
$DISASTERSIM sweep "$scenario" "${sweep[@]}" --trials "$trials" --out "$work/sweep-single" --no-progress >/dev/null 2>"$work/log/sweep-single.log"
count=0
for f in "$work"/sweep-single/*; do
  name=$(basename "$f")
  cmp "$f" "$work/sweep-out/merged/$name" || die "$name of the Slurm sweep differs from the single-process sweep"
  count=$((count + 1))
done
[ "$count" -ge 4 ] || die "the single-process sweep wrote only $count files"
[ "$(ls "$work/sweep-out/merged" | wc -l)" -eq "$count" ] || die "the merged sweep holds other files than the single-process sweep: $(ls "$work/sweep-out/merged")"
say "OK: the merge of a 3-task Slurm sweep is byte-identical to the single-process sweep ($count files)"
