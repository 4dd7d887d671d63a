package app.backbone.gateway.logging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.http.RequestIds;
import app.backbone.common.http.RouteOrder;
import app.backbone.common.logging.LogFields;
import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;

/**
 * One line per request: id, route, method, path, status, latency and the verified user, never a token or body. The
 * values are top-level fields of the JSON log line, encoded once. A request whose connection closed before its answer
 * ended is logged with status 0 and {@code aborted: true}.
 */
@ApplicationScoped
public class AccessLog {

    /** Context keys the gateway's handlers fill in for the log line. */
    public static final String ROUTE_KEY = "gateway.route";
    public static final String USER_KEY = "gateway.user";

    void install(@Observes Router router) {
        router.route().order(RouteOrder.ACCESS_LOG).handler(ctx -> {
            long started = System.nanoTime();
            ctx.addEndHandler(done -> {
                String route = ctx.get(ROUTE_KEY);
                String method = ctx.request().method().name();
                String path = ctx.request().path();
                // A connection closed before the answer ended (a broken body, the client or service hanging up) is
                // logged as status 0 and aborted, not as the status the answer would have had.
                boolean answered = done.succeeded();
                int status = answered ? ctx.response().getStatusCode() : 0;
                LogFields line = new LogFields(method + " " + path + " " + (answered ? status : "aborted"))
                        .put("type", "access")
                        .put("requestId", RequestIds.of(ctx))
                        .put("route", route == null ? "-" : route)
                        .put("method", method)
                        .put("path", path)
                        .put("status", status)
                        .put("latencyMs", (System.nanoTime() - started) / 1_000_000)
                        .put("userId", ctx.get(USER_KEY));
                if (!answered) {
                    line.put("aborted", true);
                }
                Log.infov("{0}", line);
            });
            ctx.next();
        });
    }
}
