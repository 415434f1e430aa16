#!/usr/bin/env bash
# Peer measurement: the PyKMIP server (Debian package python3-pykmip, /usr/bin/pykmip-server) on 127.0.0.1.
#
# Everything lives in a fresh `mktemp -d` directory: a throwaway certificate authority with a server and a
# client certificate (openssl, RSA 2048; mutual TLS 1.2), a server.conf written here, the SQLite database
# file and an empty policy directory. One AES-256 key is created (usage mask Encrypt|Decrypt) and activated;
# then KMIP Encrypt of 32 bytes (AES-GCM, 16-byte tag, the server picks the IV) is sent with PyKMIP's
# ProxyKmipClient in a closed loop: every client process opens one TLS connection and sends one request at a
# time. WARMUP seconds are not counted, then DURATION seconds are. One line per entry of PROCS:
#   pykmip encrypt_<n>proc rps=N p50_ms=N p99_ms=N errors=N
# See scripts/peers/README.md. Run as root (missing Debian packages are installed with apt-get).
#
# Environment: DURATION (10), WARMUP (3), PROCS ("1 8"), KEEP_TMP=1 keeps the directory and its logs.
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PROCS=${PROCS:-1 8}
PYTHON=/usr/bin/python3 # the interpreter Debian's python3-pykmip is installed for

say() { printf 'pykmip.sh: %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "run me as root (I may install Debian packages)"
  exit 2
fi

missing=()
if [[ ! -x /usr/bin/pykmip-server ]] || ! "$PYTHON" -c 'import kmip.pie.client' >/dev/null 2>&1; then
  missing+=(python3-pykmip)
fi
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d)
SERVER_PID=
finish() {
  local rc=$?
  set +e
  if [[ -n $SERVER_PID ]]; then
    # The server was started as the leader of its own session: signal the whole group. pykmip-server stops
    # on SIGTERM once its accept loop wakes up (it polls with a timeout), so allow it some seconds.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null
    for _ in $(seq 60); do
      kill -0 -- "-$SERVER_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
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

# A port the kernel just handed out on loopback (released again before the server binds it).
PORT=$("$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# --- throwaway PKI -----------------------------------------------------------------------------------
make_pki() {
  cd "$WORK"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
  openssl req -new -x509 -key ca.key -out ca.pem -days 1 -subj "/CN=openkms peers throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  local who usage alt
  for who in server client; do
    if [[ $who == server ]]; then usage=serverAuth alt=IP:127.0.0.1; else usage=clientAuth alt=DNS:bench-client; fi
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$who.key"
    openssl req -new -key "$who.key" -out "$who.csr" -subj "/CN=openkms peers $who"
    cat >"$who.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = $usage
subjectAltName = $alt
EOF
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
      -extfile "$who.ext" -out "$who.pem"
  done
  openssl verify -CAfile ca.pem server.pem client.pem
}
if ! (make_pki) >"$WORK/pki.log" 2>&1; then
  cat "$WORK/pki.log" >&2
  exit 1
fi

# --- server configuration (options as documented in PyKMIP's server docs) ---------------------------
mkdir "$WORK/policies"
cat >"$WORK/server.conf" <<EOF
[server]
hostname=127.0.0.1
port=$PORT
certificate_path=$WORK/server.pem
key_path=$WORK/server.key
ca_path=$WORK/ca.pem
auth_suite=TLS1.2
enable_tls_client_auth=True
policy_path=$WORK/policies
database_path=$WORK/pykmip.sqlite
logging_level=INFO
EOF

# --- load generator ------------------------------------------------------------------------------------
cat >"$WORK/load.py" <<'PYEOF'
"""KMIP Encrypt load against the PyKMIP server.

  load.py prepare            -> prints the id of a new, activated AES-256 key (retries until the server answers)
  load.py measure KEY NPROC  -> prints one result line
Connection settings come from the environment (KMIP_*); WARMUP and DURATION are seconds.
"""
import math
import multiprocessing
import os
import sys
import time

from kmip.core import enums
from kmip.pie.client import ProxyKmipClient

DATA = bytes(range(32))
GCM = {
    "cryptographic_algorithm": enums.CryptographicAlgorithm.AES,
    "block_cipher_mode": enums.BlockCipherMode.GCM,
    "tag_length": 16,
}


def connect():
    client = ProxyKmipClient(
        hostname="127.0.0.1",
        port=int(os.environ["KMIP_PORT"]),
        cert=os.environ["KMIP_CERT"],
        key=os.environ["KMIP_KEY"],
        ca=os.environ["KMIP_CA"],
        ssl_version="PROTOCOL_TLSv1_2",
    )
    client.open()
    return client


def prepare():
    give_up = time.monotonic() + 60
    while True:
        try:
            client = connect()
            break
        except Exception as problem:  # the server may still be starting
            if time.monotonic() > give_up:
                sys.exit("pykmip server not reachable: %r" % (problem,))
            time.sleep(0.3)
    key = client.create(
        enums.CryptographicAlgorithm.AES,
        256,
        cryptographic_usage_mask=[enums.CryptographicUsageMask.ENCRYPT, enums.CryptographicUsageMask.DECRYPT],
    )
    client.activate(key)
    ciphertext, iv = client.encrypt(DATA, uid=key, cryptographic_parameters=GCM)
    # ProxyKmipClient.encrypt returns (ciphertext, iv); the GCM tag is not handed back, so no Decrypt check.
    if len(ciphertext) != len(DATA) or not iv:
        sys.exit("unexpected encrypt answer: %r %r" % (ciphertext, iv))
    client.close()
    print(key)


def one_process(key, ready, started, go, results):
    client = connect()
    ready.wait()  # every process is connected before the clock starts
    started.wait()
    counted_from, stop_at = go.value + WARMUP, go.value + WARMUP + DURATION
    while time.time() < go.value:
        time.sleep(0.0005)
    latencies, failures = [], 0
    while True:
        begin = time.time()
        if begin >= stop_at:
            break
        try:
            client.encrypt(DATA, uid=key, cryptographic_parameters=GCM)
            failed = False
        except Exception:
            failed = True
            try:
                client.close()
            except Exception:
                pass
            try:
                client = connect()
            except Exception:
                time.sleep(0.05)
        end = time.time()
        if begin >= counted_from and end <= stop_at:
            if failed:
                failures += 1
            else:
                latencies.append(end - begin)
    try:
        client.close()
    except Exception:
        pass
    results.put((latencies, failures))


def nearest_rank(sorted_values, percent):
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(percent / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(key, nproc):
    ready = multiprocessing.Barrier(nproc + 1)
    started = multiprocessing.Event()
    go = multiprocessing.Value("d", 0.0)
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=one_process, args=(key, ready, started, go, results)) for _ in range(nproc)]
    for w in workers:
        w.start()
    ready.wait(timeout=120)
    go.value = time.time() + 0.2
    started.set()
    latencies, failures = [], 0
    for _ in workers:
        lat, fail = results.get(timeout=WARMUP + DURATION + 120)
        latencies.extend(lat)
        failures += fail
    for w in workers:
        w.join()
    latencies.sort()
    print(
        "pykmip encrypt_%dproc rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d"
        % (nproc, len(latencies) / DURATION, 1000 * nearest_rank(latencies, 50),
           1000 * nearest_rank(latencies, 99), failures)
    )


WARMUP = float(os.environ.get("WARMUP", "3"))
DURATION = float(os.environ.get("DURATION", "10"))

if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare()
    elif sys.argv[1] == "measure":
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: load.py prepare | measure KEY NPROC")
PYEOF

# --- run -----------------------------------------------------------------------------------------------
cd "$WORK"
setsid /usr/bin/pykmip-server -f "$WORK/server.conf" -l "$WORK/server.log" </dev/null >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
say "pykmip-server pid $SERVER_PID on 127.0.0.1:$PORT in $WORK"

export KMIP_PORT=$PORT KMIP_CERT=$WORK/client.pem KMIP_KEY=$WORK/client.key KMIP_CA=$WORK/ca.pem
export WARMUP DURATION HOME=$WORK # HOME: no ~/.pykmip/pykmip.conf of the caller is consulted
if ! KEY_ID=$("$PYTHON" -W ignore load.py prepare 2>"$WORK/prepare.log"); then
  cat "$WORK/prepare.log" "$WORK/server.out" >&2
  exit 1
fi
say "key $KEY_ID created and activated"
for n in $PROCS; do
  "$PYTHON" -W ignore load.py measure "$KEY_ID" "$n" 2>>"$WORK/measure.log"
done
