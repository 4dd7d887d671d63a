import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording: the top frames by self time, and the
 * share of samples whose stack passes through each of a few areas of interest (inclusive time).
 *
 * <p>Usage: {@code java JfrTop.java <recording.jfr> [top-n]}
 */
public class JfrTop {

    private static final Map<String, List<String>> AREAS = new java.util.LinkedHashMap<>();

    static {
        AREAS.put("JWT verification (jose4j, RSA)", List.of("org.jose4j.", "sun.security.rsa.", "app.backbone.gateway.auth."));
        // The logging code only: the access log's route handler calls the rest of the pipeline, so its own class
        // would count every sample under it.
        AREAS.put("logging (JSON lines, handlers)", List.of("app.backbone.common.logging.", "org.jboss.logmanager.",
                "org.jboss.logging."));
        AREAS.put("OpenTelemetry", List.of("io.opentelemetry.", "io.quarkus.opentelemetry."));
        AREAS.put("rate limit (bucket4j)", List.of("io.github.bucket4j.", "app.backbone.gateway.ratelimit."));
        AREAS.put("proxy (vertx-http-proxy)", List.of("io.vertx.httpproxy.", "app.backbone.gateway.routing.UpstreamProxy"));
        AREAS.put("metrics (micrometer)", List.of("io.micrometer.", "io.quarkus.micrometer."));
        AREAS.put("netty I/O (epoll, writes, reads)", List.of("io.netty.channel.", "sun.nio.ch."));
        AREAS.put("PostgreSQL client", List.of("io.vertx.pgclient.", "io.vertx.sqlclient."));
        AREAS.put("mail (outbox, SMTP, templates)", List.of("app.backbone.data.outbox.", "io.vertx.ext.mail.",
                "io.quarkus.mailer.", "io.quarkus.qute."));
        AREAS.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
        AREAS.put("validation (Hibernate Validator)", List.of("org.hibernate.validator."));
        AREAS.put("UUID / SecureRandom", List.of("java.util.UUID", "sun.security.provider."));
    }

    public static void main(String[] args) throws Exception {
        int topN = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> hit = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                for (Map.Entry<String, List<String>> area : AREAS.entrySet()) {
                    if (area.getValue().stream().anyMatch(type::startsWith)) {
                        hit.add(area.getKey());
                    }
                }
            }
            hit.forEach(area -> inclusive.merge(area, 1, Integer::sum));
        }
        System.out.printf("%d CPU samples%n%nTop frames (self):%n", total);
        final int all = Math.max(total, 1);
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(topN)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.printf("%nAreas (inclusive, a sample may count in several):%n");
        AREAS.keySet().forEach(area -> System.out.printf("  %5.1f%%  %s%n",
                100.0 * inclusive.getOrDefault(area, 0) / all, area));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
