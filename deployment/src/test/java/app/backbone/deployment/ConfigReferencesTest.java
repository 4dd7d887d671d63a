package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The derivation the deployment checks rest on: which variables a configuration requires or merely reads. */
class ConfigReferencesTest {

    @Test
    void anExpressionWithoutDefaultIsRequiredAndNestedDefaultsAreSeen() {
        assertEquals(List.of(new ConfigReferences.Reference("quarkus.datasource.reactive.url", true),
                        new ConfigReferences.Reference("DATABASE_URL", false)),
                ConfigReferences.parse("${quarkus.datasource.reactive.url:${DATABASE_URL}}"));
        assertEquals(List.of(new ConfigReferences.Reference("REDIS_URL", true)), ConfigReferences.parse("${REDIS_URL:}"));
        assertEquals(List.of(new ConfigReferences.Reference("A", false), new ConfigReferences.Reference("B", true)),
                ConfigReferences.parse("x${A}y${B:z}"));
        assertEquals(List.of(), ConfigReferences.parse("plain ${unterminated"));
    }

    @Test
    void productionRequiresProdAndUnprofiledValuesWithoutDefault() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("a.key", "${OPTIONAL:x}");
        properties.put("%prod.a.key", "${NEEDED}");
        properties.put("%dev,prod.b.key", "${ALSO_NEEDED}");
        properties.put("c.key", "${EVERY_PROFILE}");
        properties.put("d.key", "${OVERRIDDEN}");
        properties.put("%prod.d.key", "fixed");
        properties.put("%test.e.key", "${TEST_ONLY}");
        properties.put("f.key", "${some.property}");
        assertEquals(Set.of("NEEDED", "ALSO_NEEDED", "EVERY_PROFILE"), ConfigReferences.requiredInProduction(properties));
        assertEquals(Set.of("OPTIONAL", "NEEDED", "ALSO_NEEDED", "EVERY_PROFILE", "OVERRIDDEN", "TEST_ONLY"),
                ConfigReferences.referenced(properties));
    }

    @Test
    void theServicesDeclareWhatTheDesignPromises() {
        // The data services stop without a database and a mail sender in production (common-data's DataSettings).
        for (Project.Service service : Project.services()) {
            if (service.usesCommonData()) {
                assertTrue(service.requiredVariables().containsAll(Set.of("DATABASE_URL", "SMTP_HOST", "SMTP_FROM")),
                        service.name() + " requires " + service.requiredVariables());
            }
        }
        assertTrue(Project.service("contact-service").requiredVariables().contains("ADMIN_EMAIL"));
        assertTrue(Project.service("contact-service").referencedVariables().contains("COMPANY_NAME"),
                "COMPANY_NAME is read from common-data's Java mapping");
    }
}
