package app.backbone.gateway.auth;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.gateway.cors.CorsPolicy;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Clerk's browser SDK on the same site as the API sends the session token in the {@code __session} cookie, not in
 * {@code Authorization}. A browser attaches a cookie to requests other sites make too, so the cookie is taken only
 * from a same-site request (Clerk's CSRF guidance): never when {@code Sec-Fetch-Site} says cross-site or an
 * {@code Origin} is not one of {@code CORS_ORIGINS}, and for a method that changes something only when the request
 * proves where it comes from (an allowed {@code Origin}, or {@code Sec-Fetch-Site} same-origin / same-site). The
 * {@code Authorization} header, when present, always wins.
 */
@ApplicationScoped
public class SessionCookie {

    public static final String NAME = "__session";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> SAME_SITE = Set.of("same-origin", "same-site");

    private final CorsPolicy cors;

    public SessionCookie(CorsPolicy cors) {
        this.cors = cors;
    }

    /** The cookie's token, when the request has no Authorization header and may use the cookie. */
    public Optional<String> token(HttpServerRequest request) {
        if (request.getHeader("Authorization") != null) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookie(NAME);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().isBlank()) {
            return Optional.empty();
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        if (fetchSite != null && !SAME_SITE.contains(fetchSite) && !"none".equals(fetchSite)) {
            return Optional.empty();
        }
        boolean allowedOrigin = origin != null && cors.allows(origin);
        if (origin != null && !allowedOrigin) {
            return Optional.empty();
        }
        if (!SAFE.contains(request.method()) && !allowedOrigin && (fetchSite == null || !SAME_SITE.contains(fetchSite))) {
            return Optional.empty();
        }
        return Optional.of(cookie.getValue().trim());
    }
}
