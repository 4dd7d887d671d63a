package app.backbone.local.clerk;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * A development stand-in for Clerk: an RSA key pair kept in the data folder, its JWKS served where Clerk serves one,
 * and session tokens shaped like Clerk's (RS256, {@code iss}, {@code sub}, {@code azp}, {@code sid}).
 */
public final class DevClerk {

    public static final String KEY_ID = "local-dev-key";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String issuer;

    private DevClerk(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey, String issuer) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.issuer = issuer;
    }

    /** Loads the key kept in {@code keyFile}, or makes and keeps a new one. */
    public static DevClerk load(Path keyFile, String issuer) {
        try {
            RSAPrivateCrtKey key;
            if (Files.exists(keyFile)) {
                byte[] der = Base64.getMimeDecoder().decode(Files.readString(keyFile)
                        .replaceAll("-----[A-Z ]+-----", ""));
                key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                key = (RSAPrivateCrtKey) pair.getPrivate();
                Files.createDirectories(keyFile.getParent());
                // A private key: readable by its owner only, from the moment it exists.
                Files.createFile(keyFile, keyFileAttributes(keyFile));
                Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new DevClerk(key, publicKey, issuer);
        } catch (IOException | NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("Cannot load or make the development signing key " + keyFile, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] keyFileAttributes(Path keyFile) {
        if (!keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] { java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")) };
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUrl() {
        return issuer + "/.well-known/jwks.json";
    }

    /** The public key as PEM, for CLERK_JWT_KEY. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }

    public String token(String userId, String authorizedParty, Duration lifetime) {
        return Jwt.issuer(issuer).subject(userId).claim("azp", authorizedParty).claim("sid", "sess_local_dev")
                .expiresIn(lifetime).jws().keyId(KEY_ID).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(privateKey);
    }

    public JsonObject jwks() {
        JsonObject key = new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KEY_ID)
                .put("n", base64Url(publicKey.getModulus())).put("e", base64Url(publicKey.getPublicExponent()));
        return new JsonObject().put("keys", new JsonArray().add(key));
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(jwks().encode()));
        return router;
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            bytes = trimmed;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
