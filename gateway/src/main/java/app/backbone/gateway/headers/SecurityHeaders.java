package app.backbone.gateway.headers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.http.RequestIds;
import app.backbone.common.http.RouteOrder;
import app.backbone.gateway.GatewayConfig;
import app.backbone.common.network.ClientAddresses;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;

/**
 * Hardening headers on every answer, the gateway's own and the ones proxied from services alike: they are set when
 * the response head is written, so a service's answer cannot drop or double them. HSTS only when the client came over
 * TLS; never a {@code Server} banner.
 */
@ApplicationScoped
public class SecurityHeaders {

    private final GatewayConfig.Headers config;
    private final ClientAddresses clientAddresses;

    public SecurityHeaders(GatewayConfig config, ClientAddresses clientAddresses) {
        this.config = config.headers();
        this.clientAddresses = clientAddresses;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.SECURITY_HEADERS).handler(ctx -> {
            boolean tls = clientAddresses.cameOverTls(ctx.request());
            ctx.addHeadersEndHandler(v -> {
                MultiMap headers = ctx.response().headers();
                headers.set("X-Content-Type-Options", "nosniff")
                        .set("X-Frame-Options", "DENY")
                        .set("Referrer-Policy", "no-referrer")
                        .set("Content-Security-Policy", config.contentSecurityPolicy())
                        .remove("Server")
                        .remove("X-Powered-By");
                String requestId = RequestIds.of(ctx);
                if (requestId != null) {
                    headers.set(RequestIds.HEADER, requestId);
                }
                if (tls) {
                    headers.set("Strict-Transport-Security", config.hsts());
                } else {
                    headers.remove("Strict-Transport-Security");
                }
            });
            ctx.next();
        });
    }
}
