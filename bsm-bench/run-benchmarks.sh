#!/usr/bin/env bash
# Runs the benchmarks of issues 6, 13, 14 and 15 exactly as bsm-bench/README.md
# reports them. Build first:
#   ./mvnw -q -pl bsm-bench -am package -DskipTests
# Usage: bsm-bench/run-benchmarks.sh [1] ... [10]   (default: 1 to 8 and 10; 9 runs what 3 runs).
# Needs moto_server on PATH (2 to 5, 7 to 10); 6 needs a machine without Docker and the target/testcontainers.classpath
# the build writes beside the jar; 10 needs Linux (/proc) and the reactor's jars beside the checkout's modules.
# Output: bsm-bench/target/results/<n>-*.txt, with the machine and the load average before and after each.
# BENCH_JAR and BENCH_OUT override the jar and the output directory (e.g. a copy of the jar outside target/, so
# that a concurrent build cannot replace it mid-run).
set -euo pipefail
cd "$(dirname "$0")"
JAR=${BENCH_JAR:-target/benchmarks.jar}
OUT=${BENCH_OUT:-target/results}
ADD_OPENS=(--add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED)
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "Build first: ./mvnw -q -pl bsm-bench -am package -DskipTests" >&2; exit 1; }

{
  date -u
  echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
  java -version 2>&1
  echo "bsm commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain 2>/dev/null | grep -qv ' bsm-bench/' && echo ' + uncommitted changes')"
  echo "moto $(python3 -c "import moto; print(moto.__version__)" 2>/dev/null || echo "?") ($(command -v moto_server))"
} > "$OUT/machine.txt"

run() {
  local name=$1; shift
  echo "== $name: $*"
  { echo "load before: $(cat /proc/loadavg)"; "$@" 2>&1 | grep -v '^SLF4J'; echo "load after: $(cat /proc/loadavg)"; } \
    | tee "$OUT/$name.txt"
}

for n in ${@:-1 2 3 4 5 6 7 8 10}; do
  case $n in
    1) run 1-cached-lookup java -jar "$JAR" CachedLookupBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s ;;
    2) run 2-many-services java -cp "$JAR" dev.bsm.bench.manyservices.ManyServicesRunner 3 5 ;;
    # 9 (issue 13: the per-test overhead with isolation and the class scope) is benchmark 3 on today's default.
    3|9) run 3-extension-overhead java -jar "$JAR" ExtensionOverheadBenchmark -f 1 -wi 10 -i 30
       run 3-extension-sts-calls java "${ADD_OPENS[@]}" -cp "$JAR" dev.bsm.bench.extension.StsCalls
       run 3-session-parts java -jar "$JAR" "SessionPartsBenchmark|NativeSetenvBenchmark" -f 1 -wi 3 -i 5 -w 2s -r 2s ;;
    4) run 4-cold-start java -cp "$JAR" dev.bsm.bench.coldstart.ColdStartRunner 60 3 ;;
    5) run 5-suite java -cp "$JAR" dev.bsm.bench.suite.SuiteRunner 5 ;;
    6) run 6-fallback java -cp "$JAR" dev.bsm.bench.fallback.FallbackRunner 20 3 ;;
    7) run 7-parallel-suite java -cp "$JAR" dev.bsm.bench.suite.ParallelSuiteRunner 10
       run 7-emulator-throughput java -Dbsm.localstack.enabled=false -cp "$JAR" \
         dev.bsm.bench.suite.EmulatorThroughputRunner 5 400 ;;
    8) run 8-isolation-cost java -cp "$JAR" dev.bsm.bench.suite.IsolationCostRunner 10 ;;
    # 10 (issue 14): ./mvnw test of 40 classes, forkCount=4, share=build against share=jvm, 3 builds each.
    10) run 10-forked-build java -cp "$JAR" dev.bsm.bench.build.ForkedBuildRunner 3 40 4 ;;
    *) echo "no benchmark $n (1 to 10)" >&2; exit 2 ;;
  esac
done
