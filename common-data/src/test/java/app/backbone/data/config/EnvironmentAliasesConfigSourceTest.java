package app.backbone.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvironmentAliasesConfigSourceTest {

    @Test
    void databaseUrlGivesBothDatasourceUrlsAndTheCredentials() {
        var source = new EnvironmentAliasesConfigSource(Map.of(
                "DATABASE_URL", "postgres://app%40shop:s3cr%3At@db.example.com:6543/shop?sslmode=require")::get);

        assertEquals("postgresql://db.example.com:6543/shop?sslmode=require",
                source.getValue("quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://db.example.com:6543/shop?sslmode=require",
                source.getValue("quarkus.datasource.jdbc.url"));
        assertEquals("app@shop", source.getValue("quarkus.datasource.username"));
        assertEquals("s3cr:t", source.getValue("quarkus.datasource.password"));
    }

    @Test
    void databaseUrlWithoutPortOrCredentialsUsesTheDefaults() {
        var source = new EnvironmentAliasesConfigSource(Map.of("DATABASE_URL", "postgresql://localhost/app")::get);

        assertEquals("postgresql://localhost:5432/app", source.getValue("quarkus.datasource.reactive.url"));
        assertNull(source.getValue("quarkus.datasource.username"));
    }

    @Test
    void smtpVariablesBecomeMailerKeysAndBlankOnesAreIgnored() {
        var source = new EnvironmentAliasesConfigSource(Map.of("SMTP_HOST", "smtp.example.com", "SMTP_PORT", "587",
                "SMTP_USERNAME", " ", "SMTP_FROM", "Shop <hello@shop.example>")::get);

        assertEquals("smtp.example.com", source.getValue("quarkus.mailer.host"));
        assertEquals("587", source.getValue("quarkus.mailer.port"));
        assertEquals("Shop <hello@shop.example>", source.getValue("quarkus.mailer.from"));
        assertNull(source.getValue("quarkus.mailer.username"));
    }

    @Test
    void aDatabaseUrlOfAnotherKindIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new EnvironmentAliasesConfigSource(Map.of("DATABASE_URL", "mysql://localhost/app")::get));
    }
}
