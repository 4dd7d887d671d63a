package app.backbone.local.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.logging.Log;

/**
 * An SMTP server that keeps every mail it receives once, as an {@code .eml} file named in arrival order, listed at the
 * local stack's home page. GreenMail lists received messages mailbox by mailbox, not by arrival, so a message is known
 * by its content (Message-ID and bytes), never by its position in that list.
 */
public final class MailCatcher implements AutoCloseable {

    private final GreenMail server;
    private final Path folder;
    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> saved = new HashSet<>();
    private final AtomicLong sequence = new AtomicLong();

    public MailCatcher(String host, int port, Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.server = new GreenMail(new ServerSetup(port, host, ServerSetup.PROTOCOL_SMTP));
        server.start();
        saver.scheduleWithFixedDelay(this::saveNew, 500, 500, TimeUnit.MILLISECONDS);
    }

    private synchronized void saveNew() {
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                message.writeTo(raw);
                if (!saved.add(identity(raw.toByteArray()))) {
                    continue;
                }
                Path file = folder.resolve("%d-%06d.eml".formatted(Instant.now().toEpochMilli(), sequence.incrementAndGet()));
                try (OutputStream out = Files.newOutputStream(file)) {
                    raw.writeTo(out);
                }
                Log.infof("Mail caught: \"%s\" -> %s", message.getSubject(), file);
            } catch (Exception e) {
                Log.warnf("Cannot save a caught mail: %s", e.getMessage());
            }
        }
    }

    /** The same delivery read twice has the same bytes; two deliveries of one text differ at least in Message-ID. */
    private static String identity(byte[] raw) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
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
