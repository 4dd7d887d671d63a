package app.backbone.webhook.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ClerkKeyConfigSourceTest {

    @Test
    void pemInClerkJwtKeyBecomesTheVerificationKey() {
        var source = new ClerkKeyConfigSource(Map.of("CLERK_JWT_KEY", "  -----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n")::get);
        assertEquals("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", source.getValue("mp.jwt.verify.publickey"));
    }

    @Test
    void missingOrBlankClerkJwtKeyLeavesTheJwksUrlInCharge() {
        assertNull(new ClerkKeyConfigSource(Map.<String, String>of()::get).getValue("mp.jwt.verify.publickey"));
        assertEquals(0, new ClerkKeyConfigSource(Map.of("CLERK_JWT_KEY", " ")::get).getPropertyNames().size());
    }
}
