package app.backbone.gateway.routing;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.http.HttpFailureHandler;
import app.backbone.common.http.RequestIds;
import app.backbone.gateway.GatewayConfig;
import app.backbone.common.network.ClientAddresses;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Streams a request to its service and the answer back, bytes untouched (Vert.x HTTP proxy), with hop-by-hop
 * headers dropped and {@code X-Forwarded-*} and {@code X-Request-Id} set. A service that cannot be reached is a 503,
 * one that goes silent past the response timeout a 504.
 */
@ApplicationScoped
public class UpstreamProxy {

    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    /** Who the client is and how it came is the gateway's word alone: these never pass from a client. */
    private static final List<String> CLIENT_MUST_NOT_SET = List.of("forwarded", "x-real-ip", "x-client-ip",
            "true-client-ip", "x-cluster-client-ip", "x-original-forwarded-for", "cf-connecting-ip");

    /** The caller's trace headers never pass as sent; the gateway's instrumented client sets its own. */
    private static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");

    /** Only the gateway's X-Forwarded-* headers reach a service. */
    private static final List<String> FORWARDED_SET_BY_GATEWAY = List.of("x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host");

    private final HttpClient client;
    private final ClientAddresses clientAddresses;
    private final int connectTimeoutMs;
    private final long responseTimeoutMs;

    public UpstreamProxy(Vertx vertx, GatewayConfig config, ClientAddresses clientAddresses) {
        this.clientAddresses = clientAddresses;
        this.connectTimeoutMs = (int) config.upstream().connectTimeout().toMillis();
        this.responseTimeoutMs = config.upstream().responseTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(connectTimeoutMs)
                .setMaxPoolSize(config.upstream().maxConnectionsPerUpstream())
                .setKeepAlive(true)
                .setDecompressionSupported(false));
    }

    public void forward(RoutingContext ctx, Route route) {
        HttpServerRequest request = ctx.request();
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);
        MultiMap headers = proxyRequest.headers();
        stripHopByHop(headers);
        stripClientClaims(headers);
        setForwardedHeaders(request, headers);
        headers.set(RequestIds.HEADER, RequestIds.of(ctx));
        // The proxy's HTTP client is instrumented: it adds the gateway's own trace context (a client span) itself.
        TRACE_HEADERS.forEach(headers::remove);
        if (!route.upstreamBasePath().isEmpty()) {
            proxyRequest.setURI(route.upstreamBasePath() + request.uri());
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // The gateway has accepted the request (route, origin, size, token, quota): ask the client for the body
            // itself rather than relaying the expectation to the service.
            headers.remove("Expect");
            ctx.response().writeContinue();
        }
        BodySizeGuard body = new BodySizeGuard(request, route.bodyLimitBytes());
        // The pipeline refused a length that is not a number, so what is declared here is a length or nothing (-1).
        proxyRequest.setBody(Body.body(body, BodySizeGuard.declaredLength(request)));

        RequestOptions options = new RequestOptions()
                .setHost(route.upstream().getHost())
                .setPort(route.upstreamPort())
                .setSsl(route.upstreamUsesTls())
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(responseTimeoutMs);
        client.request(options)
                .compose(proxyRequest::send)
                .compose(response -> sendBack(response))
                .onFailure(failure -> answerFailure(ctx, route, proxyRequest, body, failure));
    }

    private static Future<Void> sendBack(ProxyResponse response) {
        stripHopByHop(response.headers());
        response.headers().remove("Server");
        // The gateway's CORS policy is the only one: a service's own Access-Control-* headers never reach a browser.
        removeNamed(response.headers(), name -> startsWithIgnoringCase(name, "access-control-"));
        return response.send();
    }

    private void answerFailure(RoutingContext ctx, Route route, ProxyRequest proxyRequest, BodySizeGuard body, Throwable failure) {
        if (ctx.response().headWritten()) {
            // The answer had started streaming: all that is left is to cut the connection so the client sees it broke.
            Log.warnf("Upstream %s failed mid-answer: %s", route.name(), failure.getMessage());
            ctx.request().connection().close();
            return;
        }
        if (body.exceeded()) {
            ctx.response().putHeader("Connection", "close");
            HttpFailureHandler.write(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than this route accepts");
            return;
        }
        proxyRequest.release();
        if (isTimeout(failure)) {
            Log.warnf("Upstream %s did not answer within %d ms", route.name(), responseTimeoutMs);
            HttpFailureHandler.write(ctx, ErrorCode.GATEWAY_TIMEOUT, "The service did not answer in time");
        } else {
            Log.warnf("Upstream %s unavailable: %s", route.name(), failure.getMessage());
            HttpFailureHandler.write(ctx, ErrorCode.SERVICE_UNAVAILABLE, "The service is unavailable, try again shortly");
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return false;
            }
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void setForwardedHeaders(HttpServerRequest request, MultiMap headers) {
        boolean trusted = clientAddresses.peerIsTrusted(request);
        String peer = clientAddresses.peer(request);
        String priorChain = trusted ? String.join(", ", request.headers().getAll("X-Forwarded-For")) : "";
        headers.set("X-Forwarded-For", priorChain.isBlank() ? peer : priorChain + ", " + peer);
        String proto = trusted ? request.getHeader("X-Forwarded-Proto") : null;
        headers.set("X-Forwarded-Proto", proto != null ? proto : request.scheme());
        String host = trusted ? request.getHeader("X-Forwarded-Host") : null;
        if (host == null && request.authority() != null) {
            host = request.authority().toString();
        }
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        } else {
            headers.remove("X-Forwarded-Host");
        }
    }

    /** Drops what only the gateway may say about the client: address headers and X-Forwarded-* it does not set. */
    static void stripClientClaims(MultiMap headers) {
        CLIENT_MUST_NOT_SET.forEach(headers::remove);
        removeNamed(headers, name -> startsWithIgnoringCase(name, "x-forwarded-")
                && !FORWARDED_SET_BY_GATEWAY.contains(name.toLowerCase(Locale.ROOT)));
    }

    private static boolean startsWithIgnoringCase(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** Removes every header whose name matches; the names are walked once, with no copy unless one matches. */
    private static void removeNamed(MultiMap headers, Predicate<String> matches) {
        List<String> doomed = null;
        for (Map.Entry<String, String> header : headers) {
            if (matches.test(header.getKey())) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(header.getKey());
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }

    /** Removes the hop-by-hop headers, including any the {@code Connection} header names. */
    static void stripHopByHop(MultiMap headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    named.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
        named.forEach(headers::remove);
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
