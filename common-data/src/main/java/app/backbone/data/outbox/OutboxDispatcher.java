package app.backbone.data.outbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.errors.DependencyFailures;
import app.backbone.data.config.DataSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Sends queued mail. Each poll claims due rows (other dispatchers skip them), renders the HTML and text templates,
 * sends, and records the outcome: sent, retried later with exponential backoff, or failed after the last attempt.
 * An SMTP outage only delays mail: the rows wait in the database until the server answers again.
 */
// Created at start, not at the scheduler's first tick, so its gauges are in /q/metrics from the first scrape.
@Startup
@ApplicationScoped
public class OutboxDispatcher {

    private final OutboxRepository repository;
    private final ReactiveMailer mailer;
    private final Engine templates;
    private final OutboxConfig config;
    private final Counter sent;
    private final Counter retried;
    private final Counter failed;
    private final AtomicReference<OutboxStats> lastStats = new AtomicReference<>(new OutboxStats(0, 0, 0));

    public OutboxDispatcher(OutboxRepository repository, ReactiveMailer mailer, Engine templates, OutboxConfig config,
            DataSettings settings, MeterRegistry registry) {
        Log.infof("Outbox mail goes through %s as %s", settings.smtpHost(), settings.smtpFrom());
        this.repository = repository;
        this.mailer = mailer;
        this.templates = templates;
        this.config = config;
        this.sent = Counter.builder("outbox.mails.sent").description("Mails sent from the outbox").register(registry);
        this.retried = Counter.builder("outbox.mails.retried").description("Failed attempts that will be retried")
                .register(registry);
        this.failed = Counter.builder("outbox.mails.failed").description("Mails given up after the last attempt")
                .register(registry);
        // Strong references: a weakly held state object collected (after a restart in one JVM, as tests do) would
        // leave the gauge NaN, and the Prometheus endpoint drops it.
        Gauge.builder("outbox.mails.pending", lastStats, s -> s.get().pending())
                .description("Mails waiting to be sent").strongReference(true).register(registry);
        Gauge.builder("outbox.mails.failed.current", lastStats, s -> s.get().failed())
                .description("Mails in the failed state").strongReference(true).register(registry);
        Gauge.builder("outbox.oldest.pending.age.seconds", lastStats, s -> s.get().oldestPendingAgeSeconds())
                .description("Age of the oldest mail still waiting").strongReference(true).register(registry);
    }

    @Scheduled(every = "${outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = DispatcherDisabled.class)
    Uni<Void> poll() {
        return dispatchDue()
                .onFailure().invoke(e -> Log.warnf("Outbox poll failed: %s", DependencyFailures.describe(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${outbox.stats-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshStats() {
        return repository.stats().invoke(lastStats::set)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims and sends one batch of due mail; answers how many were claimed. */
    public Uni<Integer> dispatchDue() {
        return repository.claimDue(config.batchSize(), config.claimLease())
                .flatMap(entries -> Multi.createFrom().iterable(entries)
                        .onItem().transformToUniAndConcatenate(this::deliver)
                        .collect().last()
                        .replaceWith(entries.size()));
    }

    private Uni<Void> deliver(OutboxEntry entry) {
        return Uni.createFrom().deferred(() -> mailer.send(render(entry)))
                .flatMap(ignored -> repository.markSent(entry.id()).invoke(() -> sent.increment()))
                .onFailure().recoverWithUni(error -> recordFailure(entry, error));
    }

    private Mail render(OutboxEntry entry) {
        Template html = templates.getTemplate("mail/" + entry.template() + ".html");
        Template text = templates.getTemplate("mail/" + entry.template() + ".txt");
        if (html == null || text == null) {
            throw new IllegalStateException("No mail template named " + entry.template());
        }
        Mail mail = new Mail()
                .addTo(entry.to())
                .setSubject(entry.subject())
                .setHtml(html.data(entry.model().getMap()).render())
                .setText(text.data(entry.model().getMap()).render());
        if (entry.replyTo() != null) {
            mail.addReplyTo(entry.replyTo());
        }
        return mail;
    }

    private Uni<Void> recordFailure(OutboxEntry entry, Throwable error) {
        String reason = DependencyFailures.describe(error);
        if (entry.attempts() >= config.maxAttempts()) {
            Log.errorf("Mail %s to %s failed for good after %d attempts: %s", entry.id(), mask(entry.to()),
                    entry.attempts(), reason);
            return repository.markFailed(entry.id(), reason).invoke(() -> failed.increment());
        }
        Duration delay = backoff(entry.attempts());
        Log.warnf("Mail %s attempt %d failed, retrying in %s: %s", entry.id(), entry.attempts(), delay, reason);
        return repository.scheduleRetry(entry.id(), reason, delay).invoke(() -> retried.increment());
    }

    /** initialBackoff, doubled after each failed attempt, capped at maxBackoff. */
    Duration backoff(int attempts) {
        long factor = 1L << Math.min(attempts - 1, 30);
        Duration delay = config.initialBackoff().multipliedBy(factor);
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private static String mask(String address) {
        int at = address.indexOf('@');
        return at <= 1 ? "***" + address.substring(Math.max(at, 0)) : address.charAt(0) + "***" + address.substring(at);
    }

    /** Skips polling where {@code outbox.dispatcher-enabled=false}. */
    @ApplicationScoped
    public static class DispatcherDisabled implements Scheduled.SkipPredicate {
        private final OutboxConfig config;

        public DispatcherDisabled(OutboxConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.dispatcherEnabled();
        }
    }
}
