#!/bin/sh
# Image build step of every service (see each module's Dockerfile): on a JDK 25+ runtime, one training run writes the
# JDK's AOT cache (JEP 483/514/515: the classes the start-up loads and links, already parsed) to /deployments/app.aot,
# which the image's entrypoint then passes to every start. The build has no database or network: the run is Quarkus's
# start-up only (init-and-exit, no migration at start), with placeholders for the settings a start requires; the
# container's own settings are read at run time as usual. On an older runtime it does nothing and says so.
set -eu
if ! java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
  echo "AOT cache: this Java runtime has none (JDK 25 and later have), the image starts without one"
  exit 0
fi
cd /tmp
env DATABASE_URL=postgresql://training@127.0.0.1:1/none SMTP_HOST=127.0.0.1 SMTP_FROM=no-reply@localhost \
  ADMIN_EMAIL=admin@localhost STRIPE_SECRET_KEY=sk_test_training STRIPE_WEBHOOK_SECRET=whsec_training \
  PAYSTACK_SECRET_KEY=sk_test_training CLERK_ISSUER=http://127.0.0.1:1 CLERK_JWKS_URL=http://127.0.0.1:1/jwks.json \
  PAYMENT_SUCCESS_URL=http://localhost/success PAYMENT_CANCEL_URL=http://localhost/cancel REDIS_URL=redis://127.0.0.1:1 \
  timeout 600 java ${JAVA_OPTS:-} -XX:AOTCacheOutput=/deployments/app.aot -Dquarkus.flyway.migrate-at-start=false \
  -Dquarkus.init-and-exit=true -Dquarkus.log.level=WARN -jar /deployments/quarkus-run.jar
test -s /deployments/app.aot
echo "AOT cache: /deployments/app.aot written"
