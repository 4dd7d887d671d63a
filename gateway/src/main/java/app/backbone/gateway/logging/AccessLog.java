package app.backbone.gateway.logging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.http.RequestIds;
import io.quarkus.logging.Log;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** One JSON line per request: id, route, method, path, status, latency and the verified user, never a token or body. */
@ApplicationScoped
public class AccessLog {

    /** Context keys the gateway's handlers fill in for the log line. */
    public static final String ROUTE_KEY = "gateway.route";
    public static final String USER_KEY = "gateway.user";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(ctx -> {
            long started = System.nanoTime();
            ctx.addEndHandler(done -> {
                String route = ctx.get(ROUTE_KEY);
                String user = ctx.get(USER_KEY);
                JsonObject line = new JsonObject()
                        .put("type", "access")
                        .put("requestId", RequestIds.of(ctx))
                        .put("route", route == null ? "-" : route)
                        .put("method", ctx.request().method().name())
                        .put("path", ctx.request().path())
                        .put("status", ctx.response().getStatusCode())
                        .put("latencyMs", (System.nanoTime() - started) / 1_000_000)
                        .put("userId", user);
                Log.info(line.encode());
            });
            ctx.next();
        });
    }
}
