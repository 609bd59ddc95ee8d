#!/usr/bin/env bash
# Hookgate benchmark: build, start the service on a throw-away data dir, run the
# load generator, stop the service, clean up.
#
#   bash bench/run.sh [generator options, e.g. --concurrency 16 --duration 30 --warmup 5]
#   bash bench/run.sh --mode e2e --rate 200 --duration 30     (ingest + delivery to a local receiver)
#   bash bench/run.sh --mode ceilings --concurrency 16 --duration 20
#       (PostgreSQL ceiling with pgbench, HTTP ceiling against a null Jetty server, then Hookgate's
#        ingest, end to end at --rate (default 200) and forwarding (e2e --rate 0), all at the same
#        concurrency; the last stdout line is one JSON object; needs pgbench and psql, from
#        Debian's postgresql-client package, and the embedded PostgreSQL)
#
# With --mode e2e or --mode ceilings the service is started with
# HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true (the receiver is on 127.0.0.1); the ingest mode starts
# it exactly as before (the variable unset).
#
# Environment (all optional):
#   HOOKGATE_BENCH_HTTP_PORT / HOOKGATE_BENCH_ADMIN_PORT   service ports (default 18080 / 18081)
#   HOOKGATE_BENCH_ADMIN_EMAIL / HOOKGATE_BENCH_ADMIN_PASSWORD  first platform admin (generated if unset)
#   HOOKGATE_BENCH_CONFIG            service config file (default config.yml at the repo root)
#   HOOKGATE_BENCH_SERVICE_JAR       service jar (default service/target/hookgate.jar; built if missing)
#   HOOKGATE_BENCH_SERVICE_JAVA_OPTS JVM options for the service (default: -Xmx512m with --mode ceilings, none otherwise)
#   HOOKGATE_BENCH_JAVA_OPTS         JVM options for the generator
#   HOOKGATE_BENCH_KEEP=1            keep the temp dir (service log, data) instead of deleting it
#   HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES=N  run with the kernel's vm.dirty_background_bytes at N (as README advises
#                                    for a PostgreSQL host, e.g. 33554432), restored when the run ends; needs root
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

# --mode e2e (or --mode=e2e) among the generator arguments? --mode ceilings is run.sh's own.
E2E=0
CEILINGS=0
prev=""
for a in "$@"; do
  if [[ $a == --mode=e2e ]] || [[ $prev == --mode && $a == e2e ]]; then E2E=1; fi
  if [[ $a == --mode=ceilings ]] || [[ $prev == --mode && $a == ceilings ]]; then CEILINGS=1; fi
  prev=$a
done
# The ceilings run checks the heap target (512 MiB) by running the service within it: unset, G1 grows the young
# generation into whatever the machine has, and the figure would measure garbage not yet collected.
SERVICE_JAVA_OPTS_DEFAULT=""
if ((CEILINGS)); then SERVICE_JAVA_OPTS_DEFAULT="-Xmx512m"; fi

if ((CEILINGS)); then
  # Options of the ceilings mode; the figures of every step use the same concurrency and duration.
  CEIL_CONCURRENCY=16
  CEIL_DURATION=30
  # The service's JIT needs about 20 s of load to reach its steady speed (the first 5 s run at a third of it).
  CEIL_WARMUP=20
  CEIL_RATE=200
  # Longest JIT warm-up of the service before its first measured step (0: none); rounds of JIT_ROUND seconds until
  # one compiles fewer than JIT_QUIET methods.
  CEIL_JIT_WARMUP=240
  JIT_ROUND=15
  JIT_QUIET=200
  CEIL_SEED=42
  CEIL_COMMON=() # passed to every generator run
  CEIL_E2E=()    # passed to the two e2e runs only
  ceil_usage() {
    cat >&2 <<'USAGE'
usage: bash bench/run.sh --mode ceilings [--concurrency N] [--duration S] [--warmup S] [--rate N]
         [--drain S] [--max-in-flight N] [--client socket|urlconnection|jdk] [--seed N] [--payload PATH] [--timeout S]
  --concurrency N   pgbench clients, generator workers and e2e senders (default 16)
  --duration S      measured seconds of every step (default 30)
  --warmup S        unmeasured seconds before every step (default 20: the service's JIT warms up)
  --rate N          events/s of the end-to-end step (default 200); three more open-loop steps measure
                    the ack p99 target: half the ingest rate just measured (ingest only), half the
                    end-to-end maximum (every event forwarded), and half the ingest rate with every
                    event forwarded (for comparison)
  --jit-warmup S    longest JIT warm-up of the service before its first step (default 240; 0: none):
                    e2e rounds of 15 s until one compiles fewer than 200 methods
  --drain, --max-in-flight  passed to the e2e steps; the rest to every generator run
USAGE
  }
  args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    a=${args[i]}
    v=""
    if [[ $a == --*=* ]]; then
      v=${a#*=}
      a=${a%%=*}
    elif [[ $a == --* && $a != --help ]]; then
      if ((i + 1 >= ${#args[@]})); then
        echo "run.sh: error: missing value for $a" >&2; ceil_usage; exit 64
      fi
      i=$((i + 1))
      v=${args[i]}
    fi
    case $a in
      --mode) ;;
      --concurrency) CEIL_CONCURRENCY=$v ;;
      --duration) CEIL_DURATION=$v ;;
      --warmup) CEIL_WARMUP=$v; CEIL_COMMON+=(--warmup "$v") ;;
      --rate) CEIL_RATE=$v ;;
      --jit-warmup) CEIL_JIT_WARMUP=$v ;;
      --seed) CEIL_SEED=$v; CEIL_COMMON+=(--seed "$v") ;;
      --client | --payload | --timeout) CEIL_COMMON+=("$a" "$v") ;;
      --drain | --max-in-flight) CEIL_E2E+=("$a" "$v") ;;
      --help | -h) ceil_usage; exit 0 ;;
      *) echo "run.sh: error: option $a is not supported with --mode ceilings" >&2; ceil_usage; exit 64 ;;
    esac
  done
  [[ " ${CEIL_COMMON[*]} " == *" --warmup "* ]] || CEIL_COMMON+=(--warmup "$CEIL_WARMUP")
  for v in "$CEIL_CONCURRENCY" "$CEIL_DURATION" "$CEIL_WARMUP" "$CEIL_RATE" "$CEIL_JIT_WARMUP"; do
    [[ $v =~ ^[0-9]+$ ]] || { echo "run.sh: error: --concurrency, --duration, --warmup, --rate and --jit-warmup need integers" >&2; exit 64; }
  done
  ((CEIL_CONCURRENCY > 0 && CEIL_DURATION > 0)) || { echo "run.sh: error: --concurrency and --duration must be > 0" >&2; exit 64; }
  [[ $CEIL_SEED =~ ^-?[0-9]+$ ]] || { echo "run.sh: error: --seed needs an integer" >&2; exit 64; }
  if [[ -n ${DATABASE_URL:-} ]]; then
    echo "run.sh: error: --mode ceilings measures the embedded PostgreSQL (pgbench connects to it); unset DATABASE_URL" >&2
    exit 64
  fi
  for tool in pgbench psql; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "run.sh: error: $tool not found; on Debian/Ubuntu: apt-get install -y postgresql-client" >&2
      exit 1
    fi
  done
  CEIL_DB=hookgate_ceiling
fi
PGARGS=()
NULL_PID=""

# ---- (a) build what is missing ----
jar_ok() {
  local jar=$1
  [[ -f $jar ]] || return 1
  if command -v unzip >/dev/null 2>&1; then
    # A jar whose Main-Class is absent (e.g. a skeleton build, or a copy taken mid-rebuild) does not count.
    local main
    main=$(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n 's/^Main-Class: *//p')
    [[ -n $main ]] || return 1
    unzip -l "$jar" "${main//.//}.class" >/dev/null 2>&1 || return 1
  fi
  return 0
}
service_jar_ok() { jar_ok "$SERVICE_JAR"; }
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
if ((!CEILINGS)) && [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  exec java -jar "$BENCH_JAR" --help # the generator's options; nothing to start
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

stop_null_server() {
  if [[ -n $NULL_PID ]] && kill -0 "$NULL_PID" 2>/dev/null; then
    kill -TERM "$NULL_PID" 2>/dev/null || true
    wait "$NULL_PID" 2>/dev/null || true
  fi
  NULL_PID=""
}

# Optional: the host's writeback threshold for this run only (README, "Running on a real PostgreSQL").
WRITEBACK_RESTORE=""
restore_writeback() {
  [[ -n $WRITEBACK_RESTORE ]] || return 0
  # writing one of the pair zeroes the other: restore whichever was in force
  echo "${WRITEBACK_RESTORE#* }" >"/proc/sys/vm/${WRITEBACK_RESTORE%% *}" 2>/dev/null \
    && log "kernel writeback restored: vm.${WRITEBACK_RESTORE%% *} ${WRITEBACK_RESTORE#* }" \
    || log "warning: could not restore vm.${WRITEBACK_RESTORE%% *} to ${WRITEBACK_RESTORE#* }"
  WRITEBACK_RESTORE=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_null_server
  stop_service
  restore_writeback
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

# A kernel setting under /proc/sys/vm, or '?' where it cannot be read.
vm() { cat "/proc/sys/vm/$1" 2>/dev/null || echo '?'; }
if [[ -n ${HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES:-} ]]; then
  [[ $HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES =~ ^[0-9]+$ ]] || { log "error: HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES needs a byte count"; exit 64; }
  old_bytes=$(vm dirty_background_bytes)
  if [[ $old_bytes != 0 ]]; then prior="dirty_background_bytes $old_bytes"; else prior="dirty_background_ratio $(vm dirty_background_ratio)"; fi
  if [[ $old_bytes =~ ^[0-9]+$ ]] && echo "$HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES" >/proc/sys/vm/dirty_background_bytes 2>/dev/null; then
    WRITEBACK_RESTORE=$prior
    log "kernel writeback for this run: vm.dirty_background_bytes $HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES (was: $prior)"
  else
    log "error: cannot set vm.dirty_background_bytes (needs root); unset HOOKGATE_BENCH_DIRTY_BACKGROUND_BYTES to run with the host's settings"
    exit 1
  fi
fi

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
# A copy taken while service/target is being rebuilt can be incomplete: wait for the build to finish.
for ((attempt = 1; attempt <= 12; attempt++)); do
  jar_ok "$SERVICE_JAR_RUN" && break
  log "the copy of $SERVICE_JAR is incomplete (a rebuild in progress?); copying again in 10 s ($attempt/12)"
  sleep 10
  cp "$SERVICE_JAR" "$SERVICE_JAR_RUN" 2>/dev/null || true
done
jar_ok "$SERVICE_JAR_RUN" || { log "error: no complete copy of $SERVICE_JAR after 2 minutes"; exit 1; }
log "service jar $SERVICE_JAR, built $(date -u -r "$SERVICE_JAR" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?') (running a copy)"
log "starting Hookgate on :$HTTP_PORT (admin :$ADMIN_PORT), log $SERVICE_LOG$( ((E2E || CEILINGS)) && echo ', private destinations allowed (e2e)')"
# shellcheck disable=SC2086
(
  cd "$ROOT"
  export HOOKGATE_HTTP_PORT=$HTTP_PORT HOOKGATE_ADMIN_PORT=$ADMIN_PORT HOOKGATE_DATA_DIR=$DATA_DIR \
    HOOKGATE_ADMIN_EMAIL=$ADMIN_EMAIL HOOKGATE_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    HOOKGATE_PUBLIC_URL=http://localhost:$HTTP_PORT
  if ((E2E || CEILINGS)); then
    export HOOKGATE_ALLOW_PRIVATE_DESTINATIONS=true # the bench receiver listens on 127.0.0.1
  fi
  exec java ${HOOKGATE_BENCH_SERVICE_JAVA_OPTS:-$SERVICE_JAVA_OPTS_DEFAULT} -jar "$SERVICE_JAR_RUN" server "$CONFIG"
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
# processes (the service, its embedded PostgreSQL and backends, this script and its children: the
# generator, pgbench, the null server) against the whole machine's busy time (/proc/stat), and
# report what other processes used.
# "busy steal": busy ticks, and the ticks the hypervisor ran something else while this VM had work (steal: capacity
# the figures did not get), from one read of /proc/stat
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9 + 0; exit }' /proc/stat 2>/dev/null || echo 0 0; }
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
# Methods the service's JIT has compiled so far (jstat -compiler); empty without jstat.
jit_compiled() { jstat -compiler "$SVC_PID" 2>/dev/null | awk 'NR == 2 { print $1 }'; }
CPU_OK=0
if [[ -r /proc/stat && -r /proc/self/stat ]] && command -v ps >/dev/null 2>&1; then
  CPU_OK=1
fi
cpu_begin() {
  ((CPU_OK)) || return 0
  jit0=$(jit_compiled) # first: jstat is a JVM of its own, whose start must not count in the step's CPU
  read -r busy0 steal0 < <(machine_ticks) || { busy0=0; steal0=0; }
  ours0=$(our_ticks) || ours0=0
  wall0=$(date +%s.%N)
}
# cpu_end [label [key]]: the "CPU during the run" line for the period since cpu_begin; with a key, the step's steal and
# other-process shares also go to $WORK/cpu-steps.tsv for the summary
cpu_end() {
  ((CPU_OK)) || return 0
  local busy1 steal1 ours1 wall1 hz label=${1:-} key=${2:-} shares
  read -r busy1 steal1 < <(machine_ticks) || { busy1=0; steal1=0; }
  ours1=$(our_ticks) || ours1=0
  wall1=$(date +%s.%N)
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  shares=$(awk -v b="$((busy1 - busy0))" -v st="$((steal1 - steal0))" -v o="$((ours1 - ours0))" -v hz="$hz" -v w0="$wall0" -v w1="$wall1" \
      -v n="$(nproc 2>/dev/null || echo 1)" -v label="$label" 'BEGIN {
    wall = w1 - w0; busy = b / hz; steal = st / hz; ours = o / hz; other = busy - ours; if (other < 0) other = 0
    pct = 0; spct = 0; if (wall > 0) { pct = 100 * other / (wall * n); spct = 100 * steal / (wall * n) }
    printf "run.sh: CPU during the %s (%.1f s wall, %d CPUs = %.1f CPU-s): busy %.1f CPU-s, ours (service, PostgreSQL, generator) %.1f, other processes %.1f (%.0f%% of capacity), stolen by the hypervisor %.1f (%.0f%%)\n",
      (label == "" ? "run" : label), wall, n, wall * n, busy, ours, other, pct, steal, spct > "/dev/stderr"
    printf "%.1f\t%.1f\n", spct, pct
  }' || true)
  if [[ -n $key && -n $shares ]]; then
    printf '%s\t%s\n' "$key" "$shares" >>"$WORK/cpu-steps.tsv"
  fi
  if [[ -n ${jit0:-} ]]; then
    log "JIT during the ${label:-run}: the service compiled $(($(jit_compiled) - jit0)) methods"
  fi
}

# heap_report: prints the service heap high-water mark so far; sets HEAP_MAX_MIB (max used, MiB)
HEAP_MAX_MIB=""
heap_report() {
  [[ -f $WORK/jstat.log ]] || return 0
  local line
  line=$(awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 ~ /^[0-9.]+$/ {
      used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
      comm = $col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"]
      if (used > maxu) maxu = used
      if (comm > maxc) maxc = comm
      n++
    }
    END { if (n > 0) printf "%.0f %.0f\n", maxu / 1024, maxc / 1024 }
  ' "$WORK/jstat.log" 2>/dev/null || true)
  [[ -n $line ]] || return 0
  HEAP_MAX_MIB=${line%% *}
  # jstat reports KiB: the figures below are MiB (the label says MB, as before)
  log "service heap (jstat, 1 s samples): max used ${HEAP_MAX_MIB} MB, max committed ${line##* } MB"
}
stop_jstat() {
  if [[ -n $JSTAT_PID ]]; then
    kill "$JSTAT_PID" 2>/dev/null || true
    wait "$JSTAT_PID" 2>/dev/null || true
    JSTAT_PID=""
  fi
}

GEN=(java ${HOOKGATE_BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR")
if ((CEILINGS)); then
  # ---- (c') --mode ceilings: the PostgreSQL and HTTP ceilings next to Hookgate's own figures ----
  STEPS_FAILED=()
  step() { log "==== $* ===="; }
  # The kernel's writeback settings shape the half-rate tail: below the background threshold, dirty pages go out by
  # age only, each file's all at once 30 s after it was first dirtied (here 150-180 MB in one second, stalling the
  # commits' WAL flushes). The figures are this host's, with these settings.
  log "kernel writeback: dirty_background_bytes $(vm dirty_background_bytes), dirty_background_ratio $(vm dirty_background_ratio)%, dirty_expire_centisecs $(vm dirty_expire_centisecs), dirty_writeback_centisecs $(vm dirty_writeback_centisecs); $(awk '/^MemAvailable/ { printf "%.0f MiB available", $2 / 1024 }' /proc/meminfo 2>/dev/null)"
  # Before a measured step: PostgreSQL writes its dirty buffers (checkpoint), and the kernel its dirty pages (sync).
  # Otherwise the writes of the step before (pgbench inserts hundreds of MB) are flushed during the next one, and
  # its commits wait behind them.
  quiet_disk() {
    if ((${#PGARGS[@]} > 0)); then
      psql "${PGARGS[@]}" -d postgres -qAt -c checkpoint >/dev/null 2>&1 || true
    fi
    sync
  }

  # (a) PostgreSQL: pgbench with an ingest-shaped transaction, in a throwaway database on the same
  # embedded server (its own copy of the schema: the service's worker never sees these deliveries).
  PG_PORT=$(sed -n 4p "$DATA_DIR/pg/postmaster.pid" 2>/dev/null | tr -d ' \r' || true)
  PG_OK=0
  if [[ ! $PG_PORT =~ ^[0-9]+$ ]]; then
    log "error: no port on line 4 of $DATA_DIR/pg/postmaster.pid; skipping the PostgreSQL ceiling"
    STEPS_FAILED+=("pg")
  else
    PGARGS=(-h localhost -p "$PG_PORT" -U postgres)
    step "PostgreSQL ceiling: preparing database $CEIL_DB on the embedded server (port $PG_PORT)"
    if psql "${PGARGS[@]}" -d postgres -qAt -v ON_ERROR_STOP=1 -c "create database $CEIL_DB" >&2 \
      && (cd "$ROOT" && DATABASE_URL="jdbc:postgresql://localhost:$PG_PORT/$CEIL_DB?user=postgres" \
            HOOKGATE_MASTER_KEY=$(head -c32 /dev/urandom | base64) HOOKGATE_DATA_DIR=$WORK/migrate \
            java -jar "$SERVICE_JAR_RUN" db migrate "$CONFIG" >"$WORK/migrate.log" 2>&1) \
      && psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -v ON_ERROR_STOP=1 -f "$ROOT/bench/pgbench/ceiling-setup.sql" >&2 \
      && java -cp "$BENCH_JAR" io.hookgate.bench.Ceilings bodies 1000 "$CEIL_SEED" >"$WORK/bodies.copy" \
      && psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -v ON_ERROR_STOP=1 \
           -c '\copy ceiling_bodies (n, body, headers, workflow_id, call_count) from pstdin' <"$WORK/bodies.copy" >&2 \
      && psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -v ON_ERROR_STOP=1 -c 'analyze' >&2; then
      PG_OK=1
    else
      log "error: preparing the ceiling database failed (db migrate log: $WORK/migrate.log); skipping the PostgreSQL ceiling"
      tail -20 "$WORK/migrate.log" >&2 2>/dev/null || true
      STEPS_FAILED+=("pg")
    fi
  fi
  if ((PG_OK)); then
    TENANT_DEST=$(psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -c "select id from tenants where name = 'ceiling-with-destination'")
    TENANT_NODEST=$(psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -c "select id from tenants where name = 'ceiling-without-destination'")
    JOBS=$((CEIL_CONCURRENCY < 2 ? CEIL_CONCURRENCY : 2))
    PGBENCH=(pgbench "${PGARGS[@]}" -n -M prepared -c "$CEIL_CONCURRENCY" -j "$JOBS" -f "$ROOT/bench/pgbench/ingest-ceiling.sql")
    if ((CEIL_WARMUP > 0)); then
      step "PostgreSQL ceiling: warmup ${CEIL_WARMUP} s (not measured)"
      "${PGBENCH[@]}" -T "$CEIL_WARMUP" -D tenant="$TENANT_DEST" "$CEIL_DB" >"$WORK/pgbench-warmup.out" 2>&1 || true
    fi
    quiet_disk
    step "PostgreSQL ceiling: pgbench -M prepared -c $CEIL_CONCURRENCY -j $JOBS -T $CEIL_DURATION, tenant with one destination"
    cpu_begin
    "${PGBENCH[@]}" -T "$CEIL_DURATION" -D tenant="$TENANT_DEST" "$CEIL_DB" >"$WORK/pgbench.out" 2>&1 || STEPS_FAILED+=("pg")
    cpu_end "PostgreSQL ceiling" pgCeiling
    grep -E '^(number of (transactions actually processed|failed transactions)|latency average|tps)' "$WORK/pgbench.out" | sed 's/^/  pgbench: /' >&2 || true
  fi

  # The same statement for a tenant without destination: the ingest step's own shape. The machine is shared and
  # its speed drifts by a third within minutes, so this ceiling brackets the ingest step (measured right before and
  # right after it) and the comparison uses the mean of the two.
  pg_same_shape() {
    local label=$1 out=$2
    ((PG_OK)) || return 0
    quiet_disk
    step "PostgreSQL ceiling, same shape ($label the ingest step): the same statement, tenant without destination"
    cpu_begin
    "${PGBENCH[@]}" -T "$CEIL_DURATION" -D tenant="$TENANT_NODEST" "$CEIL_DB" >"$out" 2>&1 || STEPS_FAILED+=("pg-no-destination-$label")
    cpu_end "PostgreSQL ceiling without destination, $label the ingest step" "pgCeilingNoDestination${label^}"
    grep -E '^(number of (transactions actually processed|failed transactions)|latency average|tps)' "$out" | sed 's/^/  pgbench: /' >&2 || true
  }
  # What the transactions wrote (warmup included): one event with 1-5 calls, and one delivery for the tenant with a
  # destination; the stored body sizes (after TOAST compression) are compared with Hookgate's own. Then the ceiling
  # database goes, to free its disk and buffers before the steps that follow.
  drop_ceiling_database() {
    ((PG_OK)) || return 0
    local t
    for t in "$TENANT_DEST" "$TENANT_NODEST"; do
      psql "${PGARGS[@]}" -d "$CEIL_DB" -qAt -F ' ' -c "select (select count(*) from events where tenant_id = $t),
          (select count(*) from event_calls where tenant_id = $t), (select count(*) from deliveries where tenant_id = $t),
          (select round(avg(length(body))) from events where tenant_id = $t),
          (select round(avg(pg_column_size(body))) from events where tenant_id = $t)" 2>/dev/null \
        | awk -v t="$t" '{ printf "run.sh: ceiling database, tenant %s: %d events, %d calls (%.2f per event), %d deliveries; body %d bytes on average, %d stored\n", t, $1, $2, ($1 > 0 ? $2 / $1 : 0), $3, $4, $5 }' >&2 || true
    done
    psql "${PGARGS[@]}" -d postgres -qAt -c "drop database $CEIL_DB" >&2 || true
  }

  # (b) HTTP: the same generator against a Jetty that answers {} to any POST, in its own JVM.
  step "HTTP ceiling: the ingest generator against io.hookgate.bench.NullServer"
  rm -f "$WORK/null.port"
  java -cp "$BENCH_JAR" io.hookgate.bench.NullServer 0 "$WORK/null.port" >"$WORK/null.out" 2>"$WORK/null.log" &
  NULL_PID=$!
  for ((i = 0; i < 100; i++)); do
    [[ -s $WORK/null.port ]] && break
    kill -0 "$NULL_PID" 2>/dev/null || break
    sleep 0.2
  done
  if [[ -s $WORK/null.port ]]; then
    NULL_PORT=$(tr -d ' \n' <"$WORK/null.port")
    cpu_begin
    "${GEN[@]}" --base-url "http://127.0.0.1:$NULL_PORT" --callback-url "http://127.0.0.1:$NULL_PORT/hooks/null" \
      --key null-server-key --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" "${CEIL_COMMON[@]}" \
      | tee "$WORK/http.out" || STEPS_FAILED+=("http")
    cpu_end "HTTP ceiling" httpCeiling
  else
    log "error: the null server did not start; last lines of its log:"
    tail -20 "$WORK/null.log" >&2 || true
    STEPS_FAILED+=("http")
  fi
  stop_null_server

  # (c) Hookgate itself: ingest (closed loop), end to end at --rate, forwarding (e2e --rate 0).
  SVC_ARGS=(--base-url "http://localhost:$HTTP_PORT" --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD")
  # JIT warm-up: PostgreSQL and pgbench have no JIT, the service does. Its C2 compiler needs a minute or more of load
  # on a slow machine (about 12,000 methods: Jetty, Jdbi, pgjdbc, the HTTP client) and meanwhile takes up to a
  # core from what is measured. Ingest and deliver (e2e, closed loop) in rounds until a round compiles fewer than
  # JIT_QUIET methods, so that every step measures the steady state a long-running gateway is in.
  if ((CEIL_JIT_WARMUP > 0)) && command -v jstat >/dev/null 2>&1; then
    step "Hookgate JIT warm-up: e2e closed loop in ${JIT_ROUND} s rounds, until a round compiles fewer than $JIT_QUIET methods (at most ${CEIL_JIT_WARMUP} s)"
    jit_start=$SECONDS
    while :; do
      before=$(jit_compiled)
      "${GEN[@]}" "${SVC_ARGS[@]}" --mode e2e --rate 0 --concurrency "$CEIL_CONCURRENCY" --duration "$JIT_ROUND" --warmup 0 \
        --drain 120 "${CEIL_E2E[@]}" >"$WORK/jit-warmup.out" 2>&1 || true
      compiled=$(($(jit_compiled) - before))
      log "JIT warm-up: $compiled methods compiled in the last round, $((SECONDS - jit_start)) s so far"
      ((compiled < JIT_QUIET || SECONDS - jit_start >= CEIL_JIT_WARMUP)) && break
    done
  fi
  pg_same_shape before "$WORK/pgbench-nodest.out"
  quiet_disk
  step "Hookgate ingest: --concurrency $CEIL_CONCURRENCY --duration $CEIL_DURATION"
  cpu_begin
  "${GEN[@]}" "${SVC_ARGS[@]}" --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" "${CEIL_COMMON[@]}" \
    | tee "$WORK/ingest.out" || STEPS_FAILED+=("ingest")
  cpu_end "Hookgate ingest" ingest
  if ((${#PGARGS[@]} > 0)); then
    psql "${PGARGS[@]}" -d postgres -qAt -F ' ' -c "select count(*), (select count(*) from event_calls),
        round(avg(length(body))), round(avg(pg_column_size(body))) from events" 2>/dev/null \
      | awk '{ printf "run.sh: service database after the ingest step: %d events, %d calls (%.2f per event); body %d bytes on average, %d stored\n", $1, $2, ($1 > 0 ? $2 / $1 : 0), $3, $4 }' >&2 || true
  fi
  pg_same_shape after "$WORK/pgbench-nodest-after.out"
  drop_ceiling_database
  quiet_disk
  step "Hookgate end to end: --mode e2e --rate $CEIL_RATE --duration $CEIL_DURATION"
  cpu_begin
  "${GEN[@]}" "${SVC_ARGS[@]}" --mode e2e --rate "$CEIL_RATE" --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" \
    "${CEIL_E2E[@]}" "${CEIL_COMMON[@]}" | tee "$WORK/e2e.out" || STEPS_FAILED+=("e2e")
  cpu_end "Hookgate end to end at $CEIL_RATE/s" e2e
  # Forwarding alone: sending is paused while the generator ingests (closed loop), then resumed; the drain of
  # that backlog is the forwarding rate, with the whole machine free for it.
  quiet_disk
  step "Hookgate forwarding: --mode e2e --rate 0 with delivery paused while sending, then the backlog drains"
  cpu_begin
  "${GEN[@]}" "${SVC_ARGS[@]}" --mode e2e --rate 0 --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" \
    --pause-url "http://localhost:$ADMIN_PORT/tasks/delivery-pause" --resume-url "http://localhost:$ADMIN_PORT/tasks/delivery-resume" \
    --drain 300 "${CEIL_E2E[@]}" "${CEIL_COMMON[@]}" | tee "$WORK/forwarding.out" || STEPS_FAILED+=("forwarding")
  cpu_end "Hookgate forwarding" forwarding

  # ack p99 at half the maximum rate, each maximum with its own workload (open loop, the same 16 senders):
  # - the ingest step's rate, halved, for the ingest step's workload (a tenant without destination);
  # - the end-to-end maximum, halved, with every event also forwarded. That maximum is the rate at which this
  #   machine takes and forwards every event, one after the other on the same cores: 1 / (1/ingest + 1/forwarding),
  #   both from the forwarding step (its tenant has a destination, so its ingest writes the delivery too).
  # - as before, for comparison: half the ingest step's rate with every event also forwarded, a load past
  #   three quarters of the end-to-end maximum here.
  json_field() { grep -o '{"mode.*' "$1" 2>/dev/null | tail -1 | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
  HALF_RATE=$(json_field "$WORK/ingest.out" rps | awk '{ printf "%d", $1 / 2 }')
  HALF_RATE=${HALF_RATE:-0}
  E2E_MAX=$(awk -v i="$(json_field "$WORK/forwarding.out" ingestRps)" -v f="$(json_field "$WORK/forwarding.out" drainDeliveriesPerS)" \
    'BEGIN { if (i > 0 && f > 0) printf "%d", 1 / (1 / i + 1 / f); else print 0 }')
  HALF_E2E_RATE=$((E2E_MAX / 2))
  half_step() {
    local label=$1 rate=$2 out=$3 key=$4
    shift 4
    if ((rate <= 0)); then
      log "error: no rate for the step \"$label\" (an earlier step gave no figure)"
      STEPS_FAILED+=("$key")
      return 0
    fi
    quiet_disk
    step "Hookgate at $label: --mode e2e --rate $rate $* --duration $CEIL_DURATION"
    cpu_begin
    "${GEN[@]}" "${SVC_ARGS[@]}" --mode e2e --rate "$rate" "$@" --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" \
      "${CEIL_E2E[@]}" "${CEIL_COMMON[@]}" | tee "$out" || STEPS_FAILED+=("$key")
    cpu_end "Hookgate at $label" "$key"
  }
  half_step "half the ingest maximum, ingest only" "$HALF_RATE" "$WORK/half-ingest.out" halfIngest --destinations 0
  half_step "half the end-to-end maximum ($E2E_MAX/s), every event forwarded" "$HALF_E2E_RATE" "$WORK/half-e2e.out" halfEndToEnd
  half_step "half the ingest maximum, every event forwarded" "$HALF_RATE" "$WORK/half.out" halfRate

  # (d) the comparison; its last stdout line is one JSON object with all the figures
  stop_jstat
  heap_report
  if ((${#STEPS_FAILED[@]} > 0)); then
    log "warning: steps with a non-zero status: ${STEPS_FAILED[*]} (their figures may be missing or partial)"
  fi
  step "summary"
  set +e
  java -cp "$BENCH_JAR" io.hookgate.bench.Ceilings report --concurrency "$CEIL_CONCURRENCY" --duration "$CEIL_DURATION" \
    --e2e-rate "$CEIL_RATE" --half-rate "$HALF_RATE" --half "$WORK/half.out" --half-ingest "$WORK/half-ingest.out" \
    --end-to-end-max "$E2E_MAX" --half-end-to-end-rate "$HALF_E2E_RATE" --half-end-to-end "$WORK/half-e2e.out" --pg "$WORK/pgbench.out" --pg-no-destination "$WORK/pgbench-nodest.out" \
    --pg-no-destination-after "$WORK/pgbench-nodest-after.out" \
    --http "$WORK/http.out" --ingest "$WORK/ingest.out" --e2e "$WORK/e2e.out" --forwarding "$WORK/forwarding.out" \
    --heap-max-mib "$HEAP_MAX_MIB" --cpu-steps "$WORK/cpu-steps.tsv"
  gen_rc=$?
  set -e
else
  cpu_begin
  set +e
  "${GEN[@]}" --base-url "http://localhost:$HTTP_PORT" --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" "$@"
  gen_rc=$?
  set -e
  cpu_end
  stop_jstat
  heap_report
fi

# ---- heap at the end ----
if [[ -n $SVC_PID ]] && command -v jcmd >/dev/null 2>&1; then
  jcmd "$SVC_PID" GC.heap_info 2>/dev/null | sed -n '2,3p' | sed 's/^/run.sh: heap at end: /' >&2 || true
fi
if [[ -n $SVC_PID ]] && ! kill -0 "$SVC_PID" 2>/dev/null; then
  log "warning: the service died during the run; last log lines:"
  tail -40 "$SERVICE_LOG" >&2 || true
fi

# ---- (d) stop + clean up (trap) ----
exit "$gen_rc"
