#!/usr/bin/env bash
# Benchmarks the set on this machine and prints one markdown table (see bench/README.md).
# Builds the jars, installs wrk/nginx/pgbench when missing (Debian), starts the local stack on its own ports with its
# own data folder and the gateway's rate limits lifted, runs each scenario with wrk (warm-up discarded, then a fixed
# measured window), checks webhook exactly-once in the database, and writes the report to bench/out/.
#
# Knobs (environment): BENCH_WARMUP=60 BENCH_DURATION=15 (seconds), BENCH_CONNECTIONS=32, BENCH_THREADS=2,
# BENCH_SCENARIOS="a b c d f" (e is always measured), BENCH_PORT_BASE=28000, BENCH_SKIP_BUILD=1,
# BENCH_JFR="b-gateway c-direct" (record with JFR during these measured windows: the gateway, or the service the
# scenario calls straight), BENCH_KEEP=1 (keep the temp dir),
# BENCH_LOCK=/tmp/backbone-bench.lock (held while the stack runs, so concurrent benchmarks do not disturb each other),
# BENCH_HOLD_SECONDS=600 (keep the stack up that long after the scenarios, for experiments by hand),
# BENCH_JAVA25=/path/to/java (the JDK 25 of the AOT cache rows), BENCH_STARTUP_RUNS=3 (starts per service with the cache),
# BENCH_QUIET_WAIT=90 (s to wait at most, before each start-up measurement, for the machine to be under 10% busy).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
WARMUP=${BENCH_WARMUP:-60}
DURATION=${BENCH_DURATION:-15}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
SCENARIOS=${BENCH_SCENARIOS-a b c d f}
PORT_BASE=${BENCH_PORT_BASE:-28000}
JFR_KEYS=${BENCH_JFR:-}
OUT=${BENCH_OUT:-$BENCH/out}
LOCK=${BENCH_LOCK:-/tmp/backbone-bench.lock}
EVENTS_PER_PHASE=${BENCH_EVENTS_PER_PHASE:-60000}
RATE_UNLIMITED=1000000000

GATEWAY_PORT=$((PORT_BASE + 80))
CONTACT_PORT=$((PORT_BASE + 81))
PAYMENT_PORT=$((PORT_BASE + 82))
WEBHOOK_PORT=$((PORT_BASE + 83))
NGINX_PORT=$((PORT_BASE + 90))
POSTGRES_PORT=$((PORT_BASE + 32))
SMTP_PORT=$((PORT_BASE + 25))
MAIL_PAGE_PORT=$((PORT_BASE + 26))
STRIPE_PORT=$((PORT_BASE + 11))
PAYSTACK_PORT=$((PORT_BASE + 12))
CLERK_PORT=$((PORT_BASE + 99))
WEBHOOK_SECRET=whsec_bench_secret
SERVICES=(gateway contact-service payment-service webhook-service)
declare -A SERVICE_PORT=([gateway]=$GATEWAY_PORT [contact-service]=$CONTACT_PORT [payment-service]=$PAYMENT_PORT
    [webhook-service]=$WEBHOOK_PORT)
# Health and metrics are on each service's management port (the public port answers /q/... with 404).
declare -A MANAGEMENT_PORT=([gateway]=$((PORT_BASE + 180 + 10)) [contact-service]=$((PORT_BASE + 181 + 10))
    [payment-service]=$((PORT_BASE + 182 + 10)) [webhook-service]=$((PORT_BASE + 183 + 10)))

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- tools ----------------------------------------------------------------------------------------------------
find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    [ -n "$(find_nginx)" ] || missing+=(nginx)
    command -v pgbench >/dev/null || missing+=(postgresql-client)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v curl >/dev/null || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        sudo -n true 2>/dev/null || die "missing ${missing[*]}: install them (apt-get install -y ${missing[*]})"
        sudo="sudo -n"
    fi
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    log "installing ${missing[*]}"
    $sudo apt-get install -y "${missing[@]}" >/dev/null 2>&1 \
        || { $sudo apt-get update -qq && $sudo apt-get install -y "${missing[@]}" >/dev/null; }
}
install_tools
NGINX=$(find_nginx)
command -v java >/dev/null || die "a JDK 17+ is needed"

find_java25() {
    local java
    for java in ${BENCH_JAVA25:-} /usr/lib/jvm/*25*/bin/java; do
        [ -x "$java" ] && "$java" -version 2>&1 | grep -q 'version "2[5-9]' && { echo "$java"; return; }
    done
    true
}
JAVA25=$(find_java25)
# The AOT cache rows run the services as ./run-local does on JDK 25: packaged as aot-jar (target/quarkus-app-aot).
AOT_APP=quarkus-app-aot
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
    log "building (./mvnw -B -q package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
    if [ -n "$JAVA25" ]; then
        log "building the four services again as aot-jar, into target/$AOT_APP, for the JDK 25 AOT cache rows"
        (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl gateway,contact-service,payment-service,webhook-service -am \
            -Dbackbone.jar-type=aot-jar -Dquarkus.package.output-directory=$AOT_APP)
    fi
fi
if [ -n "$JAVA25" ]; then
    for service in gateway contact-service payment-service webhook-service; do
        [ -f "$ROOT/$service/target/$AOT_APP/quarkus-run.jar" ] || die "$service/target/$AOT_APP is missing: run without BENCH_SKIP_BUILD"
    done
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in $GATEWAY_PORT $CONTACT_PORT $PAYMENT_PORT $WEBHOOK_PORT $NGINX_PORT $POSTGRES_PORT $SMTP_PORT \
    $MAIL_PAGE_PORT $STRIPE_PORT $PAYSTACK_PORT $CLERK_PORT; do
    port_in_use "$port" && die "port $port is taken; choose other ports with BENCH_PORT_BASE"
done

WORK=$(mktemp -d /tmp/backbone-bench.XXXXXX)
mkdir -p "$OUT"
STACK_PID=""
NGINX_PID=""
POLLERS=()
declare -A COPY_PID=()
cleanup() {
    for poller in "${POLLERS[@]}"; do kill "$poller" 2>/dev/null || true; done
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    for copy in "${COPY_PID[@]:-}"; do [ -n "$copy" ] && kill "$copy" 2>/dev/null || true; done
    if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
        log "stopping the local stack"
        kill "$STACK_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.5; done
    fi
    if [ "${BENCH_KEEP:-}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

exec 9>"$LOCK"
if ! flock -n 9; then
    log "waiting for $LOCK (another benchmark is running)"
    flock 9
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- start the local stack --------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
wait_ready() { # service management-port: records when /q/health/ready first answers 200
    local deadline=$(( $(date +%s) + 300 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$2/q/health/ready"; then
            now_ms > "$WORK/ready.$1"
            return
        fi
        sleep 0.05
    done
}
log "starting the local stack (gateway :$GATEWAY_PORT, data in $WORK/data)"
(
    cd "$ROOT"
    exec env -u DATABASE_URL -u SMTP_HOST -u STRIPE_SECRET_KEY -u PAYSTACK_SECRET_KEY -u CLERK_ISSUER \
        -u CLERK_JWKS_URL -u CLERK_JWT_KEY -u REDIS_URL \
        LOCAL_DATA_DIR="$WORK/data" LOCAL_AOT_CACHE=false LOCAL_GATEWAY_PORT=$GATEWAY_PORT LOCAL_CONTACT_PORT=$CONTACT_PORT \
        LOCAL_GATEWAY_MANAGEMENT_PORT=${MANAGEMENT_PORT[gateway]} LOCAL_CONTACT_MANAGEMENT_PORT=${MANAGEMENT_PORT[contact-service]} \
        LOCAL_PAYMENT_MANAGEMENT_PORT=${MANAGEMENT_PORT[payment-service]} LOCAL_WEBHOOK_MANAGEMENT_PORT=${MANAGEMENT_PORT[webhook-service]} \
        LOCAL_PAYMENT_PORT=$PAYMENT_PORT LOCAL_WEBHOOK_PORT=$WEBHOOK_PORT LOCAL_POSTGRES_PORT=$POSTGRES_PORT \
        LOCAL_SMTP_PORT=$SMTP_PORT LOCAL_STRIPE_PORT=$STRIPE_PORT \
        LOCAL_PAYSTACK_PORT=$PAYSTACK_PORT LOCAL_CLERK_PORT=$CLERK_PORT LOCAL_STRIPE_WEBHOOK_SECRET=$WEBHOOK_SECRET \
        RATE_LIMIT_DEFAULT_PER_MINUTE=$RATE_UNLIMITED RATE_LIMIT_CONTACT_PER_MINUTE=$RATE_UNLIMITED \
        RATE_LIMIT_CONTACT_PER_15_MINUTES=$RATE_UNLIMITED RATE_LIMIT_PAYMENT_PER_MINUTE=$RATE_UNLIMITED \
        RATE_LIMIT_USER_PER_MINUTE=$RATE_UNLIMITED RATE_LIMIT_WEBHOOK_PER_MINUTE=$RATE_UNLIMITED \
        RATE_LIMIT_PROVIDER_PER_MINUTE=$RATE_UNLIMITED \
        java -Dquarkus.http.port=$MAIL_PAGE_PORT -jar local-stack/target/quarkus-app/quarkus-run.jar
) > "$WORK/local-stack.log" 2>&1 &
STACK_PID=$!
for service in "${SERVICES[@]}"; do wait_ready "$service" "${MANAGEMENT_PORT[$service]}" & POLLERS+=($!); done

TOKEN=""
for _ in $(seq 1 600); do
    kill -0 "$STACK_PID" 2>/dev/null || { tail -40 "$WORK/local-stack.log" >&2; die "the local stack stopped"; }
    TOKEN=$(grep -o 'export TOKEN=[^[:space:]]*' "$WORK/local-stack.log" | head -1 | cut -d= -f2- || true)
    [ -n "$TOKEN" ] && break
    sleep 0.5
done
[ -n "$TOKEN" ] || { tail -40 "$WORK/local-stack.log" >&2; die "the local stack did not print a token"; }
wait "${POLLERS[@]}"
POLLERS=()
for service in "${SERVICES[@]}"; do [ -f "$WORK/ready.$service" ] || die "$service never became ready"; done
log "the set is up"

declare -A PID
for child in $(pgrep -P "$STACK_PID"); do
    cmd=$(tr '\0' ' ' < "/proc/$child/cmdline" 2>/dev/null || true)
    for service in "${SERVICES[@]}"; do
        [[ "$cmd" == *"/$service/target/quarkus-app/"* ]] && PID[$service]=$child
    done
done
for service in "${SERVICES[@]}"; do [ -n "${PID[$service]:-}" ] || die "no process found for $service"; done

# ---- e. start-up and memory ---------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
# The boot time in ms: now minus the uptime. /proc/stat's btime is whole seconds, truncated, which would move every
# start time up to a second earlier (0.92 s on the machine this was found on) and lengthen every start-up by as much.
BOOT_MS=$(( $(now_ms) - $(awk '{printf "%d", $1 * 1000}' /proc/uptime) ))
declare -A STARTUP_MS RSS_IDLE RSS_LOAD
started_ms() { awk -v boot="$BOOT_MS" -v tck="$CLK_TCK" '{printf "%d", boot + $22 * 1000 / tck}' "/proc/$1/stat"; }
status_mb() { awk -v key="$2:" '$1 == key {printf "%d", $2 / 1024}' "/proc/$1/status"; }
for service in "${SERVICES[@]}"; do
    STARTUP_MS[$service]=$(( $(cat "$WORK/ready.$service") - $(started_ms "${PID[$service]}") ))
done
sleep 5
for service in "${SERVICES[@]}"; do RSS_IDLE[$service]=$(status_mb "${PID[$service]}" VmRSS); RSS_LOAD[$service]=0; done

# Above, the four services and the local stack started at once on the machine's cores. A restart or a new replica
# starts alone: each service is started again, by itself, with the same command line and environment on another
# port while the rest of the set is up and idle, timed to ready, and stopped.
declare -A ALONE_MS
ALONE_PORT=$((PORT_BASE + 180))
busy_pct() { # share of the machine's CPU time that was busy over the next second, in %
    local a b
    a=($(sed -n 's/^cpu  //p' /proc/stat)); sleep 1; b=($(sed -n 's/^cpu  //p' /proc/stat))
    local total=0 idle=$(( b[3] + b[4] - a[3] - a[4] )) i
    for i in "${!a[@]}"; do total=$(( total + b[i] - a[i] )); done
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
wait_quiet() { # until the machine is under 10% busy for a second (services done with their own start), at most
    # BENCH_QUIET_WAIT (90) s
    local i
    for i in $(seq 1 "${BENCH_QUIET_WAIT:-90}"); do [ "$(busy_pct)" -lt 10 ] && return; done
    log "WARNING: the machine did not become quiet; start-up times below are taken under load"
}
for service in "${SERVICES[@]}"; do
    wait_quiet
    mapfile -d '' alone_env < "/proc/${PID[$service]}/environ"
    mapfile -d '' alone_cmd < "/proc/${PID[$service]}/cmdline"
    (cd "$(readlink "/proc/${PID[$service]}/cwd")" && exec env -i "${alone_env[@]}" PORT=$ALONE_PORT MANAGEMENT_PORT=$((ALONE_PORT + 1)) "${alone_cmd[@]}") \
        > "$WORK/alone-$service.log" 2>&1 &
    alone_pid=$!
    wait_ready "alone-$service" "$((ALONE_PORT + 1))"
    [ -f "$WORK/ready.alone-$service" ] || { tail -20 "$WORK/alone-$service.log" >&2; die "$service alone never became ready"; }
    ALONE_MS[$service]=$(( $(cat "$WORK/ready.alone-$service") - $(started_ms "$alone_pid") ))
    kill "$alone_pid"; wait "$alone_pid" 2>/dev/null || true
    log "$service alone: ready in ${ALONE_MS[$service]} ms"
done
# JDK 25's AOT cache: each service copied as above but run by a JDK 25 (BENCH_JAVA25, else the first found under
# /usr/lib/jvm), alone without the cache (the fast-jar, as deployed on Java 17), a training run of its aot-jar (ready,
# then stopped: the JVM writes the cache), alone with the cache BENCH_STARTUP_RUNS times (the median is reported), and
# once more with Quarkus's step timings for the breakdown; then all four copies at once, without and with their caches.
# Skipped, and said, when no JDK 25 is found.
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-3}
declare -A AOT_OFF_MS AOT_ON_MS AOT_ON_RUNS BREAKDOWN
COPY_MS=0
copy_start() { # service slot label [jvm options]: the service's command line run by JDK 25 on ports of its own, from
    # target/$COPY_APP (default quarkus-app, the jar the set runs)
    local service=$1 slot=$2 label=$3 port=$((ALONE_PORT + 2 * $2)) copy_env copy_cmd app=${COPY_APP:-quarkus-app}
    shift 3
    mapfile -d '' copy_env < "/proc/${PID[$service]}/environ"
    mapfile -d '' copy_cmd < "/proc/${PID[$service]}/cmdline"
    copy_cmd=("${copy_cmd[@]/\/target\/quarkus-app\//\/target\/$app\/}")
    (cd "$(readlink "/proc/${PID[$service]}/cwd")" && exec env -i "${copy_env[@]}" PORT=$port MANAGEMENT_PORT=$((port + 1)) \
        "$JAVA25" "$@" "${copy_cmd[@]:1}") > "$WORK/$label.log" 2>&1 &
    COPY_PID[$label]=$!
}
copy_ready() { # service slot label [jvm options]: starts a copy, waits until ready; start to ready in COPY_MS
    local label=$3 port=$((ALONE_PORT + 2 * $2))
    copy_start "$@"
    wait_ready "$label" "$((port + 1))"
    [ -f "$WORK/ready.$label" ] || { tail -20 "$WORK/$label.log" >&2; die "$label never became ready"; }
    COPY_MS=$(( $(cat "$WORK/ready.$label") - $(started_ms "${COPY_PID[$label]}") ))
}
copy_stop() { kill "${COPY_PID[$1]}" 2>/dev/null || true; wait "${COPY_PID[$1]}" 2>/dev/null || true; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
log_ms() { # a log line's time (JSON "timestamp", or the plain format's leading date and time) in ms since the epoch
    local ts
    ts=$(grep -o '"timestamp":"[^"]*"' <<< "$1" | cut -d'"' -f4 || true)
    [ -n "$ts" ] || ts=$(grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8},[0-9]{3}' <<< "$1" | tr ',' '.' || true)
    date -d "$ts" +%s%3N
}
startup_breakdown() { # service: one more start with its AOT cache and -Dquarkus.debug.print-startup-times (each
    # start-up step's time); BREAKDOWN gets JVM start to Quarkus's clock, Quarkus's "started in", Flyway, the largest
    # other steps, and the time from "started" to the first ready 200
    local service=$1 label="steps-$1" began line started_in started_at flyway top steps
    COPY_APP=$AOT_APP copy_ready "$service" 0 "$label" "-XX:AOTCache=$WORK/aot/$service.aot" \
        -Dquarkus.debug.print-startup-times=true
    began=$(started_ms "${COPY_PID[$label]}")
    copy_stop "$label"
    line=$(grep -m1 'started in [0-9.]*s' "$WORK/$label.log" || true)
    [ -n "$line" ] || { BREAKDOWN[$service]="(no \"started in\" line in the log)"; return; }
    started_in=$(grep -oE 'started in [0-9.]+s' <<< "$line" | grep -oE '[0-9.]+' | awk '{printf "%d", $1 * 1000}')
    started_at=$(( $(log_ms "$line") - began ))
    steps=$(sed -nE 's/.*Build step ([A-Za-z0-9_.$]+) completed in: ([0-9]+)ms.*/\2 \1/p' "$WORK/$label.log" | sort -rn || true)
    flyway=$(awk '$2 == "FlywayProcessor.startActions" {print $1 " ms"}' <<< "$steps")
    top=$(grep -v 'FlywayProcessor.startActions' <<< "$steps" | head -4 | awk '{printf "%s%s %d ms", sep, $2, $1; sep = ", "}' || true)
    BREAKDOWN[$service]="JVM start to Quarkus's clock $((started_at - started_in)) ms, Quarkus boot (\"started in\")"
    BREAKDOWN[$service]+=" $started_in ms (Flyway ${flyway:-none}; next largest steps: $top), first ready 200"
    BREAKDOWN[$service]+=" $((COPY_MS - started_at)) ms after \"started\"; $COPY_MS ms in all"
}
all_at_once() { # label-prefix use-cache: the four copies at once; the slowest start to ready in COPY_MS
    local prefix=$1 use_cache=$2 slot=0 service slowest=0 ms
    for service in "${SERVICES[@]}"; do
        options=()
        if [ "$use_cache" = 1 ]; then
            COPY_APP=$AOT_APP copy_start "$service" "$slot" "$prefix-$service" "-XX:AOTCache=$WORK/aot/$service.aot"
        else
            copy_start "$service" "$slot" "$prefix-$service"
        fi
        slot=$((slot + 1))
    done
    slot=0
    for service in "${SERVICES[@]}"; do
        wait_ready "$prefix-$service" "$((ALONE_PORT + 2 * slot + 1))"
        [ -f "$WORK/ready.$prefix-$service" ] || die "$prefix-$service never became ready"
        ms=$(( $(cat "$WORK/ready.$prefix-$service") - $(started_ms "${COPY_PID[$prefix-$service]}") ))
        [ "$ms" -gt "$slowest" ] && slowest=$ms
        slot=$((slot + 1))
    done
    for service in "${SERVICES[@]}"; do copy_stop "$prefix-$service"; done
    COPY_MS=$slowest
}
if [ -n "$JAVA25" ]; then
    mkdir -p "$WORK/aot"
    for service in "${SERVICES[@]}"; do
        wait_quiet
        copy_ready "$service" 0 "jdk25-$service"
        AOT_OFF_MS[$service]=$COPY_MS
        copy_stop "jdk25-$service"
        COPY_APP=$AOT_APP copy_ready "$service" 0 "train-$service" "-XX:AOTCacheOutput=$WORK/aot/$service.aot"
        copy_stop "train-$service"
        [ -s "$WORK/aot/$service.aot" ] || { tail -20 "$WORK/train-$service.log" >&2; die "no AOT cache was written for $service"; }
        runs=()
        for run in $(seq 1 "$STARTUP_RUNS"); do
            wait_quiet
            COPY_APP=$AOT_APP copy_ready "$service" 0 "aot-$service-$run" "-XX:AOTCache=$WORK/aot/$service.aot"
            runs+=("$COPY_MS")
            copy_stop "aot-$service-$run"
        done
        AOT_ON_MS[$service]=$(median "${runs[@]}")
        AOT_ON_RUNS[$service]=$(IFS=,; echo "${runs[*]}" | sed 's/,/, /g')
        wait_quiet
        startup_breakdown "$service"
        log "$service on JDK 25 alone: ready in ${AOT_OFF_MS[$service]} ms, with its AOT cache ${AOT_ON_MS[$service]} ms" \
            "(median of ${AOT_ON_RUNS[$service]}); ${BREAKDOWN[$service]}"
    done
    wait_quiet
    all_at_once jdk25-all 0
    AOT_ALL_OFF_MS=$COPY_MS
    wait_quiet
    all_at_once aot-all 1
    AOT_ALL_ON_MS=$COPY_MS
    log "all four at once on JDK 25: slowest ready in $AOT_ALL_OFF_MS ms, with the AOT caches $AOT_ALL_ON_MS ms"
else
    log "no JDK 25 found (BENCH_JAVA25): the AOT cache rows are skipped"
fi
cpu_ticks() { # user + system clock ticks of a process so far
    awk '{print $14 + $15}' "/proc/$1/stat"
}
nginx_ticks() { # nginx's master and workers together
    local total=0 pid
    for pid in $NGINX_PID $(pgrep -P "$NGINX_PID" 2>/dev/null); do total=$(( total + $(cpu_ticks "$pid") )); done
    echo "$total"
}
declare -A CPU_START CPU_TICKS
cpu_start() {
    for service in "${SERVICES[@]}"; do CPU_START[$service]=$(cpu_ticks "${PID[$service]}"); done
    [ -z "$NGINX_PID" ] || CPU_START[nginx]=$(nginx_ticks)
}
CPU_LINES=()
cpu_stop() { # key seconds: each service's CPU during the window, in % of one core (CPU_TICKS[key:service] kept)
    local line="" service used
    for service in "${SERVICES[@]}"; do
        used=$(( $(cpu_ticks "${PID[$service]}") - CPU_START[$service] ))
        CPU_TICKS[$1:$service]=$used
        line+=" $service $(awk -v t="$used" -v hz="$CLK_TCK" -v s="$2" 'BEGIN {printf "%.0f%%", 100 * t / hz / s}'),"
    done
    if [ -n "$NGINX_PID" ]; then
        used=$(( $(nginx_ticks) - CPU_START[nginx] ))
        CPU_TICKS[$1:nginx]=$used
        line+=" nginx $(awk -v t="$used" -v hz="$CLK_TCK" -v s="$2" 'BEGIN {printf "%.0f%%", 100 * t / hz / s}'),"
    fi
    CPU_LINES+=("\`$1\`:${line%,}")
}
us_per_request() { # key process: its CPU during the key's window per request answered, in microseconds
    awk -v t="${CPU_TICKS[$1:$2]:-0}" -v hz="$CLK_TCK" -v rps="${RPS[$1]}" -v s="$DURATION" \
        'BEGIN {printf "%.0f", 1e6 * t / hz / (rps * s)}'
}
sample_rss() {
    local mb
    for service in "${SERVICES[@]}"; do
        mb=$(status_mb "${PID[$service]}" VmRSS)
        [ "$mb" -gt "${RSS_LOAD[$service]}" ] && RSS_LOAD[$service]=$mb
    done
    return 0
}

# ---- the scenarios ------------------------------------------------------------------------------------------------
export BENCH_LUA_DIR=$BENCH/wrk BENCH_THREADS=$THREADS
ROWS=()
declare -A RPS P50 P99 ERR
JFR_REPORTS=""

record() { # key label rps p50 p99 errors
    RPS[$1]=$3; P50[$1]=$4; P99[$1]=$5; ERR[$1]=$6
    ROWS+=("| $2 | $3 | $4 | $5 | $6 |")
    log "$1: $3 req/s, p50 $4 ms, p99 $5 ms, errors $6"
}

jfr_service() { # the service a scenario's load lands on first
    case $1 in
    b-direct) echo payment-service ;;
    f-direct) echo payment-service ;;
    c-direct) echo contact-service ;;
    *) echo gateway ;;
    esac
}
jfr_start() {
    [[ " $JFR_KEYS " == *" $1 "* ]] || return 0
    jcmd "${PID[$(jfr_service "$1")]}" JFR.start name=bench settings=profile >/dev/null
}
jfr_stop() {
    [[ " $JFR_KEYS " == *" $1 "* ]] || return 0
    local service file
    service=$(jfr_service "$1")
    file=$OUT/$service-$1.jfr
    jcmd "${PID[$service]}" JFR.stop name=bench filename="$file" >/dev/null
    JFR_REPORTS+=$'\n'"### JFR of $service during $1 ($file)"$'\n\n```\n'"$(java "$BENCH/tools/JfrTop.java" "$file" 20)"$'\n```\n'
}

check() { # expected-status description curl-args...
    local expected=$1 what=$2; shift 2
    local status
    status=$(curl -s -o "$WORK/check.body" -w '%{http_code}' "$@" || true)
    [ "$status" = "$expected" ] || log "WARNING: $what answered $status, not $expected: $(head -c 300 "$WORK/check.body")"
}

wrk_scenario() { # key label url lua-script [connections] [warm-up seconds]
    local key=$1 label=$2 url=$3 script=$4 connections=${5:-$CONNECTIONS} warmup=${6:-$WARMUP}
    local threads=$(( THREADS < connections ? THREADS : connections ))
    log "$key: warm-up ${warmup}s"
    wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 10s -s "$BENCH/wrk/$script" "$url" > "$WORK/$key.warmup" 2>&1
    jfr_start "$key"
    cpu_start
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --timeout 10s -s "$BENCH/wrk/$script" "$url" > "$WORK/$key.out" 2>&1
    cpu_stop "$key" "$DURATION"
    sample_rss
    jfr_stop "$key"
    local line
    line=$(grep BENCH_RESULT "$WORK/$key.out") || { cat "$WORK/$key.out" >&2; die "$key: wrk gave no result"; }
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$line"; }
    record "$key" "$label" "$(field rps)" "$(field p50_ms)" "$(field p99_ms)" \
        "$(( $(field non2xx) + $(field socket_errors) ))"
    [ "$(field wrapped)" = 0 ] || log "WARNING: $key ran out of pre-signed events; later ones were repeats"
}

pg() { PGPASSWORD=postgres psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d backbone -At -c "$1"; }

pgbench_scenario() { # key label
    local key=$1 label=$2 args=(-h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j "$THREADS"
        -f "$BENCH/pgbench/contact.sql")
    log "$key: warm-up ${WARMUP}s"
    PGPASSWORD=postgres pgbench "${args[@]}" -T "$WARMUP" backbone > "$WORK/$key.warmup" 2>&1 \
        || { cat "$WORK/$key.warmup" >&2; die "pgbench failed"; }
    mkdir -p "$WORK/pgbench-log"
    cpu_start
    (cd "$WORK/pgbench-log" && PGPASSWORD=postgres pgbench "${args[@]}" -T "$DURATION" -l backbone) > "$WORK/$key.out" 2>&1
    cpu_stop "$key" "$DURATION"
    sample_rss
    local tps failed
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$WORK/$key.out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/$key.out")
    cat "$WORK"/pgbench-log/pgbench_log.* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n > "$WORK/pgbench.latencies"
    local n p50 p99
    n=$(wc -l < "$WORK/pgbench.latencies")
    p50=$(awk -v n="$n" 'NR == int(n * 0.50) + 1 {printf "%.3f", $1 / 1000}' "$WORK/pgbench.latencies")
    p99=$(awk -v n="$n" 'NR == int(n * 0.99) + 1 {printf "%.3f", $1 / 1000}' "$WORK/pgbench.latencies")
    record "$key" "$label" "$(printf '%.1f' "$tps")" "$p50" "$p99" "${failed:-0}"
}

start_nginx() {
    local prefix=$WORK/nginx
    mkdir -p "$prefix"
    sed -e "s|__PREFIX__|$prefix|g" -e "s|__PORT__|$NGINX_PORT|g" -e "s|__UPSTREAM_PORT__|$PAYMENT_PORT|g" \
        -e "s|__WORKERS__|${BENCH_NGINX_WORKERS:-2}|g" "$BENCH/nginx/nginx.conf.template" > "$prefix/nginx.conf"
    "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" > "$prefix/stdout" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 1 50); do port_in_use "$NGINX_PORT" && return; sleep 0.1; done
    cat "$prefix/error.log" "$prefix/stdout" >&2
    die "nginx did not start"
}

metric() { # sum of the webhook-service's webhooks_received_total for this outcome
    curl -fs "http://127.0.0.1:${MANAGEMENT_PORT[webhook-service]}/q/metrics" | awk -v outcome="outcome=\"$1\"" '
        /^webhooks_received_total\{/ && /provider="stripe"/ && /type="customer.created"/ && index($0, outcome) {
            line = $0; sub(/^[^}]*\} /, "", line); split(line, value, " "); s += value[1]  # value, not an exemplar
        }
        END {printf "%d", s}'
}

GW=http://127.0.0.1:$GATEWAY_PORT
CONTACT_BODY='{"name":"Ada Bench","email":"ada@example.com","message":"Hello from the benchmark"}'
WEBHOOK_VERDICT=""
for scenario in $SCENARIOS; do
    case $scenario in
    a)
        check 200 "GET / on the gateway" "$GW/"
        wrk_scenario a-gateway "a. \`GET /\` on the gateway" "$GW/" get.lua
        ;;
    b)
        export BENCH_TOKEN=$TOKEN
        start_nginx
        check 200 "products via the gateway" -H "Authorization: Bearer $TOKEN" "$GW/stripe/products"
        check 200 "products direct" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PAYMENT_PORT/stripe/products"
        check 200 "products via nginx" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$NGINX_PORT/stripe/products"
        wrk_scenario b-gateway "b. \`GET /stripe/products\` via the gateway" "$GW/stripe/products" get.lua
        wrk_scenario b-direct "b. \`GET /stripe/products\` straight to payment-service" \
            "http://127.0.0.1:$PAYMENT_PORT/stripe/products" get.lua
        wrk_scenario b-nginx "b. \`GET /stripe/products\` via nginx (plain reverse proxy)" \
            "http://127.0.0.1:$NGINX_PORT/stripe/products" get.lua
        # The hop's own latency: one connection, so no request waits behind another for a core (the paths are warm).
        wrk_scenario b-gateway-1 "b. \`GET /stripe/products\` via the gateway, 1 connection" "$GW/stripe/products" \
            get.lua 1 5
        wrk_scenario b-direct-1 "b. \`GET /stripe/products\` straight to payment-service, 1 connection" \
            "http://127.0.0.1:$PAYMENT_PORT/stripe/products" get.lua 1 5
        kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""
        unset BENCH_TOKEN
        ;;
    c)
        check 201 "contact direct" -H 'Content-Type: application/json' -d "$CONTACT_BODY" \
            "http://127.0.0.1:$CONTACT_PORT/api/contact"
        before=$(pg "SELECT count(*) FROM contacts")
        wrk_scenario c-direct "c. \`POST /api/contact\` straight to contact-service" \
            "http://127.0.0.1:$CONTACT_PORT/api/contact" contact.lua
        pgbench_scenario c-pgbench "c. the same inserts by pgbench (ceiling, tps)"
        wrk_scenario c-gateway "c. \`POST /api/contact\` via the gateway" "$GW/api/contact" contact.lua
        contacts=$(( $(pg "SELECT count(*) FROM contacts") - before ))
        outbox=$(pg "SELECT count(*) FROM email_outbox WHERE dedupe_key LIKE 'contact-%'")
        log "c: $contacts contact rows written during c, $outbox contact mails in the outbox"
        ;;
    d)
        run_id=bench$(date +%s)
        log "d: pre-signing 2 x $EVENTS_PER_PHASE Stripe events"
        java "$BENCH/tools/SignStripeEvents.java" "$WEBHOOK_SECRET" "${run_id}w" "$EVENTS_PER_PHASE" "$WORK/events-warmup"
        java "$BENCH/tools/SignStripeEvents.java" "$WEBHOOK_SECRET" "${run_id}m" "$EVENTS_PER_PHASE" "$WORK/events-measured"
        applied_before=$(metric applied)
        duplicate_before=$(metric duplicate)
        # Warm-up and measured windows take different events, so the measured one sends only new ones.
        export BENCH_EVENTS=$WORK/events-warmup
        log "d-new: warm-up ${WARMUP}s"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s -s "$BENCH/wrk/stripe-events.lua" \
            "$GW/webhooks/stripe" > "$WORK/d-new.warmup" 2>&1
        export BENCH_EVENTS=$WORK/events-measured
        jfr_start d-new
        cpu_start
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$BENCH/wrk/stripe-events.lua" \
            "$GW/webhooks/stripe" > "$WORK/d-new.out" 2>&1
        cpu_stop d-new "$DURATION"
        sample_rss
        jfr_stop d-new
        line=$(grep BENCH_RESULT "$WORK/d-new.out") || { cat "$WORK/d-new.out" >&2; die "d-new: wrk gave no result"; }
        field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$line"; }
        record d-new "d. Stripe webhook, new events (via the gateway)" "$(field rps)" "$(field p50_ms)" \
            "$(field p99_ms)" "$(( $(field non2xx) + $(field socket_errors) ))"
        [ "$(field wrapped)" = 0 ] || log "WARNING: d-new ran out of new events; raise BENCH_EVENTS_PER_PHASE"
        # Duplicates: the events just stored, delivered again (warm-up and measured window alike).
        wrk_scenario d-duplicate "d. Stripe webhook, duplicates of stored events (via the gateway)" \
            "$GW/webhooks/stripe" stripe-events.lua
        unset BENCH_EVENTS
        sleep 1
        stored=$(pg "SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND starts_with(event_id, 'evt_$run_id')")
        unprocessed=$(pg "SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND starts_with(event_id, 'evt_$run_id') AND processed_at IS NULL")
        effects=$(pg "SELECT count(*) FROM stripe_customer_mapping WHERE starts_with(clerk_user_id, 'user_$run_id')")
        applied=$(( $(metric applied) - applied_before ))
        duplicates=$(( $(metric duplicate) - duplicate_before ))
        # An event applied twice would be counted twice; the count can only fall short when wrk cut a request off at
        # the end of a window after its transaction committed (the answer, and the count after it, never happened).
        verdict=FAIL
        [ "$stored" -gt 0 ] && [ "$stored" = "$effects" ] && [ "$applied" -le "$stored" ] && [ "$unprocessed" = 0 ] \
            && [ "$duplicates" -gt 0 ] && verdict=PASS
        WEBHOOK_VERDICT="Webhook exactly-once: **$verdict**: $stored events stored, $effects effects (customer mappings), $unprocessed unprocessed; the service counted $applied applications (never more than stored; $(( stored - applied )) answers cut off at window ends) and $duplicates deliveries answered as duplicates."
        log "$WEBHOOK_VERDICT"
        ;;
    f)
        export BENCH_TOKEN=$TOKEN
        # The token's user gets its Stripe customer here (201), so every measured request is a repeat call.
        curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' \
            "$GW/stripe/customer" || true
        check 200 "repeat customer via the gateway" -X POST -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -d '{}' "$GW/stripe/customer"
        wrk_scenario f-gateway "f. repeat \`POST /stripe/customer\` via the gateway" "$GW/stripe/customer" customer.lua
        wrk_scenario f-direct "f. repeat \`POST /stripe/customer\` straight to payment-service" \
            "http://127.0.0.1:$PAYMENT_PORT/stripe/customer" customer.lua
        # The uncached reference: the same payment-service (command line, environment) started beside the set with
        # its customer cache off, so each request asks the Stripe stand-in as before the cache.
        mapfile -d '' uncached_env < "/proc/${PID[payment-service]}/environ"
        mapfile -d '' uncached_cmd < "/proc/${PID[payment-service]}/cmdline"
        (cd "$(readlink "/proc/${PID[payment-service]}/cwd")" && exec env -i "${uncached_env[@]}" PORT=$ALONE_PORT \
            MANAGEMENT_PORT=$((ALONE_PORT + 1)) PAYMENT_CUSTOMERS_CACHE_TTL=0 "${uncached_cmd[@]}") \
            > "$WORK/uncached-payment-service.log" 2>&1 &
        uncached_pid=$!
        wait_ready uncached-payment-service "$((ALONE_PORT + 1))"
        [ -f "$WORK/ready.uncached-payment-service" ] \
            || { tail -20 "$WORK/uncached-payment-service.log" >&2; die "the uncached payment-service never became ready"; }
        check 200 "repeat customer, cache off" -X POST -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$ALONE_PORT/stripe/customer"
        wrk_scenario f-uncached "f. the same straight to payment-service with the customer cache off (reference)" \
            "http://127.0.0.1:$ALONE_PORT/stripe/customer" customer.lua
        kill "$uncached_pid"; wait "$uncached_pid" 2>/dev/null || true
        unset BENCH_TOKEN
        ;;
    *) die "unknown scenario $scenario (a b c d f)" ;;
    esac
done

if [ -n "${BENCH_HOLD_SECONDS:-}" ]; then
    log "holding the stack for ${BENCH_HOLD_SECONDS}s (gateway $GW, token in $WORK/token)"
    echo "$TOKEN" > "$WORK/token"
    # In the background and without the lock's descriptor, so Ctrl-C or a kill stops the stack at once and frees
    # the lock.
    sleep "$BENCH_HOLD_SECONDS" 9>&- &
    wait $!
fi

# ---- the report ----------------------------------------------------------------------------------------------------
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
pct() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.0f", 100 * a / b; else printf "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f", a / b; else printf "n/a"}'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.2f", a - b}'; }
meets() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {ok = (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED"}'; }
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
REPORT=$WORK/report.md
{
    echo "## Run of $STAMP"
    echo
    echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
        "$(awk '/^MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) RAM," \
        "$(java -version 2>&1 | head -1); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
    echo "wrk: $CONNECTIONS connections, $THREADS threads, ${WARMUP} s warm-up (discarded) then ${DURATION} s measured;" \
        "pgbench: the same connection count and windows."
    echo
    echo "| scenario | requests/s | p50 ms | p99 ms | errors |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    for service in "${SERVICES[@]}"; do
        echo "| e. \`$service\` start to ready: alone ${ALONE_MS[$service]} ms, all at once ${STARTUP_MS[$service]} ms; RSS idle ${RSS_IDLE[$service]} MB," \
            "under load ${RSS_LOAD[$service]} MB, peak (VmHWM) $(status_mb "${PID[$service]}" VmHWM) MB | | | | |"
    done
    if [ -n "$JAVA25" ]; then
        for service in "${SERVICES[@]}"; do
            echo "| e. \`$service\` start to ready on $("$JAVA25" -version 2>&1 | head -1 | cut -d'"' -f2), alone: without the AOT cache ${AOT_OFF_MS[$service]} ms," \
                "with it (aot-jar) ${AOT_ON_MS[$service]} ms ($(pct "${AOT_ON_MS[$service]}" "${AOT_OFF_MS[$service]}")%; median of ${AOT_ON_RUNS[$service]}) | | | | |"
        done
        echo "| e. all four at once on JDK 25, slowest to ready: without the AOT caches $AOT_ALL_OFF_MS ms, with them $AOT_ALL_ON_MS ms | | | | |"
    fi
    echo
    if [ -n "${RPS[b-gateway]:-}" ]; then
        share=$(pct "${RPS[b-gateway]}" "${RPS[b-nginx]}")
        added=$(diff_ms "${P50[b-gateway-1]}" "${P50[b-direct-1]}")
        echo "* Gateway path: ${share}% of the nginx path's throughput (target >= 80%: $(meets "$share" ">=" 80));" \
            "adds ${added} ms p50 over direct at 1 connection (target < 1 ms: $(meets "$added" "<" 1)), and" \
            "$(diff_ms "${P50[b-gateway]}" "${P50[b-direct]}") ms at $CONNECTIONS connections, where the cores are saturated" \
            "and p50 is mostly waiting (connections / throughput). CPU per request: the gateway" \
            "$(us_per_request b-gateway gateway) µs against nginx's $(us_per_request b-nginx nginx) µs; payment-service behind" \
            "them $(us_per_request b-gateway payment-service) µs and $(us_per_request b-nginx payment-service) µs, and" \
            "$(us_per_request b-direct payment-service) µs called straight. On $(nproc) cores shared by wrk, the proxy and the" \
            "service, every µs the proxy spends is taken from the service."
    fi
    if [ -n "${RPS[c-direct]:-}" ]; then
        share=$(pct "${RPS[c-direct]}" "${RPS[c-pgbench]}")
        echo "* Contact direct: ${share}% of the pgbench ceiling (target >= 50%: $(meets "$share" ">=" 50));" \
            "via the gateway: $(pct "${RPS[c-gateway]}" "${RPS[c-direct]}")% of direct."
    fi
    if [ -n "${RPS[d-duplicate]:-}" ]; then
        products=""
        [ -z "${RPS[b-gateway]:-}" ] || products=", $(pct "${RPS[d-duplicate]}" "${RPS[b-gateway]}")% of the products path"
        echo "* Duplicate Stripe webhooks (one ledger read each, no write): ${RPS[d-duplicate]} req/s," \
            "$(ratio "${RPS[d-duplicate]}" "${RPS[d-new]}")x the rate of new events${products}."
    fi
    if [ -n "$WEBHOOK_VERDICT" ]; then echo "* $WEBHOOK_VERDICT"; fi
    if [ -n "${RPS[f-gateway]:-}" ]; then
        if [ -n "${RPS[b-gateway]:-}" ]; then
            share=$(pct "${RPS[f-gateway]}" "${RPS[b-gateway]}")
            target="${share}% of the products path (target >= 60%: $(meets "$share" ">=" 60))"
        else
            target="target >= 60% of the products path: not checked (scenario b did not run)"
        fi
        echo "* Repeat \`POST /stripe/customer\` via the gateway: $target; straight to payment-service" \
            "$(ratio "${RPS[f-direct]}" "${RPS[f-uncached]}")x the uncached path (${RPS[f-direct]} against" \
            "${RPS[f-uncached]} req/s with the customer cache off)."
    fi
    slowest=0; slowest_together=0; largest=0
    for service in "${SERVICES[@]}"; do
        [ "${ALONE_MS[$service]}" -gt "$slowest" ] && slowest=${ALONE_MS[$service]}
        [ "${STARTUP_MS[$service]}" -gt "$slowest_together" ] && slowest_together=${STARTUP_MS[$service]}
        hwm=$(status_mb "${PID[$service]}" VmHWM)
        [ "$hwm" -gt "$largest" ] && largest=$hwm
    done
    if [ -n "$JAVA25" ]; then
        slowest_aot=0
        for service in "${SERVICES[@]}"; do [ "${AOT_ON_MS[$service]}" -gt "$slowest_aot" ] && slowest_aot=${AOT_ON_MS[$service]}; done
        echo "* Slowest start to ready on JDK 25 with the AOT cache, one service alone: ${slowest_aot} ms (target < 1000:" \
            "$(meets "$slowest_aot" "<" 1000)); all four at once: ${AOT_ALL_ON_MS} ms."
    fi
    if [ -n "$JAVA25" ]; then
        for service in "${SERVICES[@]}"; do
            echo "* Where \`$service\`'s start goes (JDK 25, AOT cache, alone; one more start with Quarkus's step timings):" \
                "${BREAKDOWN[$service]}."
        done
    fi
    echo "* Slowest start to ready, one service alone: ${slowest} ms (target < 3000: $(meets "$slowest" "<" 3000));" \
        "the whole set at once on $(nproc) cores: ${slowest_together} ms. Largest peak RSS ${largest} MB (target < 250:" \
        "$(meets "$largest" "<" 250))."
    echo
    echo "CPU of each service during the measured windows (% of one core; the machine has $(nproc)):"
    echo
    for line in "${CPU_LINES[@]}"; do echo "* $line"; done
    if [ -n "$JFR_REPORTS" ]; then echo "$JFR_REPORTS"; fi
} > "$REPORT"
cp "$REPORT" "$OUT/run-$STAMP.md"
cp "$REPORT" "$OUT/latest.md"
cat "$REPORT"
log "report in $OUT/run-$STAMP.md"
