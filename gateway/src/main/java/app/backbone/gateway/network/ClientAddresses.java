package app.backbone.gateway.network;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.backbone.gateway.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who is really calling: the peer's address, or, when the peer is a trusted proxy, the address that proxy reports in
 * {@code X-Forwarded-For}. Headers from anyone else are ignored, so a client cannot choose its own rate-limit key.
 */
@ApplicationScoped
public class ClientAddresses {

    private final List<AddressRange> trustedProxies;

    @Inject
    public ClientAddresses(GatewayConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream()
                .filter(s -> !s.isBlank())
                .map(AddressRange::parse)
                .toList();
    }

    public String peer(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    public boolean peerIsTrusted(HttpServerRequest request) {
        return isTrusted(peer(request));
    }

    /** The right-most address in the forwarding chain that is not one of our own proxies. */
    public String clientIp(HttpServerRequest request) {
        return clientIp(peer(request), request.headers().getAll("X-Forwarded-For"));
    }

    String clientIp(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer)) {
            return peer;
        }
        String client = peer;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] hops = forwardedFor.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (AddressRange.literalBytes(hop) == null) {
                    return client;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    /** Whether the client reached us over TLS, directly or through a trusted proxy that says so. */
    public boolean cameOverTls(HttpServerRequest request) {
        return cameOverTls(request.isSSL(), peer(request), request.getHeader("X-Forwarded-Proto"));
    }

    boolean cameOverTls(boolean directTls, String peer, String forwardedProto) {
        if (directTls) {
            return true;
        }
        if (forwardedProto == null || !isTrusted(peer)) {
            return false;
        }
        return forwardedProto.split(",")[0].trim().equalsIgnoreCase("https");
    }

    boolean isTrusted(String address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
