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

/** Stores a contact submission and queues its two mails in the same transaction. */
@ApplicationScoped
public class ContactService {

    private final Pool pool;
    private final ContactRepository contacts;
    private final Outbox outbox;
    private final ContactConfig config;
    private final MailConfig mail;
    private final Counter received;
    private final Counter dropped;

    public ContactService(Pool pool, ContactRepository contacts, Outbox outbox, ContactConfig config,
            MailConfig mail, MeterRegistry registry) {
        this.pool = pool;
        this.contacts = contacts;
        this.outbox = outbox;
        this.config = config;
        this.mail = mail;
        this.received = Counter.builder("contacts.received").description("Contact submissions stored")
                .register(registry);
        this.dropped = Counter.builder("contacts.honeypot").description("Submissions dropped by the honeypot")
                .register(registry);
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
        return pool.withTransaction(tx -> contacts.insert(tx, name, email, message)
                .call(contact -> outbox.enqueue(tx, confirmation(contact)))
                .call(contact -> outbox.enqueue(tx, notification(contact))))
                .invoke(contact -> {
                    received.increment();
                    Log.infof("Contact %s stored", contact.id());
                });
    }

    private OutboxMail confirmation(Contact contact) {
        return new OutboxMail("contact-confirmation:" + contact.id(), contact.email(), null,
                "We received your message", "contact-confirmation",
                Map.of("name", contact.name(), "message", contact.message(), "company", mail.companyName()));
    }

    private OutboxMail notification(Contact contact) {
        return new OutboxMail("contact-notification:" + contact.id(), config.adminEmail(), contact.email(),
                "New contact message from " + contact.name(), "contact-notification",
                Map.of("name", contact.name(), "email", contact.email(), "message", contact.message(),
                        "contactId", contact.id().toString(), "receivedAt", contact.createdAt().toString()));
    }
}
