package app.backbone.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/** Gives every request an id before anything else runs: kept from {@code X-Request-Id}, returned, logged. */
@ApplicationScoped
public class RequestIdHandler {

    void install(@Observes Router router) {
        router.route().order(RouteOrder.REQUEST_ID).handler(ctx -> {
            String id = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
            ctx.put(RequestIds.CONTEXT_KEY, id);
            ctx.response().putHeader(RequestIds.HEADER, id);
            MDC.put(RequestIds.MDC_KEY, id);
            ctx.next();
        });
    }
}
