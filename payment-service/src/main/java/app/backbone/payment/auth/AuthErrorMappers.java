package app.backbone.payment.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.errors.ErrorResponses;
import app.backbone.common.http.HttpFailureHandler;
import app.backbone.common.http.RequestIds;
import app.backbone.common.http.RouteOrder;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers authentication failures in the common envelope: 401 UNAUTHORIZED for a missing, malformed, expired or
 * foreign token (never a redirect or a bare challenge), 403 FORBIDDEN for a refused identity.
 */
@ApplicationScoped
public class AuthErrorMappers {

    private static final String MESSAGE = "A valid Clerk session token is required";

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.UNAUTHORIZED, MESSAGE, RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response authenticationIncomplete(AuthenticationCompletionException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.UNAUTHORIZED, MESSAGE, RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.UNAUTHORIZED, MESSAGE, RequestIds.of(ctx));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.FORBIDDEN, "This identity may not use this route", RequestIds.of(ctx));
    }

    /** A failure raised by the HTTP security layer itself, before any resource runs, gets the same envelope. */
    void install(@Observes Router router) {
        router.route().order(RouteOrder.AUTH_FAILURE_ENVELOPE).failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                    || failure instanceof AuthenticationCompletionException || ctx.statusCode() == 401) {
                HttpFailureHandler.write(ctx, ErrorCode.UNAUTHORIZED, MESSAGE);
                return;
            }
            ctx.next();
        });
    }
}
