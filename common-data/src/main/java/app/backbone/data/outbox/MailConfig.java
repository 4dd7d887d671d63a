package app.backbone.data.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What every outgoing mail shares. */
@ConfigMapping(prefix = "mail")
public interface MailConfig {

    /** The name that signs customer mails ({@code COMPANY_NAME}). */
    @WithDefault("${COMPANY_NAME:The team}")
    String companyName();
}
