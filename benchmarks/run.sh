#!/usr/bin/env bash
# Lastcall benchmarks, side by side with the alternatives, in one run:
#   1. shutdown time (signal to exit, measured by the parent) for 1..1,000 tasks at 0 and 50 ms of
#      added latency, over plain HTTP/1.1, HTTPS/1.1 and HTTPS with h2 offered: Lastcall (steady
#      and cold) vs Node fetch+allSettled vs two hand-written Java hooks (plain only), each as its
#      cancel phase over its floor (the same app's exit without tasks), with new connections;
#   2. the cost of attaching the agent to a hello-world JVM (wall time, peak RSS) with tracking on and
#      off, and what the jar's size alone costs (the empty agent padded to Lastcall's jar);
#   3. the registry: register+close in ns/op and B/op (JMH, 1 and 2 threads) and heap per task;
#   4. the cold path: bursts of 50 calls over one warm connection in a fresh JVM, burst after burst
#      (what running the TLS and HTTP/2 code cold costs a shutdown hook);
#   5. what tracking adds to each of the application's own API calls (JMH: create + status through
#      the JDK's HttpClient and HttpURLConnection, the agent with track=auto vs track=off);
#   6. what one register and one close cost the app's thread (p50/p99) with no journal, journal=DIR
#      and journal=redis:// (a local redis-server; needs redis-server and the journal-redis jar).
# Usage (from anywhere):  benchmarks/run.sh          full run, 40-60 minutes on 2 cores (longer when the machine is busy)
#                         QUICK=1 SIZES=1,10,50 benchmarks/run.sh  fewer repetitions and sizes, 10-15 minutes
#                         SKIP_BUILD=1 ...           use the jars already built
#                         SIZES=1000 ...             only these task counts (default 1,10,50,1000)
#                         TRANSPORTS=plain,h2 ...    only these transports (default plain,https1,h2)
#                         NODE_CREATE_CONCURRENCY=1 ...  the Node app creates its tasks one at a time
#                                                    (default 50 at a time: up to 50 warm connections)
#                         EMULATOR_JVM_FLAGS="-XX:TieredStopAtLevel=1" ...  flags for the emulator JVM
#                         OUT=DIR ...                results somewhere else (default: benchmarks/results)
#                         BASELINE_AGENT_JAR=old.jar BASELINE_NAME=v0 ...  section 2 also attaches an older agent jar
#                         SECTIONS=2,4 ...           only these of the six sections (default 1,2,3,4,5,6)
#                         ATTACH_RUNS_OVERRIDE=60 ...  runs of each agent in section 2 (default 20, QUICK 8)
# Results: benchmarks/results/ (the tables as Markdown, raw CSV and JMH JSON); the tables are printed too.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)    # benchmarks/
ROOT=$(dirname "$HERE")                # the repository
OUT=$(mkdir -p "${OUT:-$HERE/results}" && cd "${OUT:-$HERE/results}" && pwd)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== build: mvn -B -q -DskipTests package" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
AGENT_JAR=$ROOT/agent/target/lastcall-agent.jar
EMULATOR_JAR=$ROOT/emulator/target/lastcall-emulator.jar
BENCH_JAR=$HERE/target/lastcall-benchmarks.jar
EMPTY_AGENT_JAR=$(ls "$HERE"/target/*-empty-agent.jar 2>/dev/null | head -1 || true)
for f in "$AGENT_JAR" "$EMULATOR_JAR" "$BENCH_JAR" "$EMPTY_AGENT_JAR"; do
  [[ -n $f && -f $f ]] || { echo "missing ${f:-the empty agent jar in $HERE/target}: build first" >&2; exit 1; }
done
command -v node >/dev/null || { echo "node is needed for the Node.js contender" >&2; exit 1; }

if [[ "${QUICK:-0}" == 1 ]]; then
  REPS=2; BIG_REPS=1; ATTACH_RUNS=8; CURVE_RUNS=3; JMH_OPTS=(-wi 2 -w 1 -i 3 -r 1 -f 1)
else
  REPS=5; BIG_REPS=3; ATTACH_RUNS=20; CURVE_RUNS=5; JMH_OPTS=(-wi 3 -w 1 -i 5 -r 1 -f 1)
fi
ATTACH_RUNS=${ATTACH_RUNS_OVERRIDE:-$ATTACH_RUNS}
JAVA=${JAVA:-java}
CP=$HERE/target/classes
JARS=(--agent-jar "$AGENT_JAR" --emulator-jar "$EMULATOR_JAR" --empty-agent-jar "$EMPTY_AGENT_JAR"
  --app-classpath "$CP:$ROOT/api/target/classes")

{
  echo "machine: $(nproc) cores, $(uname -sr), $($JAVA -version 2>&1 | head -1), node $(node --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

SECTIONS=",${SECTIONS:-1,2,3,4,5,6},"
run() { [[ $SECTIONS == *",$1,"* ]]; }

run 1 && echo "== 1. shutdown time (reps $REPS, $BIG_REPS for 10,000 tasks)" >&2
run 1 && $JAVA -cp "$CP" dev.lastcall.bench.ShutdownBench shutdown "${JARS[@]}" \
  --node-script "$HERE/src/main/node/cancel-on-sigterm.mjs" --out "$OUT/shutdown.md" --raw "$OUT/shutdown-raw.csv" \
  --reps "$REPS" --big-reps "$BIG_REPS" ${SIZES:+--sizes "$SIZES"} ${TRANSPORTS:+--transports "$TRANSPORTS"} \
  ${NODE_CREATE_CONCURRENCY:+--node-create-concurrency "$NODE_CREATE_CONCURRENCY"} \
  ${EMULATOR_JVM_FLAGS:+--emulator-jvm-flags "$EMULATOR_JVM_FLAGS"} >/dev/null

run 2 && echo "== 2. attach cost ($ATTACH_RUNS runs each)" >&2
run 2 && $JAVA -cp "$CP" dev.lastcall.bench.ShutdownBench attach "${JARS[@]}" --out "$OUT/attach.md" --runs "$ATTACH_RUNS" \
  ${BASELINE_AGENT_JAR:+--baseline-agent-jar "$BASELINE_AGENT_JAR" --baseline-name "${BASELINE_NAME:-baseline}"} >/dev/null

if run 3; then
  echo "== 3. registry (JMH, -prof gc; 1 then 2 threads)" >&2
  for t in 1 2; do
    $JAVA -jar "$BENCH_JAR" "RegistryBenchmark.registerAndClose" "${JMH_OPTS[@]}" -t "$t" -prof gc \
      -rf json -rff "$OUT/jmh-t$t.json" > "$OUT/jmh-t$t.txt" 2>&1
  done
  $JAVA -Xmx2g -cp "$CP:$ROOT/api/target/classes" dev.lastcall.bench.HeapPerTask 1000000 > "$OUT/heap.txt"
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
fi

if run 4; then
  echo "== 4. the cold path: bursts of 50 calls over one warm connection in a fresh JVM ($CURVE_RUNS JVMs each)" >&2
  # Each run prints "BURSTS transport ms,ms,..."; the table takes the median per burst over the runs.
  POINTS=(1 2 3 5 10 20 50 100)
  {
    echo "| transport | $(printf 'burst %s | ' "${POINTS[@]}")connections |"
    echo "|---|$(printf -- '---|%.0s' "${POINTS[@]}")---|"
    for t in plain https1 h2; do
      rows=(); conns=""
      for ((r = 0; r < CURVE_RUNS; r++)); do
        lines=$($JAVA -cp "$AGENT_JAR:$CP" dev.lastcall.bench.WarmingCurve "$EMULATOR_JAR:$CP" "$t" 100)
        rows+=("$(grep '^BURSTS' <<<"$lines" | cut -d' ' -f3)")
        conns=$(grep '^CONNECTIONS' <<<"$lines" | cut -d' ' -f2)
      done
      printf '| %s |' "$t"
      for p in "${POINTS[@]}"; do
        printf ' %s |' "$(for row in "${rows[@]}"; do cut -d, -f"$p" <<<"$row"; done | sort -n |
          awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')"
      done
      echo " $conns |"
    done
    echo
    echo "Median ms per burst of 50 concurrent status calls over the client's one warm connection, in a"
    echo "fresh JVM per run ($CURVE_RUNS runs); the emulator is its own process, without added latency."
  } > "$OUT/warming-curve.md"
fi

if run 5; then
  echo "== 5. per tracked call (medians of interleaved calls, then JMH; the agent with track=auto, then track=off)" >&2
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  AGENT_ARGS="baseUrl=http://127.0.0.1:$PORT,timeout=1s"
  for track in auto off; do
    BLACKBOX_API_KEY=bench-key $JAVA -Dsun.net.httpserver.nodelay=true -Dbench.port="$PORT" \
      -javaagent:"$AGENT_JAR=$AGENT_ARGS,track=$track" -cp "$CP" dev.lastcall.bench.TrackedCallLatency \
      "${LATENCY_OPS:-20000}" > "$OUT/latency-track-$track.txt" 2>&1
    BLACKBOX_API_KEY=bench-key $JAVA -jar "$BENCH_JAR" "TrackedCallBenchmark" "${JMH_OPTS[@]:0:8}" -f 2 \
      -jvmArgsAppend "-Dsun.net.httpserver.nodelay=true -Dbench.port=$PORT -javaagent:$AGENT_JAR=$AGENT_ARGS,track=$track" \
      -rf json -rff "$OUT/jmh-track-$track.json" > "$OUT/jmh-track-$track.txt" 2>&1
  done
  {
    echo "Medians (p90, p99) in µs per op, ${LATENCY_OPS:-20000} ops per cell, the cells interleaved op by op in one JVM:"
    echo
    echo "| client | calls to | track=off p50 (p90, p99) | track=auto p50 (p90, p99) | auto − off, p50 |"
    echo "|---|---|---|---|---|"
    join <(awk '/^LATENCY/ {print $2"/"$3, $4, $5, $6}' "$OUT/latency-track-off.txt" | sort) \
         <(awk '/^LATENCY/ {print $2"/"$3, $4, $5, $6}' "$OUT/latency-track-auto.txt" | sort) |
      awk '{split($1, k, "/"); printf "| %s | %s | %s (%s, %s) | %s (%s, %s) | %+.1f µs |\n", k[1], (k[2] == "api" ? "the API (tracked)" : "another origin"), $2, $3, $4, $5, $6, $7, $5 - $2}'
    echo
    echo "JMH averages (± its 99.9% error), the same op; they swing with the machine:"
    echo
    echo "| client | calls to | track=off µs/op | track=auto µs/op |"
    echo "|---|---|---|---|"
    join <(awk '/^TrackedCallBenchmark\.createThenDone/ {print $2"/"$3, $6, $8}' "$OUT/jmh-track-off.txt" | sort) \
         <(awk '/^TrackedCallBenchmark\.createThenDone/ {print $2"/"$3, $6, $8}' "$OUT/jmh-track-auto.txt" | sort) |
      awk '{split($1, k, "/"); printf "| %s | %s | %s ± %s | %s ± %s |\n", k[1], (k[2] == "api" ? "the API (tracked)" : "another origin"), $2, $3, $4, $5}'
    echo
    echo "One op = the application creates a task (POST /api/tasks; tracked calls register it) and reads"
    echo "its status once (GET .../status answered isDone; tracked calls deregister it), over HTTP/1.1 on"
    echo "loopback to a JDK HttpServer in the same JVM that answers at once (LoopbackApi); the same agent"
    echo "jar in both runs. 'another origin' is the same server called as localhost: the instrumented"
    echo "code runs, nothing is teed. With track=off both rows take the same path (the control)."
  } > "$OUT/tracking.md"
fi

if run 6; then
  echo "== 6. register/close cost with the journal: none, DIR, redis://" >&2
  REDIS_JAR=$ROOT/journal-redis/target/lastcall-journal-redis.jar
  [[ -f $REDIS_JAR ]] || { echo "missing $REDIS_JAR: build first" >&2; exit 1; }
  command -v redis-server >/dev/null || { echo "redis-server is needed for section 6" >&2; exit 1; }
  WORK=$(mktemp -d)
  # The agent finds lastcall-journal-redis.jar beside its own jar, as users ship them.
  cp "$AGENT_JAR" "$WORK/lastcall-agent.jar"; cp "$REDIS_JAR" "$WORK/lastcall-journal-redis.jar"
  RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize no \
    --logfile "$WORK/redis.log" & RPID=$!
  for _ in $(seq 100); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
  N=${REGISTER_N:-20000}
  {
    echo "| journal | register p50 µs | register p99 µs | close p50 µs | close p99 µs | register max µs |"
    echo "|---|---|---|---|---|---|"
    for j in none dir redis; do
      case $j in
        none) args="" ;;
        dir) args=",journal=$WORK/journal" ;;
        redis) args=",journal=redis://127.0.0.1:$RPORT" ;;
      esac
      BLACKBOX_API_KEY=bench-key $JAVA -javaagent:"$WORK/lastcall-agent.jar=baseUrl=http://127.0.0.1:1,track=off,timeout=1s$args" \
        -cp "$CP:$ROOT/api/target/classes" dev.lastcall.bench.RegisterCost "$j" "$N" 2>>"$WORK/stderr.txt" |
        awk '/^COST/ {printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7}'
    done
    echo
    echo "$N registrations on one thread, each timed, then $N closes, after a warm-up of the same size;"
    echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') on loopback, no persistence."
  } > "$OUT/journal-cost.md"
  kill "$RPID"; wait "$RPID" 2>/dev/null || true
  rm -rf "$WORK"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
echo
cat "$OUT/machine.txt"; echo
run 1 && { echo "### Shutdown time (cancel phase ms: signal to exit minus the same app's floor)"; cat "$OUT/shutdown.md"; echo; }
run 2 && { echo "### Attaching the agent"; cat "$OUT/attach.md"; echo; }
run 3 && { echo "### Registry"; cat "$OUT/registry.md"; echo; }
run 4 && { echo "### The cold path"; cat "$OUT/warming-curve.md"; echo; }
run 5 && { echo "### Per tracked call"; cat "$OUT/tracking.md"; echo; }
run 6 && { echo "### Register and close with a journal"; cat "$OUT/journal-cost.md"; }
exit 0
