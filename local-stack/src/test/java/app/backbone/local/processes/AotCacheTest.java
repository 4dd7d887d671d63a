package app.backbone.local.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void onlyJdk25AndLaterHaveTheCache() {
        assertFalse(AotCache.supported(17));
        assertFalse(AotCache.supported(24));
        assertTrue(AotCache.supported(25));
    }

    @Test
    void firstRunOfABuildTrainsTheCache() throws IOException {
        Path app = build("quarkus-run.jar", "lib/main/a.jar");

        AotCache cache = AotCache.of(dir.resolve("aot"), "gateway", app);

        assertFalse(cache.usable());
        assertEquals(List.of("-XX:AOTCacheOutput=" + dir.resolve("aot/gateway.aot")), cache.jvmOptions());
    }

    @Test
    void cacheTrainedOnThisBuildIsUsed() throws IOException {
        Path app = build("quarkus-run.jar", "lib/main/a.jar");
        AotCache.of(dir.resolve("aot"), "gateway", app).jvmOptions();
        Files.writeString(dir.resolve("aot/gateway.aot"), "written by the JVM at the end of the training run");

        AotCache cache = AotCache.of(dir.resolve("aot"), "gateway", app);

        assertTrue(cache.usable());
        assertEquals(List.of("-XX:AOTCache=" + dir.resolve("aot/gateway.aot")), cache.jvmOptions());
    }

    @Test
    void rebuiltJarTrainsAgainAndDropsTheStaleCache() throws IOException {
        Path app = build("quarkus-run.jar", "lib/main/a.jar");
        AotCache.of(dir.resolve("aot"), "gateway", app).jvmOptions();
        Files.writeString(dir.resolve("aot/gateway.aot"), "trained on the old build");
        Files.writeString(app.resolve("lib/main/a.jar"), "rebuilt, longer content");
        Files.setLastModifiedTime(app.resolve("lib/main/a.jar"), FileTime.fromMillis(1_000_000));

        AotCache cache = AotCache.of(dir.resolve("aot"), "gateway", app);

        assertFalse(cache.usable());
        assertEquals(List.of("-XX:AOTCacheOutput=" + dir.resolve("aot/gateway.aot")), cache.jvmOptions());
        assertFalse(Files.exists(dir.resolve("aot/gateway.aot")), "a stale cache is removed before training");
    }

    @Test
    void trainingThatNeverWroteItsCacheTrainsAgain() throws IOException {
        Path app = build("quarkus-run.jar");
        AotCache.of(dir.resolve("aot"), "payment-service", app).jvmOptions();

        assertFalse(AotCache.of(dir.resolve("aot"), "payment-service", app).usable());
    }

    private Path build(String... files) throws IOException {
        Path app = dir.resolve("quarkus-app");
        for (String file : files) {
            Files.createDirectories(app.resolve(file).getParent());
            Files.writeString(app.resolve(file), file);
        }
        return app;
    }
}
