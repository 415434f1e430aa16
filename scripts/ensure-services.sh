#!/usr/bin/env bash
# Makes sure what the test suite needs is present and running on loopback:
#   - a JDK 17+ and Maven (Debian packages when absent)
#   - Debian's openssl binary (the OpenSSL interop tests verify signatures and encrypt with it)
#   - PostgreSQL on 127.0.0.1:5432 accepting user "postgres" without a password, with a database "test"
#     (the storage contract suite runs against it; override with OPENKMS_TEST_PG_URL)
# Safe to run repeatedly; installs only what is missing. Needs root (or sudo) only when it has to install.
set -euo pipefail

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v javac >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
command -v openssl >/dev/null || apt_install openssl

if [[ -n "${OPENKMS_TEST_PG_URL:-}" || "${OPENKMS_SKIP_PG:-0}" == 1 ]]; then
  exit 0 # the caller brings its own PostgreSQL, or opted out
fi

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }

if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "ensure-services: installing PostgreSQL" >&2
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Tests connect as postgres over TCP without a password: trust loopback only.
  if ! as_root grep -q "^host all all 127.0.0.1/32 trust" "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "ensure-services: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc "create database test"
fi
