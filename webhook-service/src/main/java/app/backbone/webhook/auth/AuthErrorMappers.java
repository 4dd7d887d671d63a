package app.backbone.webhook.auth;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.errors.ErrorResponses;
import app.backbone.common.http.RequestIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/** A missing, malformed, expired or foreign token answers 401 in the envelope: never a redirect, never a 500. */
public class AuthErrorMappers {

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, RoutingContext ctx) {
        return unauthorized(ctx);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext ctx) {
        return unauthorized(ctx);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.FORBIDDEN, "This token may not do that", RequestIds.of(ctx));
    }

    private static Response unauthorized(RoutingContext ctx) {
        return ErrorResponses.of(ErrorCode.UNAUTHORIZED, "A valid Clerk session token is required",
                RequestIds.of(ctx));
    }
}
