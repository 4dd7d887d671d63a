package app.backbone.common.network;

import java.util.List;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who is really calling: the peer's address, or, when the peer is a trusted proxy, the right-most address in
 * {@code X-Forwarded-For} (over every such header) that is not one of our own proxies. Headers from anyone else are
 * ignored, so a client can choose neither its rate-limit key nor its place on an allow-list.
 */
public class ClientAddresses {

    private final List<AddressRange> trustedProxies;

    /** {@code trustedProxies}: IP addresses or CIDR ranges; blank entries are ignored, anything else unparsable throws. */
    public ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream()
                .filter(s -> s != null && !s.isBlank())
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

    /** The same from a peer address and every {@code X-Forwarded-For} header, in the order received. */
    public String clientIp(String peer, List<String> forwardedFor) {
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

    public boolean cameOverTls(boolean directTls, String peer, String forwardedProto) {
        if (directTls) {
            return true;
        }
        if (forwardedProto == null || !isTrusted(peer)) {
            return false;
        }
        return forwardedProto.split(",")[0].trim().equalsIgnoreCase("https");
    }

    public boolean isTrusted(String address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
