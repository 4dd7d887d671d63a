package app.backbone.gateway.support;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/** Test RSA keys, passed from the test resource to the tests as base64 PKCS#8 through configuration. */
public final class TestKeys {

    public static final String PRIMARY_KID = "test-key-1";
    public static final String ROTATED_KID = "test-key-2";

    private TestKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PrivateKey decode(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAPublicKey publicOf(PrivateKey key) {
        try {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
            BigInteger modulus = crt.getModulus();
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, crt.getPublicExponent()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS document with the public halves of these keys, each under its key id (kid, key, kid, key...). */
    public static String jwks(Object... kidsAndKeys) {
        List<org.jose4j.jwk.JsonWebKey> keys = new ArrayList<>();
        for (int i = 0; i < kidsAndKeys.length; i += 2) {
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) kidsAndKeys[i + 1]);
            jwk.setKeyId((String) kidsAndKeys[i]);
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            keys.add(jwk);
        }
        return new JsonWebKeySet(keys).toJson();
    }

    public static String pem(RSAPublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
