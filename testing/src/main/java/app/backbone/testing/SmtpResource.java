package app.backbone.testing;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail) on a free port, which a test can stop and start again to play an outage. */
public class SmtpResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail greenMail;
    private static ServerSetup setup;

    @Override
    public synchronized Map<String, String> start() {
        setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
        greenMail = new GreenMail(setup);
        greenMail.start();
        int port = greenMail.getSmtp().getPort();
        setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.from", "shop@backbone.test");
    }

    @Override
    public synchronized void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    public static GreenMail mail() {
        return greenMail;
    }

    /** The SMTP server goes away: connections to its port are refused. */
    public static synchronized void down() {
        greenMail.stop();
    }

    /** A fresh SMTP server on the same port, with an empty mailbox. */
    public static synchronized void up() {
        greenMail = new GreenMail(setup);
        greenMail.start();
    }

    public static synchronized void purge() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }
}
