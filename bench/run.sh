#!/usr/bin/env bash
# Hookgate benchmark: build, start the service on a throw-away data dir, run the
# load generator, stop the service, clean up.
#
#   bash bench/run.sh [generator options, e.g. --concurrency 16 --duration 30 --warmup 5]
#   bash bench/run.sh --mode e2e --rate 200 --duration 30     (ingest + delivery to a local receiver)
#
# With --mode e2e the service is started with HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true (the
# receiver is on 127.0.0.1); the ingest mode starts it exactly as before (the variable unset).
#
# Environment (all optional):
#   HOOKGATE_BENCH_HTTP_PORT / HOOKGATE_BENCH_ADMIN_PORT   service ports (default 18080 / 18081)
#   HOOKGATE_BENCH_ADMIN_EMAIL / HOOKGATE_BENCH_ADMIN_PASSWORD  first platform admin (generated if unset)
#   HOOKGATE_BENCH_CONFIG            service config file (default config.yml at the repo root)
#   HOOKGATE_BENCH_SERVICE_JAR       service jar (default service/target/hookgate.jar; built if missing)
#   HOOKGATE_BENCH_SERVICE_JAVA_OPTS JVM options for the service (e.g. -Xmx512m)
#   HOOKGATE_BENCH_JAVA_OPTS         JVM options for the generator
#   HOOKGATE_BENCH_KEEP=1            keep the temp dir (service log, data) instead of deleting it
#   DATABASE_URL                     use this PostgreSQL instead of the embedded one
#                                    (a HOOKGATE_MASTER_KEY is generated unless already set)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTTP_PORT=${HOOKGATE_BENCH_HTTP_PORT:-18080}
ADMIN_PORT=${HOOKGATE_BENCH_ADMIN_PORT:-18081}
ADMIN_EMAIL=${HOOKGATE_BENCH_ADMIN_EMAIL:-bench-admin@hookgate.local}
ADMIN_PASSWORD=${HOOKGATE_BENCH_ADMIN_PASSWORD:-Bench-$(head -c12 /dev/urandom | od -An -tx1 | tr -d ' \n')}
CONFIG=${HOOKGATE_BENCH_CONFIG:-config.yml}
SERVICE_JAR=${HOOKGATE_BENCH_SERVICE_JAR:-$ROOT/service/target/hookgate.jar}
BENCH_JAR=$ROOT/bench/target/hookgate-bench.jar
HEALTH_TIMEOUT=120

log() { echo "run.sh: $*" >&2; }

# --mode e2e (or --mode=e2e) among the generator arguments?
E2E=0
prev=""
for a in "$@"; do
  if [[ $a == --mode=e2e ]] || [[ $prev == --mode && $a == e2e ]]; then E2E=1; fi
  prev=$a
done

# ---- (a) build what is missing ----
service_jar_ok() {
  [[ -f $SERVICE_JAR ]] || return 1
  if command -v unzip >/dev/null 2>&1; then
    # A jar whose Main-Class is absent (e.g. a skeleton build) does not count.
    local main
    main=$(unzip -p "$SERVICE_JAR" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n 's/^Main-Class: *//p')
    [[ -n $main ]] || return 1
    unzip -l "$SERVICE_JAR" "${main//.//}.class" >/dev/null 2>&1 || return 1
  fi
  return 0
}
if [[ -n ${HOOKGATE_BENCH_SERVICE_JAR:-} ]]; then
  [[ -f $SERVICE_JAR ]] || { log "error: HOOKGATE_BENCH_SERVICE_JAR=$SERVICE_JAR not found"; exit 1; }
elif ! service_jar_ok; then
  log "building the service jar (mvn -q -DskipTests package)"
  (cd "$ROOT" && mvn -q -DskipTests package)
  service_jar_ok || { log "error: $SERVICE_JAR missing or without its main class after the build"; exit 1; }
fi
if [[ ! -f $BENCH_JAR ]] || [[ -n $(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" -newer "$BENCH_JAR" -type f 2>/dev/null | head -1) ]]; then
  log "building the bench jar (mvn -q -f bench/pom.xml package)"
  mvn -q -f "$ROOT/bench/pom.xml" package
fi
if [[ ! -f $ROOT/$CONFIG && ! -f $CONFIG ]]; then
  log "error: service config $CONFIG not found (looked in $ROOT)"
  exit 1
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$HTTP_PORT" "$ADMIN_PORT"; do
  if port_busy "$p"; then
    log "error: port $p is already in use (set HOOKGATE_BENCH_HTTP_PORT / HOOKGATE_BENCH_ADMIN_PORT)"
    exit 1
  fi
done

# ---- (b) start the service ----
WORK=$(mktemp -d -t hookgate-bench.XXXXXX)
DATA_DIR=$WORK/data
mkdir -p "$DATA_DIR"
SERVICE_LOG=$WORK/service.log
SVC_PID=""
JSTAT_PID=""

stop_service() {
  if [[ -n $JSTAT_PID ]]; then
    kill "$JSTAT_PID" 2>/dev/null || true
    wait "$JSTAT_PID" 2>/dev/null || true
    JSTAT_PID=""
  fi
  if [[ -n $SVC_PID ]] && kill -0 "$SVC_PID" 2>/dev/null; then
    log "stopping the service (pid $SVC_PID)"
    kill -TERM "$SVC_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 60; i++)); do
      kill -0 "$SVC_PID" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$SVC_PID" 2>/dev/null; then
      log "service did not stop within 60 s; sending SIGKILL"
      kill -KILL "$SVC_PID" 2>/dev/null || true
    fi
    wait "$SVC_PID" 2>/dev/null || true
  fi
  SVC_PID=""
  # An embedded PostgreSQL the service left behind in our data dir (only ours: matched by its data dir).
  local pidfile pgpid
  while IFS= read -r pidfile; do
    pgpid=$(head -1 "$pidfile" 2>/dev/null || true)
    if [[ $pgpid =~ ^[0-9]+$ ]] && kill -0 "$pgpid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pgpid/cmdline" 2>/dev/null | grep -qF "$WORK"; then
      log "stopping leftover embedded PostgreSQL (pid $pgpid)"
      kill -TERM "$pgpid" 2>/dev/null || true
      sleep 2
    fi
  done < <(find "$WORK" -name postmaster.pid 2>/dev/null)
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_service
  if [[ ${HOOKGATE_BENCH_KEEP:-0} == 1 ]]; then
    log "kept $WORK (service log: $SERVICE_LOG)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n ${DATABASE_URL:-} ]]; then
  if [[ -z ${HOOKGATE_MASTER_KEY:-} ]]; then
    HOOKGATE_MASTER_KEY=$(head -c32 /dev/urandom | base64)
    export HOOKGATE_MASTER_KEY
  fi
  log "using DATABASE_URL (external PostgreSQL)"
else
  log "using the embedded PostgreSQL in $DATA_DIR"
fi

# Start a private copy of the jar: a rebuild of service/target during the run cannot affect it.
SERVICE_JAR_RUN=$WORK/$(basename "$SERVICE_JAR")
cp "$SERVICE_JAR" "$SERVICE_JAR_RUN"
log "service jar $SERVICE_JAR, built $(date -u -r "$SERVICE_JAR" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?') (running a copy)"
log "starting Hookgate on :$HTTP_PORT (admin :$ADMIN_PORT), log $SERVICE_LOG$( ((E2E)) && echo ', private destinations allowed (e2e)')"
# shellcheck disable=SC2086
(
  cd "$ROOT"
  export HOOKGATE_HTTP_PORT=$HTTP_PORT HOOKGATE_ADMIN_PORT=$ADMIN_PORT HOOKGATE_DATA_DIR=$DATA_DIR \
    HOOKGATE_ADMIN_EMAIL=$ADMIN_EMAIL HOOKGATE_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    HOOKGATE_PUBLIC_URL=http://localhost:$HTTP_PORT
  if ((E2E)); then
    export HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true # the bench receiver listens on 127.0.0.1
  fi
  exec java ${HOOKGATE_BENCH_SERVICE_JAVA_OPTS:-} -jar "$SERVICE_JAR_RUN" server "$CONFIG"
) >"$SERVICE_LOG" 2>&1 &
SVC_PID=$!

deadline=$((SECONDS + HEALTH_TIMEOUT))
while :; do
  if ! kill -0 "$SVC_PID" 2>/dev/null; then
    wait "$SVC_PID" 2>/dev/null && svc_rc=0 || svc_rc=$?
    SVC_PID=""
    log "error: the service exited (status $svc_rc) before becoming healthy; last log lines:"
    tail -40 "$SERVICE_LOG" >&2 || true
    exit 1
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://localhost:$ADMIN_PORT/healthcheck" || true)
  [[ $code == 200 ]] && break
  if ((SECONDS >= deadline)); then
    log "error: no 200 from http://localhost:$ADMIN_PORT/healthcheck within ${HEALTH_TIMEOUT} s (last: ${code:-none}); last log lines:"
    tail -40 "$SERVICE_LOG" >&2 || true
    exit 1
  fi
  sleep 1
done
log "service healthy after $((SECONDS - deadline + HEALTH_TIMEOUT)) s"

# Heap sampling (optional; jstat from the JDK), 1 s period.
if command -v jstat >/dev/null 2>&1; then
  jstat -gc "$SVC_PID" 1000 >"$WORK/jstat.log" 2>/dev/null &
  JSTAT_PID=$!
fi

# ---- (c) run the generator ----
# Other work on the machine skews every figure. Account the CPU time used during the run by our
# processes (the service, its embedded PostgreSQL and backends, this script and the generator)
# against the whole machine's busy time (/proc/stat), and report what other processes used.
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || echo 0; }
our_ticks() {
  local roots=("$SVC_PID" "$$") pidfile pgpid
  while IFS= read -r pidfile; do
    pgpid=$(head -1 "$pidfile" 2>/dev/null || true)
    [[ $pgpid =~ ^[0-9]+$ ]] && roots+=("$pgpid")
  done < <(find "$WORK" -name postmaster.pid 2>/dev/null)
  # the roots and all their descendants; utime+stime+cutime+cstime (fields 14-17 of /proc/PID/stat)
  ps -e -o pid=,ppid= 2>/dev/null | awk -v roots="${roots[*]}" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) if (r[i] != "") mine[r[i]] = 1 }
    { parent[$1] = $2; pids[++m] = $1 }
    END {
      do { changed = 0; for (i = 1; i <= m; i++) { p = pids[i]; if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; changed = 1 } } } while (changed)
      for (p in mine) print p
    }' | while read -r pid; do
      { sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null || true; } | awk '{ print $12 + $13 + $14 + $15 }'
      true # a process that ended meanwhile has no /proc entry: skip it, never fail
    done | awk '{ s += $1 } END { print s + 0 }'
}
CPU_OK=0
if [[ -r /proc/stat && -r /proc/self/stat ]] && command -v ps >/dev/null 2>&1; then
  CPU_OK=1
  busy0=$(machine_busy_ticks) || busy0=0
  ours0=$(our_ticks) || ours0=0
  wall0=$(date +%s.%N)
fi
set +e
# shellcheck disable=SC2086
java ${HOOKGATE_BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" \
  --base-url "http://localhost:$HTTP_PORT" \
  --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" \
  "$@"
gen_rc=$?
set -e
if ((CPU_OK)); then
  busy1=$(machine_busy_ticks) || busy1=0
  ours1=$(our_ticks) || ours1=0
  wall1=$(date +%s.%N)
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  awk -v b="$((busy1 - busy0))" -v o="$((ours1 - ours0))" -v hz="$hz" -v w0="$wall0" -v w1="$wall1" -v n="$(nproc 2>/dev/null || echo 1)" 'BEGIN {
    wall = w1 - w0; busy = b / hz; ours = o / hz; other = busy - ours; if (other < 0) other = 0
    pct = 0; if (wall > 0) pct = 100 * other / (wall * n)
    printf "run.sh: CPU during the run (%.1f s wall, %d CPUs = %.1f CPU-s): busy %.1f CPU-s, ours (service, PostgreSQL, generator) %.1f, other processes %.1f (%.0f%% of capacity)\n",
      wall, n, wall * n, busy, ours, other, pct
  }' >&2 || true
fi

# ---- heap report ----
if [[ -n $JSTAT_PID ]]; then
  kill "$JSTAT_PID" 2>/dev/null || true
  wait "$JSTAT_PID" 2>/dev/null || true
  JSTAT_PID=""
  awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 ~ /^[0-9.]+$/ {
      used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
      comm = $col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"]
      if (used > maxu) maxu = used
      if (comm > maxc) maxc = comm
      n++
    }
    END { if (n > 0) printf "run.sh: service heap (jstat, 1 s samples): max used %.0f MB, max committed %.0f MB\n", maxu / 1024, maxc / 1024 }
  ' "$WORK/jstat.log" >&2 || true
fi
if [[ -n $SVC_PID ]] && command -v jcmd >/dev/null 2>&1; then
  jcmd "$SVC_PID" GC.heap_info 2>/dev/null | sed -n '2,3p' | sed 's/^/run.sh: heap at end: /' >&2 || true
fi
if [[ -n $SVC_PID ]] && ! kill -0 "$SVC_PID" 2>/dev/null; then
  log "warning: the service died during the run; last log lines:"
  tail -40 "$SERVICE_LOG" >&2 || true
fi

# ---- (d) stop + clean up (trap) ----
exit "$gen_rc"
