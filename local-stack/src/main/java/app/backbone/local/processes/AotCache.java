package app.backbone.local.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * JDK 25's AOT cache (JEP 483, 514, 515) for one service: classes loaded and linked, and method profiles, from an
 * earlier run of the same jar, so the next start skips that work. A run with no cache for the current build trains
 * one: the JVM writes it when the service stops. A rebuilt jar makes the cache stale (the JVM would ignore it), so the
 * build's fingerprint is kept beside the cache and a mismatch trains again. On a JDK before 25 nothing changes.
 */
public final class AotCache {

    /** The first JDK whose {@code -XX:AOTCacheOutput} trains and writes a cache in one run (JEP 514). */
    static final int FIRST_JDK = 25;

    private final Path cache;
    private final Path fingerprintFile;
    private final String fingerprint;

    private AotCache(Path cache, Path fingerprintFile, String fingerprint) {
        this.cache = cache;
        this.fingerprintFile = fingerprintFile;
        this.fingerprint = fingerprint;
    }

    /** The cache of the service built in {@code appDir} ({@code target/quarkus-app}), kept in {@code cacheDir}. */
    public static AotCache of(Path cacheDir, String module, Path appDir) {
        return new AotCache(cacheDir.resolve(module + ".aot"), cacheDir.resolve(module + ".aot.build"),
                fingerprint(appDir));
    }

    public static boolean supported(int jdkFeatureVersion) {
        return jdkFeatureVersion >= FIRST_JDK;
    }

    /** True when a cache exists and was trained on this very build. */
    public boolean usable() {
        try {
            return Files.isRegularFile(cache) && Files.isRegularFile(fingerprintFile)
                    && Files.readString(fingerprintFile).equals(fingerprint);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The JVM options for this start: use the cache, or train a new one (written when the service stops). A stale
     * cache is removed first, so a training run never mixes with an old build.
     */
    public List<String> jvmOptions() {
        if (usable()) {
            return List.of("-XX:AOTCache=" + cache);
        }
        try {
            Files.createDirectories(cache.getParent());
            Files.deleteIfExists(cache);
            Files.writeString(fingerprintFile, fingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the AOT cache in " + cache.getParent(), e);
        }
        return List.of("-XX:AOTCacheOutput=" + cache);
    }

    public Path file() {
        return cache;
    }

    /** Every file of the build by relative path, size and modification time. */
    static String fingerprint(Path appDir) {
        try (Stream<Path> files = Files.walk(appDir)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            files.filter(Files::isRegularFile).sorted().forEach(file -> {
                try {
                    String entry = appDir.relativize(file) + " " + Files.size(file) + " "
                            + Files.getLastModifiedTime(file).toMillis() + "\n";
                    digest.update(entry.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build in " + appDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
