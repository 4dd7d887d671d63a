package app.backbone.local.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void mailPagePortOfTheStackDoesNotOverrideTheServicePort() {
        Map<String, String> environment = new HashMap<>(Map.of("QUARKUS_HTTP_PORT", "28026", "HOME", "/root"));

        ServiceProcess.configure(environment, Map.of("DATABASE_URL", "postgresql://localhost/backbone"), 28081,
                29081);

        assertEquals("28081", environment.get("PORT"));
        assertEquals("29081", environment.get("MANAGEMENT_PORT"));
        assertFalse(environment.containsKey("QUARKUS_HTTP_PORT"));
        assertEquals("postgresql://localhost/backbone", environment.get("DATABASE_URL"));
        assertEquals("/root", environment.get("HOME"));
    }
}
