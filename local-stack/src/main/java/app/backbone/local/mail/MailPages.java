package app.backbone.local.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.local.LocalConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The local stack's home page: the caught mails, newest first, each readable in the browser. */
@ApplicationScoped
public class MailPages {

    private final Path folder;

    public MailPages(LocalConfig config) {
        this.folder = config.dataDir().resolve("mail");
    }

    void install(@Observes Router router) {
        router.get("/").handler(this::index);
        router.get("/api/mails").handler(this::list);
        router.get("/mail/:file").handler(this::show);
        router.get("/paid").handler(ctx -> page(ctx, "Payment finished",
                "<p>The provider sent you back here. Check the payment with <code>GET /api/payment/verify/"
                        + escape(ctx.queryParams().get("reference")) + "</code>.</p><p><a href=\"/\">Mails</a></p>"));
        router.get("/subscribed").handler(ctx -> {
            String session = ctx.queryParams().get("session_id");
            if (session == null) {
                page(ctx, "Checkout left", "<p>No subscription was started.</p><p><a href=\"/\">Mails</a></p>");
            } else {
                page(ctx, "Subscription started", "<p>Stripe sent you back here from checkout session <code>"
                        + escape(session) + "</code>. See the subscription with <code>GET /stripe/subscriptions</code>."
                        + "</p><p><a href=\"/\">Mails</a></p>");
            }
        });
    }

    private void index(RoutingContext ctx) {
        StringBuilder rows = new StringBuilder();
        for (Path file : mails()) {
            try {
                MimeMessage message = read(file);
                rows.append("<tr><td>").append(escape(String.valueOf(message.getSentDate()))).append("</td><td>")
                        .append(escape(String.join(", ", java.util.Arrays.stream(message.getAllRecipients())
                                .map(Object::toString).toList())))
                        .append("</td><td><a href=\"/mail/").append(escape(file.getFileName().toString())).append("\">")
                        .append(escape(message.getSubject())).append("</a></td></tr>");
            } catch (Exception e) {
                rows.append("<tr><td colspan=3>").append(escape(file.getFileName().toString())).append("</td></tr>");
            }
        }
        page(ctx, "Caught mail", "<p>Every mail the services sent, kept in <code>" + escape(folder.toString())
                + "</code>.</p><table border=1 cellpadding=4><tr><th>Sent</th><th>To</th><th>Subject</th></tr>" + rows
                + "</table>");
    }

    /** The caught mails as JSON, oldest first, each once: what a script or a test reads instead of the page. */
    private void list(RoutingContext ctx) {
        io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
        List<Path> files = new java.util.ArrayList<>(mails());
        java.util.Collections.reverse(files);
        for (Path file : files) {
            try {
                MimeMessage message = read(file);
                list.add(new io.vertx.core.json.JsonObject()
                        .put("file", file.getFileName().toString())
                        .put("messageId", message.getMessageID())
                        .put("to", java.util.Arrays.stream(message.getAllRecipients()).map(Object::toString).toList())
                        .put("subject", message.getSubject())
                        .put("raw", GreenMailUtil.getWholeMessage(message)));
            } catch (Exception e) {
                list.add(new io.vertx.core.json.JsonObject().put("file", file.getFileName().toString()));
            }
        }
        ctx.response().putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("count", list.size()).put("mails", list).encode());
    }

    private void show(RoutingContext ctx) {
        Path file = folder.resolve(ctx.pathParam("file")).normalize();
        if (!file.startsWith(folder) || !Files.exists(file)) {
            ctx.response().setStatusCode(404).end("No such mail");
            return;
        }
        try {
            MimeMessage message = read(file);
            page(ctx, message.getSubject(), "<p>To: " + escape(String.valueOf(message.getAllRecipients()[0]))
                    + "</p><pre style=\"white-space:pre-wrap\">" + escape(GreenMailUtil.getWholeMessage(message))
                    + "</pre><p><a href=\"/\">All mails</a></p>");
        } catch (Exception e) {
            ctx.response().setStatusCode(500).end("Cannot read " + file.getFileName());
        }
    }

    private List<Path> mails() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".eml"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static MimeMessage read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    private static void page(RoutingContext ctx, String title, String body) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<!DOCTYPE html><html lang=\"en\"><head>"
                + "<meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body style=\"font-family:sans-serif\">"
                + "<h1>" + escape(title) + "</h1>" + body + "</body></html>");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
