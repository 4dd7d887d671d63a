#!/usr/bin/env bash
# Builds the set, starts it on its own ports with a throwaway PostgreSQL, an SMTP sink and provider stand-ins it
# controls, runs the five resilience scenarios and prints one PASS/FAIL table (also written to RESULTS.md).
#
#   bench/resilience/run.sh                 # everything
#   RES_SCENARIOS=1,5 bench/resilience/run.sh
#   RES_SKIP_BUILD=1 RES_KEEP=1 bench/resilience/run.sh   # reuse the jars, keep the logs and data afterwards
#
# Needs a JDK 17+, python3 and PostgreSQL's server binaries (initdb, pg_ctl, psql; PG_BIN names their folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

run() {
    if [ "${RES_SKIP_BUILD:-}" != 1 ]; then
        echo "[resilience] building: ./mvnw -B -q package -DskipTests"
        (cd "$root" && ./mvnw -B -q package -DskipTests)
    fi
    work="$(mktemp -d "${TMPDIR:-/tmp}/backbone-resilience.XXXXXX")"
    chmod 755 "$work"
    status=0
    RES_WORK="$work" RES_RESULTS="${RES_RESULTS-$here/RESULTS.md}" python3 "$here/resilience.py" || status=$?
    if [ "${RES_KEEP:-}" = 1 ]; then
        echo "[resilience] logs and data kept in $work"
    else
        rm -rf "$work"
    fi
    return $status
}

# One heavy run at a time on this machine (the benchmarks take the same lock).
exec 9>/tmp/backbone-bench.lock
echo "[resilience] waiting for /tmp/backbone-bench.lock"
flock 9
run
