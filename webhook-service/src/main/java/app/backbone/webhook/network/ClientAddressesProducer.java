package app.backbone.webhook.network;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import app.backbone.common.network.ClientAddresses;
import app.backbone.webhook.WebhookConfig;

/** The webhook-service's view of who is calling, trusting the proxies in {@code TRUSTED_PROXIES}. */
public class ClientAddressesProducer {

    @Produces
    @Singleton
    ClientAddresses clientAddresses(WebhookConfig config) {
        return new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }
}
