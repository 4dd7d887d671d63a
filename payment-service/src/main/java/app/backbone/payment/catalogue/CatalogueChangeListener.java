package app.backbone.payment.catalogue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.backbone.payment.config.PaymentConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

import java.util.Optional;

/**
 * LISTENs on the {@code catalogue_changed} channel (the webhook service NOTIFYs it when a product or price event is
 * applied) and empties the catalogue cache on every notification. A lost connection is retried every second.
 */
@ApplicationScoped
public class CatalogueChangeListener {

    private final CatalogueCache cache;
    private final Vertx vertx;
    private final PaymentConfig config;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopping;

    public CatalogueChangeListener(CatalogueCache cache, Vertx vertx, PaymentConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.cache = cache;
        this.vertx = vertx;
        this.config = config;
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> 1000L);
        subscriber.channel(config.catalogue().channel())
                .handler(payload -> cache.invalidate("catalogue_changed " + payload))
                .subscribeHandler(() -> {
                    Log.debugf("Listening on %s", config.catalogue().channel());
                    cache.listening(true);
                });
        subscriber.closeHandler(() -> {
            cache.listening(false);
            if (!stopping) {
                Log.warn("Catalogue notifications lost; the cache is bypassed until listening again");
                connectLater();
            }
        });
        connect();
    }

    private void connect() {
        subscriber.connect().subscribe().with(
                ignored -> { },
                failure -> {
                    Log.warnf("Cannot listen for catalogue changes yet: %s", failure.getMessage());
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
