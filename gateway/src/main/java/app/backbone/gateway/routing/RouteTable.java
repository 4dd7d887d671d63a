package app.backbone.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.gateway.GatewayConfig;

/** The configured routes, longest prefix first, so the most specific route serves a path. */
@ApplicationScoped
public class RouteTable {

    private final List<Route> routes;

    public RouteTable(GatewayConfig config) {
        this.routes = build(config);
    }

    public Optional<Route> match(String path) {
        for (Route route : routes) {
            if (route.serves(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> all() {
        return routes;
    }

    private static List<Route> build(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        List<Route> built = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.Route> entry : config.routes().entrySet()) {
            String name = entry.getKey();
            GatewayConfig.Route route = entry.getValue();
            String prefix = route.prefix().trim();
            if (!prefix.startsWith("/") || prefix.contains("//") || prefix.contains("..")) {
                problems.add("gateway.routes." + name + ".prefix must be an absolute path without '..' or '//': " + prefix);
                continue;
            }
            if (prefix.length() > 1 && prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            URI upstream;
            try {
                upstream = URI.create(route.upstream().trim());
            } catch (IllegalArgumentException e) {
                problems.add("gateway.routes." + name + ".upstream is not a URL: " + route.upstream());
                continue;
            }
            if (upstream.getHost() == null || !("http".equalsIgnoreCase(upstream.getScheme()) || "https".equalsIgnoreCase(upstream.getScheme()))) {
                problems.add("gateway.routes." + name + ".upstream must be an http(s) URL with a host: " + route.upstream());
                continue;
            }
            if (!config.rateLimit().policies().containsKey(route.rateLimit())) {
                problems.add("gateway.routes." + name + ".rate-limit names an unknown policy: " + route.rateLimit());
                continue;
            }
            built.add(new Route(name, prefix, upstream, route.auth(), route.rateLimit(), route.bodyLimit().asLongValue(),
                    route.cors()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The gateway route table is invalid:\n  " + String.join("\n  ", problems));
        }
        built.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        return List.copyOf(built);
    }
}
