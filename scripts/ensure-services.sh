#!/usr/bin/env bash
# Makes sure what the test suite needs is present and running on loopback:
#   - a JDK 17+ and Maven (Debian packages when absent)
#   - Debian's openssl binary (the OpenSSL interop tests verify signatures and encrypt with it)
#   - Debian's chromium and chromium-driver (the web console's browser tests, openkms-conformance console/)
#   - PostgreSQL on 127.0.0.1:5432 accepting user "postgres" without a password, with a database "test"
#     (the storage contract suite runs against it; override with OPENKMS_TEST_PG_URL), and a group role
#     "openkms_password_auth" whose members must log in with a password (the secret-rotation tests prove that an
#     old password stops working, which a trust rule would hide)
#   - MariaDB on 127.0.0.1:3306 with root@127.0.0.1 and an empty password (secret-rotation tests)
#   - Redis 6+ on 127.0.0.1:6379 with the default user and no password (secret-rotation tests)
# OPENKMS_SKIP_ROTATION_SERVICES=1 skips MariaDB and Redis (the rotation tests then fail, on purpose).
# OPENKMS_SKIP_PG=1 skips PostgreSQL: nothing is installed or started for it, and every test that needs it is
# skipped (TestPostgres in openkms-storage's tests); with OPENKMS_TEST_PG_URL the caller brings its own.
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
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || apt_install chromium chromium-driver

ensure_mariadb() {
  mariadb_up() { command -v mariadb-admin >/dev/null && mariadb-admin --protocol=socket -uroot ping >/dev/null 2>&1; }
  if ! mariadb_up; then
    if [[ ! -x /usr/sbin/mariadbd ]]; then
      echo "ensure-services: installing MariaDB" >&2
      apt_install mariadb-server
    fi
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 30); do mariadb_up && break; sleep 1; done
  fi
  mariadb_up || { echo "ensure-services: MariaDB did not start" >&2; exit 1; }
  # Tests connect over TCP as root without a password; a fresh install only lets root in over the socket.
  as_root mariadb --protocol=socket -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

ensure_redis() {
  redis_up() { command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
  if ! redis_up; then
    if ! command -v redis-server >/dev/null; then
      echo "ensure-services: installing Redis" >&2
      apt_install redis-server
    fi
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  fi
  redis_up || { echo "ensure-services: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
}

if [[ "${OPENKMS_SKIP_ROTATION_SERVICES:-0}" != 1 ]]; then
  ensure_mariadb
  ensure_redis
fi

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

# Members of openkms_password_auth must use their password even on loopback. The rule goes first, because
# pg_hba.conf is read top-down and the trust rule above would otherwise match them.
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_roles where rolname='openkms_password_auth'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc "create role openkms_password_auth nologin"
fi
hba=$(psql -h 127.0.0.1 -U postgres -tAc "show hba_file")
if ! as_root grep -q "^host all +openkms_password_auth 127.0.0.1/32 scram-sha-256" "$hba"; then
  as_root sed -i '1i host all +openkms_password_auth 127.0.0.1/32 scram-sha-256\nhost all +openkms_password_auth ::1/128 scram-sha-256' "$hba"
  psql -h 127.0.0.1 -U postgres -qtAc "select pg_reload_conf()" >/dev/null
fi
