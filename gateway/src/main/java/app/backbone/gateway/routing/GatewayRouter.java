package app.backbone.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.http.HttpFailureHandler;
import app.backbone.common.http.RouteOrder;
import app.backbone.gateway.GatewayConfig.AuthMode;
import app.backbone.gateway.auth.ClerkTokenVerifier;
import app.backbone.gateway.auth.SessionCookie;
import app.backbone.gateway.auth.TokenRejectedException;
import app.backbone.gateway.cors.CorsPolicy;
import app.backbone.gateway.logging.AccessLog;
import app.backbone.common.network.ClientAddresses;
import app.backbone.gateway.ratelimit.RateLimitDecision;
import app.backbone.gateway.ratelimit.RateLimitPolicy;
import app.backbone.gateway.ratelimit.RateLimiter;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway's request pipeline for every path of the route table: route match, CORS, body limit, Clerk token,
 * rate limit, then the proxy. {@code GET /} is left to {@link GatewayStatus} once the origin is allowed; {@code /q/...}
 * (health, metrics) lives only on the management interface, so the public port answers it 404 in the envelope.
 */
@ApplicationScoped
public class GatewayRouter {

    // Sent on every answer: encoded once.
    private static final CharSequence RATE_LIMIT_POLICY = HttpHeaders.createOptimized("RateLimit-Policy");
    private static final CharSequence RATE_LIMIT = HttpHeaders.createOptimized("RateLimit");

    private final RouteTable routes;
    private final CorsPolicy cors;
    private final ClerkTokenVerifier tokens;
    private final RateLimiter rateLimiter;
    private final ClientAddresses clientAddresses;
    private final UpstreamProxy proxy;
    private final SessionCookie sessionCookie;

    public GatewayRouter(RouteTable routes, CorsPolicy cors, ClerkTokenVerifier tokens, RateLimiter rateLimiter,
            ClientAddresses clientAddresses, UpstreamProxy proxy, SessionCookie sessionCookie) {
        this.sessionCookie = sessionCookie;
        this.routes = routes;
        this.cors = cors;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.clientAddresses = clientAddresses;
        this.proxy = proxy;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.GATEWAY_PIPELINE).handler(this::dispatch);
    }

    void dispatch(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        MetricsUri.tag(ctx, MetricsUri.UNMATCHED);
        if (path == null) {
            ctx.next();
            return;
        }
        if (path.equals("/")) {
            MetricsUri.tag(ctx, "/");
            // The status answer obeys the same origin allow-list as every route.
            if (cors.judge(request) == CorsPolicy.Verdict.FORBIDDEN) {
                refuse(ctx, ErrorCode.FORBIDDEN, "This origin may not call the API");
                return;
            }
            ctx.next();
            return;
        }
        if (path.equals("/q") || path.startsWith("/q/")) {
            HttpFailureHandler.write(ctx, ErrorCode.NOT_FOUND, "No such resource");
            return;
        }
        if (!isPlainPath(path, ctx.normalizedPath())) {
            HttpFailureHandler.write(ctx, ErrorCode.VALIDATION_ERROR,
                    "The path must not contain dot segments, encoded slashes or dots, backslashes or ';'");
            return;
        }
        Optional<Route> match = routes.match(request.method().name(), path);
        if (match.isEmpty()) {
            HttpFailureHandler.write(ctx, ErrorCode.NOT_FOUND, "No such resource");
            return;
        }
        Route route = match.get();
        ctx.put(AccessLog.ROUTE_KEY, route.name());
        MetricsUri.tag(ctx, MetricsUri.of(route, path));
        // Nothing may read the body before the proxy streams it, and the checks below may wait on Clerk or Redis.
        request.pause();

        if (route.cors() && answeredByCors(ctx)) {
            return;
        }

        if (BodySizeGuard.declaredLength(request) > route.bodyLimitBytes()) {
            // Closing spares us reading a body we refuse.
            ctx.response().putHeader("Connection", "close");
            HttpFailureHandler.write(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than this route accepts");
            return;
        }

        String authorization = request.getHeader("Authorization");
        if (authorization == null && route.auth() != AuthMode.NONE) {
            Optional<String> cookieToken = sessionCookie.token(request);
            if (cookieToken.isPresent()) {
                // Checked exactly like the header, and handed to the service in the header it reads.
                authorization = "Bearer " + cookieToken.get();
                request.headers().set("Authorization", authorization);
            }
        }
        tokens.authenticate(authorization, route.auth()).onComplete(auth -> {
            if (auth.failed()) {
                rejectToken(ctx, route, auth.cause());
                return;
            }
            Optional<String> user = auth.result();
            user.ifPresent(id -> ctx.put(AccessLog.USER_KEY, id));
            limitThenForward(ctx, route, user);
        });
    }

    /** Applies the origin allow-list; true when the gateway has answered (refusal or preflight). */
    private boolean answeredByCors(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        switch (cors.judge(request)) {
            case FORBIDDEN -> {
                refuse(ctx, ErrorCode.FORBIDDEN, "This origin may not call the API");
                return true;
            }
            case PREFLIGHT -> {
                ctx.addHeadersEndHandler(v -> cors.decorate(request, ctx.response()));
                request.resume();
                cors.answerPreflight(ctx.response());
                return true;
            }
            case ALLOWED -> {
                ctx.addHeadersEndHandler(v -> cors.decorate(request, ctx.response()));
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private void limitThenForward(RoutingContext ctx, Route route, Optional<String> user) {
        RateLimitPolicy policy = rateLimiter.policy(route.rateLimitPolicy());
        List<String> subjects = rateLimiter.subjects(policy, clientAddresses.clientIp(ctx.request()), user);
        rateLimiter.take(policy, subjects, ctx.vertx().getOrCreateContext()).onComplete(decision -> {
            if (decision.failed()) {
                Log.errorf(decision.cause(), "Rate limit could not be checked on route %s", route.name());
                refuse(ctx, ErrorCode.SERVICE_UNAVAILABLE, "The service is unavailable, try again shortly");
                return;
            }
            RateLimitDecision d = decision.result();
            HttpServerResponse response = ctx.response();
            response.headers()
                    .set(RATE_LIMIT_POLICY, rateLimiter.policyHeader(policy))
                    .set(RATE_LIMIT, "limit=" + d.limit() + ", remaining=" + d.remaining() + ", reset=" + d.resetSeconds());
            if (!d.allowed()) {
                response.putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
                refuse(ctx, ErrorCode.RATE_LIMITED, "Too many requests, retry after "
                        + d.retryAfterSeconds() + " s");
                return;
            }
            proxy.forward(ctx, route);
        });
    }

    private static void rejectToken(RoutingContext ctx, Route route, Throwable cause) {
        if (cause instanceof TokenRejectedException) {
            Log.debugf("Token rejected on route %s: %s", route.name(), cause.getMessage());
        } else {
            Log.errorf(cause, "Token check failed unexpectedly on route %s", route.name());
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\"");
        refuse(ctx, ErrorCode.UNAUTHORIZED, route.auth() == AuthMode.REQUIRED && ctx.request().getHeader("Authorization") == null
                ? "A Clerk session token is required"
                : "The session token is missing, malformed, expired or not from Clerk");
    }

    /** Answers an error before the body was read; the unread body is drained so the connection stays usable. */
    private static void refuse(RoutingContext ctx, ErrorCode code, String message) {
        ctx.request().resume();
        HttpFailureHandler.write(ctx, code, message);
    }

    /** Rejects paths a service could read differently from us, so no prefix check can be side-stepped. */
    private static boolean isPlainPath(String path, String normalized) {
        if (!path.equals(normalized)) {
            return false;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        return !(lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
                || lower.contains(";") || lower.contains("//"));
    }
}
