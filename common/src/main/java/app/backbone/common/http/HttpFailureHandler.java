package app.backbone.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.ErrorEnvelope;
import app.backbone.common.errors.ErrorMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers in the common envelope for failures decided by the HTTP layer before any resource runs: a body over the
 * size limit, a path no route serves, a method a route does not take. Requests refused before the router sees
 * them cannot be answered here: those the HTTP decoder rejects (a header over the limit: 431, a request line over
 * the limit: 414, a control character in a header: 400), because Quarkus does not let an application set the Vert.x
 * server's invalid-request handler; and those whose URI {@code java.net.URI} cannot parse ({@code /verify/%zz}: 400),
 * which Quarkus's root handler refuses before routing. They get a bare status and a closed connection.
 */
@ApplicationScoped
public class HttpFailureHandler {

    private final long maxBodyBytes;

    public HttpFailureHandler(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        // A declared length over the limit is refused here, in the envelope, before a byte of the body is read.
        router.route().order(RouteOrder.DECLARED_BODY_LIMIT).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && isOver(length)) {
                ctx.response().putHeader("Connection", "close");
                write(ctx, ErrorCode.PAYLOAD_TOO_LARGE, message(ErrorCode.PAYLOAD_TOO_LARGE));
                return;
            }
            ctx.next();
        });
        router.route().order(RouteOrder.FAILURE_ENVELOPE).failureHandler(ctx -> {
            ErrorCode code = switch (ctx.statusCode()) {
                case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                case 404 -> ErrorCode.NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                default -> null;
            };
            if (code == null || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            write(ctx, code, message(code));
        });
        router.errorHandler(404, ctx -> write(ctx, ErrorCode.NOT_FOUND, message(ErrorCode.NOT_FOUND)));
        router.errorHandler(405, ctx -> write(ctx, ErrorCode.METHOD_NOT_ALLOWED, message(ErrorCode.METHOD_NOT_ALLOWED)));
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static void write(RoutingContext ctx, ErrorCode code, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        ErrorMetrics.count(code);
        ctx.response()
                .setStatusCode(code.status())
                .putHeader("Content-Type", "application/json")
                .end(ErrorEnvelope.of(code, message, null, RequestIds.of(ctx)).toJson().encode());
    }

    private static String message(ErrorCode code) {
        return switch (code) {
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this route accepts";
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> "This method is not allowed here";
            default -> code.name();
        };
    }
}
