package app.backbone.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.http.HttpFailureHandler;
import app.backbone.common.http.RouteOrder;
import app.backbone.gateway.cors.CorsPolicy;
import io.vertx.ext.web.Router;

/**
 * {@code GET /}: the gateway answers it itself, whatever credentials come with it, but a browser from an origin not on
 * the allow-list is refused here as on every route.
 */
@ApplicationScoped
public class GatewayStatus {

    private final CorsPolicy cors;

    public GatewayStatus(CorsPolicy cors) {
        this.cors = cors;
    }

    void install(@Observes Router router) {
        router.get("/").order(RouteOrder.GATEWAY_STATUS).handler(ctx -> {
            if (cors.judge(ctx.request()) == CorsPolicy.Verdict.FORBIDDEN) {
                HttpFailureHandler.write(ctx, ErrorCode.FORBIDDEN, "This origin may not call the API");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
        });
    }
}
