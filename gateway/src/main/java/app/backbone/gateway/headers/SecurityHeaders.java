package app.backbone.gateway.headers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.http.RequestIds;
import app.backbone.common.http.RouteOrder;
import app.backbone.gateway.GatewayConfig;
import app.backbone.common.network.ClientAddresses;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Hardening headers on every answer, the gateway's own and the ones proxied from services alike: they are set when
 * the response head is written, so a service's answer cannot drop or double them. HSTS only when the client came over
 * TLS; never a {@code Server} banner.
 */
@ApplicationScoped
public class SecurityHeaders {

    // Names and fixed values, encoded once: they are written on every answer.
    private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence X_FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence CONTENT_SECURITY_POLICY = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("Strict-Transport-Security");
    private static final CharSequence SERVER = HttpHeaders.createOptimized("Server");
    private static final CharSequence X_POWERED_BY = HttpHeaders.createOptimized("X-Powered-By");
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);

    private final CharSequence contentSecurityPolicy;
    private final CharSequence hsts;
    private final ClientAddresses clientAddresses;

    public SecurityHeaders(GatewayConfig config, ClientAddresses clientAddresses) {
        this.contentSecurityPolicy = HttpHeaders.createOptimized(config.headers().contentSecurityPolicy());
        this.hsts = HttpHeaders.createOptimized(config.headers().hsts());
        this.clientAddresses = clientAddresses;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.SECURITY_HEADERS).handler(ctx -> {
            boolean tls = clientAddresses.cameOverTls(ctx.request());
            ctx.addHeadersEndHandler(v -> {
                MultiMap headers = ctx.response().headers();
                headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
                        .set(X_FRAME_OPTIONS, DENY)
                        .set(REFERRER_POLICY, NO_REFERRER)
                        .set(CONTENT_SECURITY_POLICY, contentSecurityPolicy)
                        .remove(SERVER)
                        .remove(X_POWERED_BY);
                String requestId = RequestIds.of(ctx);
                if (requestId != null) {
                    headers.set(X_REQUEST_ID, requestId);
                }
                if (tls) {
                    headers.set(STRICT_TRANSPORT_SECURITY, hsts);
                } else {
                    headers.remove(STRICT_TRANSPORT_SECURITY);
                }
            });
            ctx.next();
        });
    }
}
