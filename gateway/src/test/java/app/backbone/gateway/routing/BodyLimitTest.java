package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class BodyLimitTest {

    private static final int CONTACT_LIMIT = 64 * 1024;

    @InjectBackends
    TestBackends backends;

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void contactBodyOverItsLimitIsRefusedBeforeTheService() {
        String requestId = "big-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", ClientIps.next())
                .contentType("application/json").body(filled(CONTACT_LIMIT + 1))
                .post("/api/contact")
                .then().statusCode(413)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"))
                .body("error.requestId", equalTo(requestId));
        assertEquals(0, backends.contact().countWithRequestId(requestId));
    }

    @Test
    void contactBodyAtItsLimitPasses() {
        String requestId = "limit-" + UUID.randomUUID();
        byte[] body = filled(CONTACT_LIMIT);
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", ClientIps.next())
                .contentType("application/json").body(body)
                .post("/api/contact")
                .then().statusCode(200).body("bodyBytes", equalTo(CONTACT_LIMIT));
        assertArrayEquals(body, backends.contact().withRequestId(requestId).orElseThrow().body());
    }

    @Test
    void chunkedBodyIsCountedAsItStreams() throws Exception {
        String requestId = "chunked-" + UUID.randomUUID();
        HttpResponse<String> response = postChunked("/api/contact", requestId, filled(CONTACT_LIMIT * 2));
        assertEquals(413, response.statusCode());
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertEquals("PAYLOAD_TOO_LARGE", error.getString("code"));
        assertEquals(requestId, error.getString("requestId"));
        assertEquals(0, backends.contact().countWithRequestId(requestId), "the service never gets a complete request");
    }

    @Test
    void chunkedBodyUnderTheLimitStreamsThroughByteForByte() throws Exception {
        String requestId = "chunked-ok-" + UUID.randomUUID();
        byte[] body = filled(700 * 1024);
        HttpResponse<String> response = postChunked("/webhooks/stripe", requestId, body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(body.length, new JsonObject(response.body()).getInteger("bodyBytes"));
        assertArrayEquals(body, backends.webhook().withRequestId(requestId).orElseThrow().body());
    }

    private HttpResponse<String> postChunked(String path, String requestId, byte[] body) throws IOException, InterruptedException {
        // An InputStream publisher of unknown length makes the JDK client send Transfer-Encoding: chunked.
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(path))
                .version(HttpClient.Version.HTTP_1_1)
                .header("X-Request-Id", requestId)
                .header("X-Forwarded-For", ClientIps.next())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] filled(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        body[0] = '"';
        body[size - 1] = '"';
        return body;
    }
}
