package app.backbone.gateway.network;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import app.backbone.common.network.ClientAddresses;
import app.backbone.gateway.GatewayConfig;

/** The gateway's view of who is calling, trusting the proxies in {@code TRUSTED_PROXIES}. */
public class ClientAddressesProducer {

    @Produces
    @Singleton
    ClientAddresses clientAddresses(GatewayConfig config) {
        return new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }
}
