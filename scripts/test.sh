#!/usr/bin/env bash
# The whole test suite: unit tests of every module, the storage contract suite on SQLite and PostgreSQL,
# the server's HTTP and crash-recovery tests, and the conformance tests driving the official Alibaba SDKs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-services.sh
mvn -B -ntp install "$@"
# Line coverage per module (JaCoCo; HTML reports in <module>/target/site/jacoco/index.html).
for csv in */target/site/jacoco/jacoco.csv; do
  [[ -f "$csv" ]] || continue
  awk -F, -v m="${csv%%/*}" 'NR > 1 { missed += $8; covered += $9 }
    END { if (missed + covered > 0) printf "coverage: %-22s %5.1f%% of %d lines\n", m, 100 * covered / (missed + covered), missed + covered }' "$csv"
done
# One closing line for the whole run, summed over every module's Surefire reports.
python3 - <<'PY' 2>/dev/null || true
import glob, xml.etree.ElementTree as ET
t = f = s = 0
for p in glob.glob("*/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)) + int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(f"tests: {t - f - s} passed, {f} failed, {s} skipped")
PY
