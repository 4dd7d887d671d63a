package app.backbone.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/** Test RSA key pairs and the JWKS document (RFC 7517) that publishes their public halves, as Clerk serves its keys. */
public final class Jwks {

    /** Where Clerk serves its keys, below the issuer (or a stand-in's base URL). */
    public static final String PATH = "/.well-known/jwks.json";

    private Jwks() {
    }

    /** A new 2048-bit RSA key pair, the size Clerk signs with. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS with one RS256 signing key under {@code kid}. */
    public static String document(String kid, RSAPublicKey key) {
        return document(Map.of(kid, key));
    }

    /** A JWKS with one RS256 signing key per entry, each under its key id. */
    public static String document(Map<String, RSAPublicKey> keysById) {
        return new JsonWebKeySet(keysById.entrySet().stream().map(entry -> {
            JsonWebKey jwk = new RsaJsonWebKey(entry.getValue());
            jwk.setKeyId(entry.getKey());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            return jwk;
        }).toList()).toJson();
    }
}
