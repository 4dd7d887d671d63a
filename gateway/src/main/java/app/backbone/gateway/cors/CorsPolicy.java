package app.backbone.gateway.cors;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.gateway.GatewayConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The exact-match origin allow-list. A request without {@code Origin} (a server, a mobile app) is not a CORS request
 * and passes; a browser request or preflight from an origin not on the list is refused.
 */
@ApplicationScoped
public class CorsPolicy {

    private final Set<String> origins;
    private final String methods;
    private final String headers;
    private final String exposedHeaders;
    private final String maxAgeSeconds;
    private final boolean allowCredentials;

    public CorsPolicy(GatewayConfig config) {
        GatewayConfig.Cors cors = config.cors();
        this.origins = Set.copyOf(trimmed(cors.origins()));
        this.methods = String.join(", ", trimmed(cors.methods()));
        this.headers = String.join(", ", trimmed(cors.headers()));
        this.exposedHeaders = String.join(", ", trimmed(cors.exposedHeaders()));
        this.maxAgeSeconds = Long.toString(cors.maxAge().toSeconds());
        this.allowCredentials = cors.allowCredentials();
    }

    public enum Verdict {
        /** No Origin header: not a browser cross-origin request. */
        NOT_CORS,
        /** An allowed origin's request: answer it with CORS headers. */
        ALLOWED,
        /** An allowed origin's preflight: answer it here. */
        PREFLIGHT,
        /** Any request from an origin not on the list. */
        FORBIDDEN
    }

    /** Whether this exact origin is on the allow-list. */
    public boolean allows(String origin) {
        return origins.contains(origin);
    }

    public Verdict judge(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return Verdict.NOT_CORS;
        }
        if (!origins.contains(origin)) {
            return Verdict.FORBIDDEN;
        }
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader("Access-Control-Request-Method") != null;
        return preflight ? Verdict.PREFLIGHT : Verdict.ALLOWED;
    }

    /** Headers for an allowed origin's actual request, set when the response head is written so they win over upstream's. */
    public void decorate(HttpServerRequest request, HttpServerResponse response) {
        response.headers()
                .set("Access-Control-Allow-Origin", request.getHeader("Origin"))
                .set("Access-Control-Expose-Headers", exposedHeaders)
                .add("Vary", "Origin");
        if (allowCredentials) {
            response.headers().set("Access-Control-Allow-Credentials", "true");
        }
    }

    public void answerPreflight(HttpServerResponse response) {
        response.headers()
                .set("Access-Control-Allow-Methods", methods)
                .set("Access-Control-Allow-Headers", headers)
                .set("Access-Control-Max-Age", maxAgeSeconds);
        response.setStatusCode(204).end();
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
