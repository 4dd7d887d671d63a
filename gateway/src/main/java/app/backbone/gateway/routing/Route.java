package app.backbone.gateway.routing;

import java.net.URI;
import java.util.Set;

import app.backbone.gateway.GatewayConfig.AuthMode;

/** One entry of the route table, checked and ready to use; {@code methods} empty means every method. */
public record Route(String name, String prefix, URI upstream, AuthMode auth, String rateLimitPolicy, long bodyLimitBytes,
        boolean cors, Set<String> methods) {

    public Route {
        methods = Set.copyOf(methods);
    }

    /** Whether this route serves the path: the prefix itself or anything below it, on segment boundaries. */
    public boolean serves(String path) {
        if (prefix.equals("/")) {
            return true;
        }
        return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
    }

    /** Whether this route serves the request: its path, and its method when the route names methods. */
    public boolean serves(String method, String path) {
        return (methods.isEmpty() || methods.contains(method)) && serves(path);
    }

    public boolean upstreamUsesTls() {
        return "https".equalsIgnoreCase(upstream.getScheme());
    }

    public int upstreamPort() {
        return upstream.getPort() > 0 ? upstream.getPort() : (upstreamUsesTls() ? 443 : 80);
    }

    /** Path prepended to the forwarded path when the upstream URL has one, without a trailing slash. */
    public String upstreamBasePath() {
        String path = upstream.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
