package app.backbone.gateway.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for one service: a real HTTP server on a free port that records every request it receives (method, URI,
 * headers, exact body bytes) and answers with JSON naming itself. A path containing {@code /slow} answers after
 * {@link #SLOW}, for timeout tests; one containing {@code /cors-from-service} answers with CORS headers of its own.
 */
public final class RecordingUpstream implements AutoCloseable {

    public static final Duration SLOW = Duration.ofSeconds(4);

    public record Received(String method, String uri, MultiMap headers, byte[] body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final String name;
    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public RecordingUpstream(String name, Vertx vertx) {
        this.name = name;
        this.vertx = vertx;
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The request this upstream got with the given {@code X-Request-Id}, if it got one. */
    public Optional<Received> withRequestId(String requestId) {
        return received.stream().filter(r -> requestId.equals(r.header("X-Request-Id"))).findFirst();
    }

    public long countWithRequestId(String requestId) {
        return received.stream().filter(r -> requestId.equals(r.header("X-Request-Id"))).count();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
            received.add(new Received(request.method().name(), request.uri(), headers, body.getBytes()));
            String answer = new JsonObject()
                    .put("service", name)
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("bodyBytes", body.length())
                    .encode();
            if (request.uri().contains("/cors-from-service")) {
                request.response().putHeader("Access-Control-Allow-Origin", "*")
                        .putHeader("Access-Control-Allow-Credentials", "true")
                        .putHeader("Access-Control-Expose-Headers", "X-Upstream");
            }
            Runnable respond = () -> request.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Server", "test-upstream/1.0")
                    .putHeader("X-Upstream", name)
                    .putHeader("Keep-Alive", "timeout=5")
                    .putHeader("Connection", "X-Upstream-Hop")
                    .putHeader("X-Upstream-Hop", "must-not-reach-the-client")
                    .putHeader("X-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
                    .setStatusCode(request.uri().contains("/status-418") ? 418 : 200)
                    .end(answer);
            if (request.uri().contains("/slow")) {
                vertx.setTimer(SLOW.toMillis(), t -> respond.run());
            } else {
                respond.run();
            }
        });
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
