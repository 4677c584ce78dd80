#!/usr/bin/env bash
# How often the grounded bench flags a candidate, over N independent run seeds:
# fp16 against an fp16 baseline (false alarms: at most --alpha, 0.05), int4 and
# broken against the same baselines. Each seed: one baseline, three candidates.
#
#   perf/grounded_verdicts.sh [N=10] [QDRIFT=build/qdrift]
#
# Prints one line per seed (accuracies, exit codes: 1 is DEGRADED) and the flag
# rates; files go to a temporary directory, removed at the end.
set -euo pipefail
runs=${1:-10}
qdrift=${2:-build/qdrift}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

start_sim() {  # variant seed -> prints the endpoint
  "$qdrift" sim --variant "$1" --seed "$2" > "$work/sim-$1-$2.out" 2>/dev/null &
  for _ in $(seq 100); do
    if grep -q '^listening on' "$work/sim-$1-$2.out" 2>/dev/null; then break; fi
    sleep 0.05
  done
  echo "$(sed -n 's/^listening on \(.*\)$/\1/p' "$work/sim-$1-$2.out")/v1"
}

accuracy() { jq -r '.benches.grounded.summary.accuracy * 1000 | round / 1000' "$1"; }

base=$(start_sim fp16 1)
twin=$(start_sim fp16 2)
int4=$(start_sim int4 3)
broken=$(start_sim broken 4)
declare -A flagged=([fp16]=0 [int4]=0 [broken]=0)
for seed in $(seq "$runs"); do
  "$qdrift" collect-baseline --bench grounded --endpoint "$base" --seed "$seed" -c 64 --no-tripwire -q \
    --out "$work/base-$seed.json" > /dev/null
  line="seed $seed: baseline $(accuracy "$work/base-$seed.json")"
  for variant in fp16 int4 broken; do
    case $variant in fp16) endpoint=$twin ;; int4) endpoint=$int4 ;; broken) endpoint=$broken ;; esac
    status=0
    "$qdrift" run --bench grounded --endpoint "$endpoint" --seed "$seed" -c 64 --no-tripwire -q \
      --baseline "$work/base-$seed.json" --out "$work/$variant-$seed.json" > /dev/null || status=$?
    line+=", $variant $(accuracy "$work/$variant-$seed.json") exit $status"
    if [ "$status" -eq 1 ]; then flagged[$variant]=$((flagged[$variant] + 1)); fi
  done
  echo "$line"
done
for variant in fp16 int4 broken; do
  echo "$variant flagged DEGRADED in ${flagged[$variant]} of $runs runs"
done
