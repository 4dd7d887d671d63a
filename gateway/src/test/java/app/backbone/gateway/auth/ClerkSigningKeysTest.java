package app.backbone.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.TestKeys;
import app.backbone.testing.Jwks;

class ClerkSigningKeysTest {

    private final KeyPair pair = Jwks.newKeyPair();

    @Test
    void pemKeyIsReadAsIs() {
        assertEquals(pair.getPublic(), ClerkSigningKeys.parsePem(TestKeys.pem((RSAPublicKey) pair.getPublic())));
    }

    @Test
    void pemKeyFlattenedWithLiteralBackslashNIsRead() {
        String flattened = TestKeys.pem((RSAPublicKey) pair.getPublic()).replace("\n", "\\n");
        assertEquals(pair.getPublic(), ClerkSigningKeys.parsePem(flattened));
    }

    @Test
    void somethingElseIsRefusedAtStart() {
        assertThrows(IllegalStateException.class, () -> ClerkSigningKeys.parsePem("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"));
    }

    @Test
    void jwksKeysAreIndexedByKid() {
        Map<String, PublicKey> keys = ClerkSigningKeys.parseJwks(Jwks.document("k1", (RSAPublicKey) pair.getPublic()));
        assertEquals(pair.getPublic(), keys.get("k1"));
    }
}
