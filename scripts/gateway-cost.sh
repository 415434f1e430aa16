#!/usr/bin/env bash
# What the gateway itself costs per request, without HTTP (docs/performance.md, "Where the time goes"):
#   scripts/gateway-cost.sh [ACTION...]      Encrypt and GetSecretValue by default
# Sends pre-signed requests through the gateway on one thread of an in-process server (GatewayCost, in the server's
# test classes) and prints that thread's CPU time and allocation per request. Builds the server's test classes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA=${OPENKMS_JAVA:-$(for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do [[ -x $j ]] && { echo "$j"; break; }; done)}
JAVA=${JAVA:-java}
CP=$(mktemp /tmp/openkms-gateway-cost.XXXXXX)
trap 'rm -f "$CP"' EXIT
cd "$ROOT"
mvn -B -ntp -q install -DskipTests -Djacoco.skip=true -pl openkms-server -am >/dev/null
mvn -B -ntp -q test-compile dependency:build-classpath -pl openkms-server -Djacoco.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP" >/dev/null
"$JAVA" --enable-native-access=ALL-UNNAMED \
  -cp "openkms-server/target/test-classes:openkms-server/target/classes:$(cat "$CP")" \
  org.openkms.server.fuzz.GatewayCost "$@" 2>&1 | grep -v -e ' INFO ' -e ' WARN '
