package app.backbone.gateway.routing;

import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code uri} tag of the request metrics: a fixed value per route, never the raw path, so no reference or token in
 * a path reaches {@code /q/metrics} and random paths cannot exhaust Micrometer's tag limit. Quarkus's Vert.x metrics
 * binder reads it from the request context's {@value #LOCAL} local, as it does for JAX-RS resources.
 */
final class MetricsUri {

    static final String LOCAL = "UrlPathTemplate";

    /** The tag of every request no route serves, including refused and malformed paths. */
    static final String UNMATCHED = "/unmatched";

    private MetricsUri() {
    }

    static void tag(RoutingContext ctx, String template) {
        if (ctx.request() instanceof HttpServerRequestInternal request) {
            request.context().putLocal(LOCAL, template);
        }
    }

    /** The route's prefix for the prefix itself, {@code prefix/*} for anything below it. */
    static String of(Route route, String path) {
        if (route.prefix().equals("/")) {
            return "/*";
        }
        return path.equals(route.prefix()) ? route.prefix() : route.prefix() + "/*";
    }
}
