package app.backbone.local.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.logging.Log;

/** An SMTP server that keeps every mail it receives as an {@code .eml} file, listed at the local stack's home page. */
public final class MailCatcher implements AutoCloseable {

    private final GreenMail server;
    private final Path folder;
    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger saved = new AtomicInteger();

    public MailCatcher(int port, Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        saver.scheduleWithFixedDelay(this::saveNew, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void saveNew() {
        MimeMessage[] received = server.getReceivedMessages();
        for (int i = saved.get(); i < received.length; i++) {
            Path file = folder.resolve(Instant.now().toEpochMilli() + "-" + i + ".eml");
            try (OutputStream out = Files.newOutputStream(file)) {
                received[i].writeTo(out);
                Log.infof("Mail caught: \"%s\" -> %s", received[i].getSubject(), file);
            } catch (Exception e) {
                Log.warnf("Cannot save a caught mail: %s", e.getMessage());
            }
            saved.set(i + 1);
        }
    }

    /** The kept mails, newest first. */
    public List<Path> mails() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".eml"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        saver.shutdownNow();
        saveNew();
        server.stop();
    }
}
