package app.backbone.payment.notifications;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.backbone.payment.catalogue.CatalogueCache;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.customers.CustomerCache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

import java.util.Optional;

/**
 * LISTENs, on one connection, on the channels the webhook service NOTIFYs when it applies a Stripe change:
 * {@code catalogue_changed} (a product or price event) empties the catalogue cache, {@code customer_changed} (with the
 * customer id) drops that customer and every user's mapping from the customer cache. Every replica listens, so a change applied anywhere
 * reaches all of them. Each cache is bypassed while its channel is not listening, and emptied when it listens again;
 * a lost connection is retried every second.
 */
@ApplicationScoped
public class ChangeListener {

    private final CatalogueCache catalogue;
    private final CustomerCache customers;
    private final Vertx vertx;
    private final PaymentConfig config;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopping;

    public ChangeListener(CatalogueCache catalogue, CustomerCache customers, Vertx vertx, PaymentConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.catalogue = catalogue;
        this.customers = customers;
        this.vertx = vertx;
        this.config = config;
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
    }

    void start(@Observes StartupEvent event) {
        // The subscriber reconnects by itself and calls this on every loss (closeHandler only runs if it gives up):
        // notifications sent meanwhile are lost, so both caches are bypassed until the channels listen again.
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> {
                    if (retries == 0) {
                        Log.warn("Catalogue and customer notifications lost; both caches are bypassed until"
                                + " listening again");
                    }
                    catalogue.listening(false);
                    customers.listening(false);
                    return 1000L;
                });
        subscriber.channel(config.catalogue().channel())
                .handler(payload -> catalogue.invalidate("catalogue_changed " + payload))
                .subscribeHandler(() -> {
                    Log.debugf("Listening on %s", config.catalogue().channel());
                    catalogue.listening(true);
                });
        subscriber.channel(config.customers().channel())
                .handler(payload -> {
                    if (payload == null || payload.isEmpty()) {
                        customers.invalidateAll("customer_changed without an id");
                    } else {
                        customers.invalidate(payload);
                    }
                })
                .subscribeHandler(() -> {
                    Log.debugf("Listening on %s", config.customers().channel());
                    customers.listening(true);
                });
        subscriber.closeHandler(() -> {
            catalogue.listening(false);
            customers.listening(false);
            if (!stopping) {
                connectLater();
            }
        });
        connect();
    }

    private void connect() {
        subscriber.connect().subscribe().with(
                ignored -> { },
                failure -> {
                    Log.warnf("Cannot listen for catalogue and customer changes yet: %s", failure.getMessage());
                    connectLater();
                });
    }

    private void connectLater() {
        if (!stopping && subscriber.closed()) {
            vertx.setTimer(1000, id -> {
                if (!stopping && subscriber.closed()) {
                    connect();
                }
            });
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (subscriber != null) {
            subscriber.close().subscribe().with(ignored -> { }, failure -> { });
        }
    }
}
