#!/usr/bin/env bash
# Lastcall benchmarks, side by side with the alternatives, in one run:
#   1. shutdown time (signal to exit, measured by the parent) for 1..10,000 tasks at 0 and 50 ms of
#      added latency: Lastcall vs Node fetch+allSettled vs two hand-written Java hooks vs the floor;
#   2. the cost of attaching the agent to a hello-world JVM (wall time, peak RSS) and the jar's size;
#   3. the registry: register+close in ns/op and B/op (JMH, 1 and 2 threads) and heap per task.
# Usage (from anywhere):  bench/run.sh          full run, 12-18 minutes on 2 cores (longer when the machine is busy)
#                         QUICK=1 bench/run.sh  fewer repetitions, about 3 minutes
#                         SKIP_BUILD=1 ...      use the jars already built
#                         SIZES=1000 ...        only these task counts
#                         EMULATOR_JVM_FLAGS="-XX:TieredStopAtLevel=1" ...  flags for the emulator JVM
# Results: bench/results/ (the tables as Markdown, raw CSV and JMH JSON); the tables are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=bench/results
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== build: mvn -B -q -DskipTests package" >&2
  mvn -B -q -DskipTests package
fi
for f in agent/target/lastcall-agent.jar emulator/target/lastcall-emulator.jar benchmarks/target/lastcall-benchmarks.jar; do
  [[ -f $f ]] || { echo "missing $f: build first" >&2; exit 1; }
done
command -v node >/dev/null || { echo "node is needed for the Node.js contender" >&2; exit 1; }

if [[ "${QUICK:-0}" == 1 ]]; then
  REPS=2; BIG_REPS=1; ATTACH_RUNS=8; JMH_OPTS=(-wi 2 -w 1 -i 3 -r 1 -f 1)
else
  REPS=5; BIG_REPS=3; ATTACH_RUNS=20; JMH_OPTS=(-wi 3 -w 1 -i 5 -r 1 -f 1)
fi
JAVA=${JAVA:-java}
CP=benchmarks/target/classes

{
  echo "machine: $(nproc) cores, $(uname -sr), $($JAVA -version 2>&1 | head -1), node $(node --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

echo "== 1. shutdown time (reps $REPS, $BIG_REPS for 10,000 tasks)" >&2
$JAVA -cp "$CP" dev.lastcall.bench.ShutdownBench shutdown --repo "$ROOT" --out "$OUT/shutdown.md" \
  --reps "$REPS" --big-reps "$BIG_REPS" ${SIZES:+--sizes "$SIZES"} ${EMULATOR_JVM_FLAGS:+--emulator-jvm-flags "$EMULATOR_JVM_FLAGS"} >/dev/null

echo "== 2. attach cost ($ATTACH_RUNS runs each)" >&2
$JAVA -cp "$CP" dev.lastcall.bench.ShutdownBench attach --repo "$ROOT" --out "$OUT/attach.md" --runs "$ATTACH_RUNS" >/dev/null

echo "== 3. registry (JMH, -prof gc; 1 then 2 threads)" >&2
for t in 1 2; do
  $JAVA -jar benchmarks/target/lastcall-benchmarks.jar "RegistryBenchmark.registerAndClose" "${JMH_OPTS[@]}" -t "$t" -prof gc \
    -rf json -rff "$OUT/jmh-t$t.json" > "$OUT/jmh-t$t.txt" 2>&1
done
$JAVA -Xmx2g -cp "$CP:api/target/classes" dev.lastcall.bench.HeapPerTask 1000000 > "$OUT/heap.txt"
{
  echo "| benchmark | threads | ns/op | B/op |"
  echo "|---|---|---|---|"
  for t in 1 2; do
    # JMH's text table: the score line and its gc.alloc.rate.norm line.
    awk -v t="$t" '
      /^RegistryBenchmark\.[a-zA-Z]+ +avgt/ { name=$1; score[name]=$4 }
      /^RegistryBenchmark\.[a-zA-Z]+:gc\.alloc\.rate\.norm/ { split($1, a, ":"); alloc[a[1]]=$4 }
      END { for (n in score) printf "| %s | %s | %s | %s |\n", n, t, score[n], alloc[n] }' "$OUT/jmh-t$t.txt" | sort
  done
  echo
  echo "Heap per registered task (1,000,000 registered, after GC): $(cat "$OUT/heap.txt")"
} > "$OUT/registry.md"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
echo
cat "$OUT/machine.txt"; echo
echo "### Shutdown time (ms, signal to exit)"; cat "$OUT/shutdown.md"; echo
echo "### Attaching the agent"; cat "$OUT/attach.md"; echo
echo "### Registry"; cat "$OUT/registry.md"
