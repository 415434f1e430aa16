#!/usr/bin/env bash
# Peer measurement: OpenStack Barbican's API (Debian package barbican-api) served by uWSGI on 127.0.0.1.
#
# Everything lives in a fresh `mktemp -d` directory, which is also HOME for Barbican: oslo.config looks for
# ~/.barbican/barbican.conf first, so the barbican.conf written here is the one read (the script checks it
# twice: in a one-off Python process and through a marker host name that the running server puts into the
# secret references it returns). No Keystone: /v1 is served by the package's unauthenticated-context paste
# filter, which takes the project from the X-Project-Id header. SQLite database file, simple_crypto plugin
# with a random KEK. uWSGI (uwsgi_python3, as Debian's init script runs it) with --http-socket on a free
# loopback port and BARBICAN_PROCESSES x BARBICAN_THREADS workers (2 x 1).
#
# Measured with hey, CONC connections, WARMUP seconds not counted, then DURATION seconds:
#   version      GET  /                             the version document (status 300): the HTTP floor
#   get_payload  GET  /v1/secrets/{id}/payload      a 32-byte opaque secret (status 200)
#   create       POST /v1/secrets                   a 32-byte opaque secret (status 201)
# One line each:  barbican NAME rps=N p50_ms=N p99_ms=N errors=N ok_rps=N
# See scripts/peers/README.md. Run as root (missing Debian packages are installed with apt-get).
#
# Environment: CONC (16), DURATION (10), WARMUP (3), BARBICAN_PROCESSES (2), BARBICAN_THREADS (1),
#              KEEP_TMP=1 keeps the directory (configs, logs, raw hey output).
set -euo pipefail

CONC=${CONC:-16}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PROCESSES=${BARBICAN_PROCESSES:-2}
THREADS=${BARBICAN_THREADS:-1}
PYTHON=/usr/bin/python3       # the interpreter Debian's python3-barbican is installed for
UWSGI=/usr/bin/uwsgi_python3  # uWSGI with the Python 3 plugin built in (package uwsgi-plugin-python3)

say() { printf 'barbican.sh: %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "run me as root (I may install Debian packages)"
  exit 2
fi

missing=()
"$PYTHON" -c 'import barbican.api.app' >/dev/null 2>&1 || missing+=(barbican-api)
[[ -x $UWSGI ]] || missing+=(uwsgi-plugin-python3)
command -v hey >/dev/null 2>&1 || missing+=(hey)
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d may refuse to start the packaged service; that is fine, this script runs its own server.
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d)
UWSGI_PID=
finish() {
  local rc=$?
  set +e
  if [[ -n $UWSGI_PID ]]; then
    # uWSGI runs as the leader of its own session (setsid): with die-on-term the master stops its workers on
    # SIGTERM; whatever is left of that process group is killed after a grace period.
    kill -TERM "$UWSGI_PID" 2>/dev/null
    for _ in $(seq 40); do
      kill -0 -- "-$UWSGI_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$UWSGI_PID" 2>/dev/null
    wait "$UWSGI_PID" 2>/dev/null
  fi
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    say "kept $WORK"
  else
    rm -rf -- "$WORK"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

PORT=$("$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
# host_href is what Barbican writes into secret references. A host name nobody else would configure proves
# that the running workers read this barbican.conf (the load itself always goes to $BASE).
MARKER=openkms-peer-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n').invalid
KEK=$(head -c 32 /dev/urandom | base64 -w0)

# --- configuration -------------------------------------------------------------------------------------
mkdir "$WORK/.barbican"
CONF=$WORK/.barbican/barbican.conf
cat >"$CONF" <<EOF
[DEFAULT]
host_href = http://$MARKER:$PORT
sql_connection = sqlite:///$WORK/barbican.sqlite
db_auto_create = False
log_file = $WORK/barbican.log
use_stderr = False

[queue]
enable = False

[secretstore]
enabled_secretstore_plugins = store_crypto

[crypto]
enabled_crypto_plugins = simple_crypto

[simple_crypto_plugin]
kek = $KEK
EOF

# Paste: the version app on /, the package's unauthenticated pipeline (no Keystone) on /v1. The filter and
# app factories are the ones /etc/barbican/barbican-api-paste.ini names.
cat >"$WORK/paste.ini" <<'EOF'
[composite:main]
use = egg:Paste#urlmap
/: versions
/v1: noauth_v1

[pipeline:versions]
pipeline = cors proxy_headers microversion version_app

[pipeline:noauth_v1]
pipeline = cors proxy_headers unauthenticated_context microversion api_app

[app:version_app]
paste.app_factory = barbican.api.app:create_version_app

[app:api_app]
paste.app_factory = barbican.api.app:create_main_app

[filter:unauthenticated_context]
paste.filter_factory = barbican.api.middleware.context:UnauthenticatedContextMiddleware.factory

[filter:microversion]
paste.filter_factory = barbican.api.middleware.microversion:MicroversionMiddleware.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = barbican

[filter:proxy_headers]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
EOF

# uWSGI: written here rather than taken from /etc/barbican/barbican-api-uwsgi.ini, which drops privileges to
# the barbican user, logs to /var/log and runs 8 x 32 workers. The serving settings that shape the HTTP
# exchange are the package's: large header buffer, Content-Length removed, "Connection: close" on every
# response, master with lazily loaded apps, a listen queue of 100.
cat >"$WORK/uwsgi.ini" <<EOF
[uwsgi]
http-socket = 127.0.0.1:$PORT
paste = config:$WORK/paste.ini
no-default-app = true
master = true
lazy-apps = true
die-on-term = true
no-orphans = true
thunder-lock = true
enable-threads = true
processes = $PROCESSES
threads = $THREADS
listen = 100
buffer-size = 65535
rem-header = Content-Length
add-header = Connection: close
chdir = $WORK
logto = $WORK/uwsgi.log
EOF

# --- schema, created once before any worker starts ---------------------------------------------------
cd "$WORK"
if ! HOME=$WORK "$PYTHON" - "$CONF" >"$WORK/schema.log" 2>&1 <<'PYEOF'; then
import sys

from barbican.common import config  # parses the configuration the way the API does

# oslo.config lists the file once per name it searched for ("barbican" is both project and program name).
read = sorted(set(str(f) for f in config.CONF.config_file))
if read != [sys.argv[1]] or config.CONF.config_dir:
    sys.exit("barbican read %r (dir %r), expected only %s" % (read, config.CONF.config_dir, sys.argv[1]))
config.CONF.set_override("db_auto_create", True)
from barbican.model import repositories

repositories.setup_database_engine_and_factory(initialize_secret_stores=True)
repositories.commit()
print("schema created; configuration files:", read)
PYEOF
  cat "$WORK/schema.log" >&2
  exit 1
fi

HOME=$WORK setsid "$UWSGI" --ini "$WORK/uwsgi.ini" </dev/null >"$WORK/uwsgi.out" 2>&1 &
UWSGI_PID=$!
say "uwsgi pid $UWSGI_PID on $BASE ($PROCESSES processes x $THREADS threads) in $WORK"

# --- one secret to read back; waits for the server -----------------------------------------------------
PROJECT=openkms-peer-project
SECRET_BODY='{"name":"peer","secret_type":"opaque","payload":"T3BlbktNUyBwZWVyIGJlbmNobWFyayBzZWNyZXQhISE=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}'
if ! SECRET_ID=$("$PYTHON" - "$BASE" "$PROJECT" "$SECRET_BODY" "$MARKER" 2>"$WORK/prepare.log" <<'PYEOF'
import base64
import json
import sys
import time
import urllib.error
import urllib.request

base, project, body, marker = sys.argv[1:5]
give_up = time.monotonic() + 120
while True:  # lazy-apps: the first answers come once the workers have loaded Barbican
    try:
        urllib.request.urlopen(base + "/", timeout=10)
        sys.exit("GET / answered 2xx, expected 300")
    except urllib.error.HTTPError as answer:
        if answer.code == 300:
            break
        if time.monotonic() > give_up:
            sys.exit("GET / answered %d" % answer.code)
    except OSError:
        if time.monotonic() > give_up:
            sys.exit("no answer from " + base)
    time.sleep(0.5)

headers = {"X-Project-Id": project, "Content-Type": "application/json"}
create = urllib.request.Request(base + "/v1/secrets", body.encode(), headers, method="POST")
with urllib.request.urlopen(create, timeout=60) as answer:
    if answer.status != 201:
        sys.exit("create answered %d" % answer.status)
    ref = json.load(answer)["secret_ref"]
if "//" + marker + ":" not in ref:
    sys.exit("secret_ref %s does not carry the host_href of our barbican.conf" % ref)
secret_id = ref.rstrip("/").rsplit("/", 1)[1]
read = urllib.request.Request(base + "/v1/secrets/%s/payload" % secret_id,
                              headers={"X-Project-Id": project, "Accept": "application/octet-stream"})
with urllib.request.urlopen(read, timeout=60) as answer:
    payload = answer.read()
want = base64.b64decode(json.loads(body)["payload"])
if payload != want or len(payload) != 32:
    sys.exit("payload read back differs: %r" % payload)
print(secret_id)
PYEOF
); then
  cat "$WORK/prepare.log" >&2
  tail -n 20 "$WORK/uwsgi.log" >&2 || true
  exit 1
fi
say "secret $SECRET_ID stored; its reference names host_href from $CONF"

# --- measurements ------------------------------------------------------------------------------------------
# summarize NAME EXPECTED_STATUS FILE: hey's text report -> one line.
summarize() {
  "$PYTHON" - "$@" <<'PYEOF'
import re
import sys

name, expected, path = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
if "Requests/sec:" not in text:
    sys.exit("hey gave no report for %s (see %s):\n%s" % (name, path, text[-2000:]))


def number(pattern):
    found = re.search(pattern, text, re.M)
    return float(found.group(1)) if found else 0.0


wall = number(r"^\s*Total:\s+([0-9.]+) secs")
rps = number(r"^\s*Requests/sec:\s+([0-9.]+)")
p50 = number(r"^\s*50% in ([0-9.]+) secs")
p99 = number(r"^\s*99% in ([0-9.]+) secs")
if p99 == 0.0:
    # hey leaves its 99% line empty when it has fewer than 100 latencies; for so few, the nearest-rank 99th
    # percentile is the slowest one.
    p99 = number(r"^\s*Slowest:\s+([0-9.]+) secs")
ok = bad = 0
section = None
for line in text.splitlines():
    if line.startswith("Status code distribution:"):
        section = "status"
        continue
    if line.startswith("Error distribution:"):
        section = "error"
        continue
    if section == "status":
        m = re.match(r"\s*\[(\d+)\]\s+(\d+) responses", line)
        if m:
            if m.group(1) == expected:
                ok += int(m.group(2))
            else:
                bad += int(m.group(2))
    elif section == "error":
        m = re.match(r"\s*\[(\d+)\]\s", line)  # [count] error text
        if m:
            bad += int(m.group(1))
print("barbican %s rps=%.1f p50_ms=%.1f p99_ms=%.1f errors=%d ok_rps=%.1f"
      % (name, rps, p50 * 1000, p99 * 1000, bad, ok / wall if wall else 0.0))
PYEOF
}

# run NAME EXPECTED_STATUS hey-arguments...
run() {
  local name=$1 expected=$2
  shift 2
  hey -z "${WARMUP}s" -c "$CONC" "$@" >"$WORK/hey-$name-warmup.txt" 2>&1 || true
  hey -z "${DURATION}s" -c "$CONC" "$@" >"$WORK/hey-$name.txt" 2>&1 || true
  summarize "$name" "$expected" "$WORK/hey-$name.txt"
}

run version 300 "$BASE/"
run get_payload 200 -H "X-Project-Id: $PROJECT" -A application/octet-stream \
  "$BASE/v1/secrets/$SECRET_ID/payload"
run create 201 -m POST -H "X-Project-Id: $PROJECT" -T application/json -d "$SECRET_BODY" "$BASE/v1/secrets"
