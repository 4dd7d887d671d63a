package app.backbone.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian's) driven by a playwright-core script of a module's {@code src/test/browser}
 * folder. {@link #require(Path)} skips the calling test, with the reason, where node, npm or Chromium is missing
 * (.ci/run installs Chromium).
 */
public final class HeadlessBrowser {

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String output) {

        /** The script's last line that starts with '{': its result. */
        public String lastJsonLine() {
            return output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no result from the browser script:\n" + output));
        }
    }

    private final Path scriptDir;
    private final Path node;

    private HeadlessBrowser(Path scriptDir, Path node) {
        this.scriptDir = scriptDir;
        this.node = node;
    }

    /** The scripts in {@code scriptDir}, with playwright-core installed there (npm ci), or the test is skipped. */
    public static HeadlessBrowser require(Path scriptDir) throws IOException, InterruptedException {
        Optional<Path> node = onPath("node");
        Assumptions.assumeTrue(node.isPresent(), "Skipped: node is not installed, so the headless-browser test cannot run");
        Path chromium = Path.of(Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "Skipped: no Chromium at " + chromium + " (apt-get install -y chromium, or set CHROMIUM_PATH)");
        HeadlessBrowser browser = new HeadlessBrowser(scriptDir, node.get());
        if (!Files.isDirectory(scriptDir.resolve("node_modules").resolve("playwright-core"))) {
            Optional<Path> npm = onPath("npm");
            Assumptions.assumeTrue(npm.isPresent(), "Skipped: npm is not installed, so playwright-core cannot be installed");
            Run install = browser.run(List.of(npm.get().toString(), "ci", "--no-audit", "--no-fund"), 300);
            Assumptions.assumeTrue(install.exitCode() == 0,
                    () -> "Skipped: npm ci could not install playwright-core:\n" + install.output());
        }
        return browser;
    }

    /** Runs {@code node <script> <arguments...>} in the script folder, for at most {@code timeoutSeconds}. */
    public Run script(String script, List<String> arguments, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(node.toString(), script));
        command.addAll(arguments);
        return run(command, timeoutSeconds);
    }

    private Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("browser-test", ".log");
        Process process = new ProcessBuilder(command)
                .directory(scriptDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Run(finished ? process.exitValue() : -1, output);
    }

    private static Optional<Path> onPath(String executable) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
