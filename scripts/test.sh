#!/usr/bin/env bash
# The whole test suite: unit tests of every module, the storage contract suite on SQLite and PostgreSQL,
# the server's HTTP and crash-recovery tests, and the conformance tests driving the official Alibaba SDKs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-services.sh
mvn -B -ntp install "$@"
