package app.backbone.webhook.paystack;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.webhook.WebhookConfig;

/**
 * The address a request really came from: the connection's peer, or, when that peer is a trusted proxy, the
 * right-most {@code X-Forwarded-For} hop that is not itself a trusted proxy (the hops left of it are the client's to
 * forge).
 */
@ApplicationScoped
public class ClientAddresses {

    private final List<AddressRange> trustedProxies;

    public ClientAddresses(WebhookConfig config) {
        this.trustedProxies = config.trustedProxies().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(AddressRange::parse).toList();
    }

    public String clientOf(String peerAddress, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peerAddress)) {
            return peerAddress;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return hops[0].strip();
    }

    private boolean isTrusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }
}
