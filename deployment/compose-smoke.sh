#!/usr/bin/env bash
# The compose stack for real: a real container engine (Debian's podman serving the Docker API), Debian's
# docker-compose 1.29 (the classic builder), the four service images built from the project's own Dockerfiles, and
# every check made through the gateway's published port. Run twice: one replica each, then two replicas of the three
# data services. Called by .ci/run; run it by hand as root: bash deployment/compose-smoke.sh
#
# No registry is reachable on the CI machines, so the base images (Debian, a Java 17 runtime, PostgreSQL, Redis)
# are built here from Debian's packages, and the stand-ins (SMTP catcher with an HTTP API, Stripe-, Paystack- and
# Clerk-like APIs) are the local-stack jar. They are selected by deployment/compose-smoke/docker-compose.smoke.yml;
# docker-compose.yml alone keeps the real, pinned upstream images.
#
# Variables: SMOKE_SKIP_SCALED=1 runs only the single run; SMOKE_KEEP_BASE_IMAGES=0 rebuilds the base images.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SMOKE_DIR="$ROOT/deployment/compose-smoke"
WORK=$(mktemp -d /tmp/compose-smoke.XXXXXX)
PROJECT=backbone-smoke
SOCKET=/run/podman/podman.sock
BASE=localhost/backbone-base
STARTED_SERVICE_PID=
HEALTH_LOOP_PID=
T0=$(date +%s)

log() { printf '[compose-smoke %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
FAILURE=
fail() { FAILURE="$*"; log "FAIL: $*"; exit 1; }
# No check may hang the run: every HTTP call is bounded.
curl() { command curl --max-time 30 "$@"; }

# ---- 1. the engine ------------------------------------------------------------------------------------------------

install_engine() {
  local missing=()
  for tool in podman runc debootstrap docker-compose openssl curl python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    log "installing from Debian: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap docker-compose openssl curl python3 >/dev/null
  fi
}

configure_engine() {
  # crun fails on these machines ("cgroups in hybrid mode not supported"), and the VM's hard nofile limit is 20000.
  mkdir -p /etc/containers
  local conf=/etc/containers/containers.conf
  if ! grep -q '^# backbone compose-smoke' "$conf" 2>/dev/null; then
    if [ -s "$conf" ]; then cp "$conf" "$conf.before-compose-smoke"; fi
    cat > "$conf" <<'EOF'
# backbone compose-smoke (deployment/compose-smoke.sh): runc, and ulimits within the VM's hard limits
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=30000:30000"]

[engine]
runtime = "runc"
EOF
  fi
}

start_engine() {
  export DOCKER_HOST="unix://$SOCKET"
  if curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
    log "podman API already served at $SOCKET"
    return
  fi
  mkdir -p "$(dirname "$SOCKET")"
  podman system service --time=0 "unix://$SOCKET" >"$WORK/podman-service.log" 2>&1 &
  STARTED_SERVICE_PID=$!
  for _ in $(seq 50); do
    curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && { log "podman API served at $SOCKET"; return; }
    sleep 0.2
  done
  fail "podman system service did not answer on $SOCKET"
}

# ---- 2. base images from Debian's packages (kept between runs) ----------------------------------------------------

debian_mirror() {
  local uri
  uri=$(grep -rhoE '^(URIs:|deb) +(\[[^]]*\] +)?https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?$' | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

image_exists() { [ "${SMOKE_KEEP_BASE_IMAGES:-1}" = 1 ] && podman image exists "$1"; }

build_base_images() {
  if ! image_exists "$BASE/debian:bookworm"; then
    local mirror rootfs
    mirror=$(debian_mirror)
    rootfs="$WORK/rootfs"
    log "debootstrap bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    # Builds FROM this image install from the same mirror the host uses.
    echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb
    tar -C "$rootfs" -c . | podman import - "$BASE/debian:bookworm" >/dev/null
    rm -rf "$rootfs"
  fi
  local name
  for name in jre17 postgres redis; do
    local dir=${name%17}
    if ! image_exists "$BASE/$name:bookworm"; then
      log "base image $BASE/$name:bookworm"
      podman build -q --network host -t "$BASE/$name:bookworm" "$SMOKE_DIR/base-images/$dir" >/dev/null
    fi
  done
}

# ---- 3. the stack --------------------------------------------------------------------------------------------------

compose() {
  docker-compose -p "$PROJECT" --env-file "$WORK/smoke.env" \
    -f "$ROOT/docker-compose.yml" -f "$SMOKE_DIR/docker-compose.smoke.yml" "$@"
}

write_env() {
  # Throwaway secrets for this run only; the gateway and the stand-ins take ports unlikely to be in use.
  local pw
  pw=$(openssl rand -hex 12)
  GATEWAY_PORT=${SMOKE_GATEWAY_PORT:-18080}
  MAIL_PORT=${SMOKE_MAIL_PORT:-18025}
  PAYSTACK_PORT=${SMOKE_PAYSTACK_PORT:-18112}
  STRIPE_WEBHOOK_SECRET="whsec_smoke_$(openssl rand -hex 16)"
  PAYSTACK_SECRET_KEY="sk_test_smoke_$(openssl rand -hex 16)"
  (umask 077; cat > "$WORK/smoke.env" <<EOF
POSTGRES_IMAGE=$BASE/postgres:bookworm
REDIS_IMAGE=$BASE/redis:bookworm
JAVA_IMAGE=$BASE/jre17:bookworm
BACKBONE_TAG=smoke
POSTGRES_PASSWORD=$pw
DATABASE_URL=postgresql://backbone:$pw@postgres:5432/backbone
STRIPE_SECRET_KEY=sk_test_smoke
STRIPE_WEBHOOK_SECRET=$STRIPE_WEBHOOK_SECRET
PAYSTACK_SECRET_KEY=$PAYSTACK_SECRET_KEY
PAYSTACK_API_BASE=http://stripe-mock:12112
CLERK_ISSUER=http://stripe-mock:9999
CLERK_JWKS_URL=http://stripe-mock:9999/.well-known/jwks.json
ADMIN_EMAIL=owner@smoke.test
GATEWAY_PORT=$GATEWAY_PORT
MAIL_UI_PORT=$MAIL_PORT
STANDIN_PAYSTACK_PORT=$PAYSTACK_PORT
EOF
  )
  GW="http://127.0.0.1:$GATEWAY_PORT"
  MAIL_API="http://127.0.0.1:$MAIL_PORT/api/mails"
}

ensure_jars() {
  local m missing=0
  for m in contact-service payment-service webhook-service gateway local-stack; do
    [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || missing=1
  done
  if ((missing)); then
    log "building the jars (./mvnw -B package -DskipTests)"
    ./mvnw -B -q package -DskipTests
  fi
}

# podman runs no health checks by itself without systemd: run them, for every container of the project.
start_health_loop() {
  (
    while true; do
      for id in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
        podman healthcheck run "$id" >/dev/null 2>&1 || true
      done
      sleep 2
    done
  ) &
  HEALTH_LOOP_PID=$!
}

stop_health_loop() {
  if [ -n "$HEALTH_LOOP_PID" ]; then
    kill "$HEALTH_LOOP_PID" 2>/dev/null || true
    wait "$HEALTH_LOOP_PID" 2>/dev/null || true
    HEALTH_LOOP_PID=
  fi
}

# Every container healthy, judged by the health checks themselves (run here, each must pass now, and none may have
# restarted), not by the exit code of "up". The one-shot migrate container must have exited 0.
wait_all_healthy() {
  local expected=$1 deadline=$(( $(date +%s) + 420 )) ids id ok migrate
  while :; do
    ok=0
    ids=$(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter status=running)
    for id in $ids; do
      if [ "$(podman inspect --format '{{.RestartCount}}' "$id")" = 0 ] && podman healthcheck run "$id" >/dev/null 2>&1; then
        ok=$((ok + 1))
      fi
    done
    migrate=$(podman ps -a --filter "label=com.docker.compose.project=$PROJECT" \
      --filter "label=com.docker.compose.service=migrate" --format '{{.Status}}')
    if [ "$ok" -eq "$expected" ] && [[ "$migrate" == Exited\ \(0\)* ]]; then
      return 0
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then
      podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}} {{.Status}} restarts={{.Restarts}}' >&2 || true
      fail "not every container became healthy ($ok of $expected, migrate: ${migrate:-none})"
    fi
    sleep 2
  done
}

psql_value() {
  podman exec "$(compose ps -q postgres)" psql -U backbone -d backbone -tAc "$1"
}

mails_json() { curl -fsS "$MAIL_API"; }

# count of caught mails to $1 whose raw text contains $2
mail_count() {
  mails_json | python3 -c '
import json, sys
to, needle = sys.argv[1], sys.argv[2]
print(sum(1 for m in json.load(sys.stdin)["mails"] if any(to in r for r in m.get("to", [])) and needle in m.get("raw", "")))
' "$1" "$2"
}

wait_for() { # seconds description command...
  local seconds=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for: $what"
    sleep 1
  done
}

equals() { [ "$("${@:2}" 2>/dev/null)" = "$1" ]; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A Clerk-shaped RS256 session token signed with the Clerk-like stand-in's key (its JWKS is what the stack trusts).
clerk_token() {
  local key="$WORK/clerk-key.pem" now header payload
  podman exec "$(compose ps -q stripe-mock)" cat /tmp/local/clerk-dev-key.pem > "$key"
  chmod 600 "$key"
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"local-dev-key"}' | b64url)
  payload=$(printf '{"iss":"http://stripe-mock:9999","sub":"user_smoke","sid":"sess_smoke","azp":"http://localhost:3000","iat":%d,"nbf":%d,"exp":%d}' \
    "$now" "$((now - 5))" "$((now + 600))" | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)"
}

# The checks, all through the gateway's published port. $1 names the run in messages.
check_stack() {
  local run=$1 tag body status ref token event sig ts path
  tag=$(openssl rand -hex 4)

  # Internals are not on the public port; a foreign origin is refused on / as everywhere.
  for path in /q/health /q/health/ready /q/metrics /q/openapi /q/swagger-ui/; do
    status=$(curl -s -o "$WORK/body" -w '%{http_code}' "$GW$path" || true)
    [ "$status" = 404 ] && grep -q '"success":false' "$WORK/body" || fail "$run: GET $path on the public port answered $status"
  done
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' "$GW/" || true)
  [ "$status" = 403 ] || fail "$run: GET / from a foreign origin answered $status"

  # A contact: the row, and both mails caught once.
  local email="ada-$tag@smoke.test"
  body=$(curl -fsS -X POST "$GW/api/contact" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Ada\",\"email\":\"$email\",\"message\":\"Smoke $tag\"}") || fail "$run: POST /api/contact"
  grep -q '"success":true' <<<"$body" || fail "$run: contact answer $body"
  [ "$(psql_value "select count(*) from contacts where email = '$email'")" = 1 ] || fail "$run: contact row"
  wait_for 60 "$run: the contact's confirmation" equals 1 mail_count "$email" "$email"
  wait_for 60 "$run: the owner's notification" equals 1 mail_count owner@smoke.test "$email"

  # A Paystack payment, paid on the stand-in's page, applied by its signed webhook through the gateway.
  local payer="payer-$tag@smoke.test"
  body=$(curl -fsS -X POST "$GW/api/payment/initiate" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$payer\",\"amount\":1500}") || fail "$run: POST /api/payment/initiate"
  ref=$(python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; assert d["provider"]=="paystack", d; print(d["reference"])' <<<"$body") \
    || fail "$run: initiate answer $body"
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PAYSTACK_PORT/pay/$ref/pay" || fail "$run: paying $ref on the stand-in"
  wait_for 60 "$run: verify says success" sh -c "curl -fsS '$GW/api/payment/verify/$ref' | grep -q '\"status\":\"success\"'"
  wait_for 60 "$run: the receipt" equals 1 mail_count "$payer" "$ref"

  # The catalogue with a Clerk token (and not without one).
  token=$(clerk_token)
  body=$(curl -fsS "$GW/stripe/products" -H "Authorization: Bearer $token") || fail "$run: GET /stripe/products"
  grep -q '"success":true' <<<"$body" && grep -q '"count":' <<<"$body" || fail "$run: products answer $body"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$GW/stripe/products" || true)
  [ "$status" = 401 ] || fail "$run: /stripe/products without a token answered $status"

  # A Stripe webhook delivered twice: applied once.
  local customer="cus_smoke_$tag"
  event="{\"id\":\"evt_smoke_$tag\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":$(date +%s),\"livemode\":false,\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"$customer\",\"object\":\"customer\",\"email\":\"$payer\",\"metadata\":{\"clerk_user_id\":\"user_smoke_$tag\"}}}}"
  ts=$(date +%s)
  sig=$(printf '%s.%s' "$ts" "$event" | openssl dgst -sha256 -hmac "$STRIPE_WEBHOOK_SECRET" -r | cut -d' ' -f1)
  body=$(curl -fsS -X POST "$GW/webhooks/stripe" -H 'Content-Type: application/json' \
    -H "Stripe-Signature: t=$ts,v1=$sig" --data-binary "$event") || fail "$run: first Stripe delivery"
  grep -q '"received":true' <<<"$body" && ! grep -q '"duplicate":true' <<<"$body" || fail "$run: first delivery $body"
  body=$(curl -fsS -X POST "$GW/webhooks/stripe" -H 'Content-Type: application/json' \
    -H "Stripe-Signature: t=$ts,v1=$sig" --data-binary "$event") || fail "$run: second Stripe delivery"
  grep -q '"duplicate":true' <<<"$body" || fail "$run: second delivery not seen as a duplicate: $body"
  [ "$(psql_value "select count(*) from webhook_events where provider = 'stripe' and event_id = 'evt_smoke_$tag'")" = 1 ] \
    || fail "$run: Stripe event stored more than once"
  [ "$(psql_value "select count(*) from stripe_customer_mapping where stripe_customer_id = '$customer'")" = 1 ] \
    || fail "$run: the Stripe event's effect"

  # Each mail went out once: this run's two contact mails and its receipt, nothing else.
  sleep 3
  local total
  total=$(mails_json | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin)["mails"] if sys.argv[1] in m.get("raw", "")))' "$tag")
  [ "$total" = 3 ] || { mails_json | head -c 3000 >&2; fail "$run: $total mails caught for this run, 3 expected"; }
  [ "$(psql_value "select count(*) from email_outbox where status = 'sent' and (to_address like '%$tag%' or reply_to like '%$tag%')")" = 3 ] \
    || fail "$run: this run's outbox rows are not 3 sent mails"
}

# Flyway ran once: every migration recorded once, and only one replica applied anything.
check_migrated_once() {
  local run=$1 files applied dupes appliers id
  files=$(ls common-data/src/main/resources/db/migration/V*__*.sql | wc -l)
  applied=$(psql_value "select count(*) from flyway_schema_history where success and version is not null")
  dupes=$(psql_value "select count(*) from (select version from flyway_schema_history group by version having count(*) > 1) d")
  [ "$applied" = "$files" ] && [ "$dupes" = 0 ] || fail "$run: flyway_schema_history has $applied rows ($dupes repeated), $files migrations"
  appliers=0
  for id in $(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT"); do
    # grep reads everything (no -q): with pipefail, an early exit would fail "podman logs" with SIGPIPE.
    if podman logs "$id" 2>&1 | grep 'Successfully applied' >/dev/null; then appliers=$((appliers + 1)); fi
  done
  [ "$appliers" = 1 ] || fail "$run: $appliers containers applied migrations, 1 expected (the migrate step)"
}

# down -v, bounded; a second down (idempotent) only when the first one failed, and the run says so. What is left
# after that is a failure either way.
take_down() {
  local run=$1
  if ! timeout 180 docker-compose -p "$PROJECT" --env-file "$WORK/smoke.env" -f "$ROOT/docker-compose.yml" \
      -f "$SMOKE_DIR/docker-compose.smoke.yml" down -v --timeout 20 >"$WORK/down.log" 2>&1; then
    log "$run: compose down -v failed, once more (its output follows)"
    cat "$WORK/down.log" >&2
    timeout 180 docker-compose -p "$PROJECT" --env-file "$WORK/smoke.env" -f "$ROOT/docker-compose.yml" \
      -f "$SMOKE_DIR/docker-compose.smoke.yml" down -v --timeout 20 >"$WORK/down.log" 2>&1 \
      || { cat "$WORK/down.log" >&2; fail "$run: compose down -v failed twice"; }
    RESULT+=("$run: the first down -v failed, the second one cleaned up")
  fi
}

# A stack of this project left by an interrupted run (SMOKE_KEEP_ON_FAIL=1, a killed job) would be reused by "up" and
# counted by the checks: remove it, and say so.
remove_leftovers() {
  local left
  left=$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT")
  if [ -n "$left" ] || [ -n "$(podman volume ls -q --filter "name=^${PROJECT}_")" ]; then
    log "removing a stack left by an earlier run of project $PROJECT"
    [ -z "$left" ] || podman rm -f $left >/dev/null
    podman volume ls -q --filter "name=^${PROJECT}_" | xargs -r podman volume rm -f >/dev/null
    podman network ls -q --filter "name=^${PROJECT}_" | xargs -r podman network rm -f >/dev/null
  fi
}

run_stack() { # label replicas
  local run=$1 replicas=$2 started healthy_s expected scale=()
  if [ "$replicas" -gt 1 ]; then
    scale=(--scale "contact-service=$replicas" --scale "payment-service=$replicas" --scale "webhook-service=$replicas")
  fi
  expected=$(( 5 + 3 * replicas ))
  started=$(date +%s)
  log "$run: compose up ($replicas replica(s) of each data service)"
  start_health_loop
  STACK_UP=1
  compose up -d "${scale[@]}" >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "$run: compose up"; }
  wait_all_healthy "$expected"
  healthy_s=$(( $(date +%s) - started ))
  log "$run: $expected containers healthy after ${healthy_s}s"
  check_stack "$run"
  check_migrated_once "$run"
  log "$run: checks passed"
  take_down "$run"
  STACK_UP=
  stop_health_loop
  [ -z "$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] || fail "$run: containers left after down"
  [ -z "$(podman volume ls -q --filter "name=^${PROJECT}_")" ] || fail "$run: volumes left after down"
  RESULT+=("$run: healthy in ${healthy_s}s, all in $(( $(date +%s) - started ))s")
}

cleanup() {
  local rc=$?
  stop_health_loop
  if [ -n "${STACK_UP:-}" ]; then
    if [ "$rc" != 0 ]; then
      log "logs of the failed run (last lines of each container):"
      compose logs --no-color --tail 40 >&2 2>/dev/null || true
    fi
    if [ "${SMOKE_KEEP_ON_FAIL:-0}" = 1 ] && [ "$rc" != 0 ]; then
      cp "$WORK/smoke.env" /tmp/compose-smoke.env
      log "kept the stack (SMOKE_KEEP_ON_FAIL=1): docker-compose -p $PROJECT --env-file /tmp/compose-smoke.env -f docker-compose.yml -f deployment/compose-smoke/docker-compose.smoke.yml down -v"
      return
    fi
    compose down -v >/dev/null 2>&1 || true
  fi
  if [ -n "$STARTED_SERVICE_PID" ]; then
    kill "$STARTED_SERVICE_PID" 2>/dev/null || true
    wait "$STARTED_SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  if [ "$rc" != 0 ]; then
    # Last, so a log cut to its tail still says what failed.
    echo "compose smoke: FAIL: ${FAILURE:-exit code $rc} (details above)"
  fi
}

case "${1:-}" in
  --base-images-only)
    install_engine; configure_engine; build_base_images; exit 0 ;;
esac

trap cleanup EXIT
RESULT=()
STACK_UP=
install_engine
configure_engine
start_engine
build_base_images
ensure_jars
write_env
remove_leftovers
log "building the images with docker-compose (the classic builder, through podman's Docker API)"
compose build >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; fail "compose build"; }
run_stack single 1
if [ "${SMOKE_SKIP_SCALED:-0}" != 1 ]; then
  run_stack "scaled x2" 2
fi
summary=$(printf '%s; ' "${RESULT[@]}")
echo "compose smoke: PASS in $(( $(date +%s) - T0 ))s (${summary%; }): every container healthy by its health check; /q/* 404 on the public port; a contact stored with both mails once; a Paystack payment paid by its signed webhook, verify success, receipt once; /stripe/products with a Clerk token; a Stripe webhook twice, applied once; Flyway once; down -v left nothing"
