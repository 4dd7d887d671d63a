package app.backbone.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.gateway.GatewayConfig;

/**
 * The configured routes, longest prefix first, so the most specific route serves a path; among routes of one prefix,
 * those naming methods come first, so the rest of the methods fall through to the route without any.
 */
@ApplicationScoped
public class RouteTable {

    private final List<Route> routes;

    public RouteTable(GatewayConfig config) {
        this.routes = build(config);
    }

    /** The most specific route serving the method and path; a route naming other methods is passed over. */
    public Optional<Route> match(String method, String path) {
        for (Route route : routes) {
            if (route.serves(method, path)) {
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
            Set<String> methods = new TreeSet<>();
            for (String method : route.methods().orElse(Set.of())) {
                String upper = method.trim().toUpperCase(Locale.ROOT);
                if (!upper.matches("[A-Z]{3,7}")) {
                    problems.add("gateway.routes." + name + ".methods names something that is not an HTTP method: " + method);
                }
                methods.add(upper);
            }
            built.add(new Route(name, prefix, upstream, route.auth(), route.rateLimit(), route.bodyLimit().asLongValue(),
                    route.cors(), methods));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The gateway route table is invalid:\n  " + String.join("\n  ", problems));
        }
        built.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()
                .thenComparing(r -> r.methods().isEmpty()));
        return List.copyOf(built);
    }
}
