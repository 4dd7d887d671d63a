package app.backbone.gateway.routing;

import java.net.URI;

import app.backbone.gateway.GatewayConfig.AuthMode;

/** One entry of the route table, checked and ready to use. */
public record Route(String name, String prefix, URI upstream, AuthMode auth, String rateLimitPolicy, long bodyLimitBytes,
        boolean cors) {

    /** Whether this route serves the path: the prefix itself or anything below it, on segment boundaries. */
    public boolean serves(String path) {
        if (prefix.equals("/")) {
            return true;
        }
        return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
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
