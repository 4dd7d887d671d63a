package app.backbone.data.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the e-mail outbox is dispatched. */
@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    /** Whether this service runs a dispatcher. Every replica may: claims never overlap. */
    @WithDefault("true")
    boolean dispatcherEnabled();

    /** How often a dispatcher looks for due mail (scheduler syntax, e.g. {@code 1s}); its schedule reads it. */
    @WithDefault("1s")
    String pollInterval();

    /** How often the queue metrics are refreshed from the database; their schedule reads it. */
    @WithDefault("15s")
    String statsInterval();

    /** How many due mails one poll claims. */
    @WithDefault("20")
    int batchSize();

    /** Attempts before a mail is marked failed. */
    @WithDefault("8")
    int maxAttempts();

    /** The wait after the first failure; it doubles after each later one. */
    @WithDefault("10s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** How long a claimed mail stays invisible to other dispatchers; a dispatcher that dies mid-send gives it back. */
    @WithDefault("2m")
    Duration claimLease();
}
