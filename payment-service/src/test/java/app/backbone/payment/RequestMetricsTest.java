package app.backbone.payment;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.testing.Management;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Request metrics name JAX-RS templates, never raw paths: references and random paths stay out of /q/metrics. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class RequestMetricsTest {

    @Test
    void unmatchedAndRefusedRequestsNeverTagTheirRawPath() throws IOException {
        given().get("/api/payment/verify/PSK-123-secret").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/api/payment/verify/PSK-405-secret")
                .then().statusCode(405);
        given().delete("/api/payment/verify/PSK-DEL-secret").then().statusCode(405);
        rawGet("/api/payment/verify/PSK-%zz-secret");
        List<String> randoms = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String random = "rnd" + UUID.randomUUID().toString().replace("-", "");
            randoms.add(random);
            if (i % 2 == 0) {
                given().get("/" + random).then().statusCode(404);
            } else {
                given().contentType("application/json").body("{}").post("/stripe/" + random).then().statusCode(404);
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(Management.given().get("/q/metrics")
                .asString().contains("uri=\"/api/payment/verify/{reference}\""), "verify is counted under its template"));
        String metrics = Management.metrics();
        assertFalse(metrics.contains("secret"), "a payment reference reached /q/metrics");
        for (String random : randoms) {
            assertFalse(metrics.contains(random), "a raw path reached /q/metrics: " + random);
        }
        Set<String> uris = Management.requestUriTags(metrics);
        // Every value is a route template or a fixed word; the registry is shared by every test in this JVM, so the
        // bound is the service's routes, not this test's requests.
        assertTrue(uris.stream().allMatch(u -> u.startsWith("/") || u.equals("NOT_FOUND") || u.equals("UNKNOWN")
                || u.equals("REDIRECTION")), "uri tag values are templates: " + uris);
        // 16 routes, NOT_FOUND, UNKNOWN and REDIRECTION, and room for the management paths.
        assertTrue(uris.size() <= 25, "uri tag values stay few: " + uris);
    }

    private static void rawGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().readAllBytes();
        }
    }
}
