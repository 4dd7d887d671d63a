package app.backbone.contact;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.outbox.MailConfig;
import app.backbone.data.outbox.Outbox;
import app.backbone.data.outbox.OutboxMail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Checks the CAPTCHA (when one is configured), then stores a contact submission and queues its mails in the same
 * transaction: the notification to the owner, and a confirmation to the sender unless the address had enough today.
 */
@ApplicationScoped
public class ContactService {

    private final Pool pool;
    private final ContactRepository contacts;
    private final Outbox outbox;
    private final ContactConfig config;
    private final MailConfig mail;
    private final CaptchaVerifier captcha;
    private final Counter received;
    private final Counter dropped;
    private final Counter capped;

    public ContactService(Pool pool, ContactRepository contacts, Outbox outbox, ContactConfig config,
            MailConfig mail, CaptchaVerifier captcha, MeterRegistry registry) {
        this.captcha = captcha;
        this.pool = pool;
        this.contacts = contacts;
        this.outbox = outbox;
        this.config = config;
        this.mail = mail;
        this.received = Counter.builder("contacts.received").description("Contact submissions stored")
                .register(registry);
        this.dropped = Counter.builder("contacts.honeypot").description("Submissions dropped by the honeypot")
                .register(registry);
        this.capped = Counter.builder("contacts.confirmations.capped")
                .description("Confirmations not sent: the address had its daily number already").register(registry);
    }

    public Uni<Contact> submit(ContactRequest request) {
        String name = request.name().strip();
        String email = request.email().strip();
        String message = request.message().strip();
        if (request.isFromBot()) {
            // Answer as if stored, so the bot learns nothing; keep nothing and send nothing.
            Log.info("Contact submission dropped by the honeypot");
            dropped.increment();
            return Uni.createFrom().item(new Contact(UUID.randomUUID(), name, email, message,
                    OffsetDateTime.now(ZoneOffset.UTC)));
        }
        return captcha.check(request.captchaToken()).flatMap(ignored -> pool.withTransaction(tx -> contacts
                .insert(tx, name, email, message)
                .call(contact -> confirmUnlessCapped(tx, contact))
                .call(contact -> outbox.enqueue(tx, notification(contact)))))
                .invoke(contact -> {
                    received.increment();
                    Log.infof("Contact %s stored", contact.id());
                });
    }

    /**
     * The confirmation goes to whatever address was typed, so it is bounded: at most the configured number per
     * address a day, and it repeats none of the sender's text but a sanitised name (the full message goes only to
     * the owner).
     */
    private Uni<Boolean> confirmUnlessCapped(SqlClient tx, Contact contact) {
        return contacts.lockAndCountConfirmations(tx, contact.email()).flatMap(sent -> {
            if (sent >= config.confirmationsPerDay()) {
                capped.increment();
                Log.infof("Contact %s: no confirmation, the address had %d today", contact.id(), sent);
                return Uni.createFrom().item(false);
            }
            return outbox.enqueue(tx, confirmation(contact));
        });
    }

    private OutboxMail confirmation(Contact contact) {
        return new OutboxMail("contact-confirmation:" + contact.id(), contact.email(), null,
                "We received your message", "contact-confirmation",
                Map.of("name", ConfirmationName.of(contact.name()), "company", mail.companyName()));
    }

    private OutboxMail notification(Contact contact) {
        return new OutboxMail("contact-notification:" + contact.id(), config.adminEmail(), contact.email(),
                "New contact message from " + contact.name(), "contact-notification",
                Map.of("name", contact.name(), "email", contact.email(), "message", contact.message(),
                        "contactId", contact.id().toString(), "receivedAt", contact.createdAt().toString()));
    }
}
