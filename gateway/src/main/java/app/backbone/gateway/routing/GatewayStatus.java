package app.backbone.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/** {@code GET /}: the gateway answers it itself, whatever credentials come with it. */
@ApplicationScoped
public class GatewayStatus {

    void install(@Observes Router router) {
        router.get("/").order(Integer.MIN_VALUE + 5).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"status\":\"UP\"}"));
    }
}
