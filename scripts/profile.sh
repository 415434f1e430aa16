#!/usr/bin/env bash
# Where the server's CPU goes under one action's load (docs/performance.md, "Where the time goes").
#   scripts/profile.sh [ACTION] [SECONDS]     e.g. scripts/profile.sh Encrypt 15
# Starts a throw-away server (SQLite, plain HTTP on a free port), loads it with ./openkms bench for a 30 s warm-up
# and then SECONDS measured, records the measured part with JFR, and prints:
#   - the bench's own report (req/s, latency, server and bench CPU per request);
#   - the server's CPU by thread group over the measured window (utime + stime from /proc, and the system share);
#   - the request threads' Java samples by stage (org.openkms.bench.StageSplit).
# Needs the built jars (./openkms builds them) and a JDK with jcmd beside the java that runs the server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACTION=${1:-Encrypt}
SECONDS_MEASURED=${2:-15}
WARMUP=30
V=0.1.0-SNAPSHOT
JAVA=${OPENKMS_JAVA:-$(for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do [[ -x $j ]] && { echo "$j"; break; }; done)}
JAVA=${JAVA:-java}
JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"
SERVER_CP="$ROOT/openkms-server/target/openkms-server-$V.jar:$ROOT/openkms-server/target/lib/*"
BENCH_CP="$ROOT/openkms-bench/target/openkms-bench-$V.jar:$ROOT/openkms-bench/target/lib/*"
[[ -f "$ROOT/openkms-server/target/openkms-server-$V.jar" && -f "$ROOT/openkms-bench/target/openkms-bench-$V.jar" ]] ||
  { echo "profile.sh: build first (./openkms server --help builds the jars)" >&2; exit 1; }
T=$(mktemp -d /tmp/openkms-profile.XXXXXX)
PORT=$((20000 + RANDOM % 10000))
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((20000 + RANDOM % 10000)); done # in use: another
SERVER=""
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$SERVER_CP" org.openkms.server.Main --data-dir "$T/data" \
  --listen "127.0.0.1:$PORT" --https-listen "" --instance-listen "" >"$T/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

# CPU ticks of each of the server's threads, by thread name with its digits dropped: "name utime stime" lines.
threads() {
  for s in /proc/"$SERVER"/task/*/stat; do
    awk '{ s = $0; sub(/^[0-9]+ \(/, "", s); n = s; sub(/\) .*/, "", n); gsub(/[0-9]+$/, "#", n); sub(/^.*\) /, "", s);
           split(s, f, " "); print n "\t" f[12] "\t" f[13] }' "$s" 2>/dev/null || true
  done
}

"$JAVA" -cp "$BENCH_CP" org.openkms.bench.BenchMain --endpoint "http://127.0.0.1:$PORT" --data-dir "$T/data" \
  --action "$ACTION" --no-floor --warmup "${WARMUP}s" --duration "$((SECONDS_MEASURED + 4))s" --no-progress \
  --server-pid "$SERVER" >"$T/bench.txt" 2>&1 &
BENCH=$!
sleep $((WARMUP + 2))
threads >"$T/before"
"$JCMD" "$SERVER" JFR.start name=profile settings=profile filename="$T/load.jfr" >/dev/null
sleep "$SECONDS_MEASURED"
"$JCMD" "$SERVER" JFR.stop name=profile >/dev/null
threads >"$T/after"
wait "$BENCH" || true

cat "$T/bench.txt"
echo
echo "server CPU by thread over ${SECONDS_MEASURED} s of the load:"
awk -F'\t' -v secs="$SECONDS_MEASURED" '
  NR == FNR { bu[$1] += $2; bs[$1] += $3; next }
  { au[$1] += $2; as[$1] += $3 }
  END {
    for (n in au) { d = au[n] + as[n] - bu[n] - bs[n]; if (d > 0) { cpu[n] = d; tot += d; sys += as[n] - bs[n] } }
    printf "  total %.2f cores, %d %% of it in the kernel\n", tot / 100 / secs, tot ? 100 * sys / tot : 0
    for (n in cpu) printf "  %5.1f %%  %s\n", 100 * cpu[n] / tot, n | "sort -rn"
  }' "$T/before" "$T/after"
echo
"$JAVA" -cp "$BENCH_CP" org.openkms.bench.StageSplit "$T/load.jfr"
