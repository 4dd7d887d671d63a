package app.backbone.contact;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored contact submission, as answered to the client. */
public record Contact(UUID id, String name, String email, String message, OffsetDateTime createdAt) {
}
