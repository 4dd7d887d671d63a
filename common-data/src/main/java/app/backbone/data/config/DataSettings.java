package app.backbone.data.config;

import io.smallrye.config.ConfigMapping;

/**
 * The settings every data service needs. Declared as a mapping so that, in production, a missing one is reported at
 * start together with every other missing setting, in one message, before anything connects.
 */
@ConfigMapping(prefix = "backbone.data")
public interface DataSettings {

    /** The database: {@code DATABASE_URL}, or the Quarkus datasource URL. */
    String databaseUrl();

    /** The SMTP server: {@code SMTP_HOST}, or {@code quarkus.mailer.host}. */
    String smtpHost();

    /** The sender of every mail: {@code SMTP_FROM}, or {@code quarkus.mailer.from}. */
    String smtpFrom();
}
