package app.backbone.contact;

import io.smallrye.config.ConfigMapping;

/** Settings of the contact form. */
@ConfigMapping(prefix = "contact")
public interface ContactConfig {

    /** Who is told about every new message ({@code ADMIN_EMAIL}). */
    String adminEmail();
}
