package app.backbone.common.http;

import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;

/** The request id: the caller's {@code X-Request-Id} when it is sane, a new UUID otherwise. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String CONTEXT_KEY = "requestId";
    public static final String MDC_KEY = "requestId";

    // A caller's id is echoed into logs and headers: keep it short and free of anything that could forge a log line.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    public static String accept(String fromHeader) {
        if (fromHeader != null && SAFE.matcher(fromHeader).matches()) {
            return fromHeader;
        }
        return UUID.randomUUID().toString();
    }

    public static String of(RoutingContext ctx) {
        if (ctx == null) {
            return null;
        }
        String id = ctx.get(CONTEXT_KEY);
        return id != null ? id : ctx.request().getHeader(HEADER);
    }
}
