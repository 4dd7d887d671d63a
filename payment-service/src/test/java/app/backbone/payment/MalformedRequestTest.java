package app.backbone.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.RawHttp;
import app.backbone.testing.RawHttp.Answer;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Requests refused before the router sees them, sent as raw bytes because no well-behaved client sends them: a URI
 * {@code java.net.URI} cannot parse (refused by Quarkus's root handler) and headers the HTTP decoder refuses. Quarkus
 * 3.34 offers no hook to answer these in the envelope (see {@code HttpFailureHandler}); what holds is a 4xx, no stack
 * trace, an empty body, and nothing stored or sent on.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class MalformedRequestTest {

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @Test
    void pathWithAnInvalidPercentEncodingIsRefusedWith400BeforeAnyRoute() throws Exception {
        Answer answer = send("GET /api/payment/verify/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertEquals(400, answer.status(), answer.raw());
        assertEquals("", answer.body());
        assertEquals(0, ProviderStandIns.paystack().getAllServeEvents().size());
    }

    @Test
    void postToAnUndecodablePathStoresNothing() throws Exception {
        String body = "{\"email\":\"ivy@example.com\",\"amount\":100}";
        Answer answer = send("POST /api/payment/initiate%zz HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertEquals(400, answer.status(), answer.raw());
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().getAllServeEvents().size());
    }

    @Test
    void headerOfSeventyKilobytesIsRefusedWith431BeforeAnyRoute() throws Exception {
        Answer answer = send("GET /api/payment/verify/PSK-1-x HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "a".repeat(70 * 1024) + "\r\n\r\n");

        assertEquals(431, answer.status(), answer.head());
        assertEquals("", answer.body());
    }

    @Test
    void controlCharacterInAHeaderValueIsRefusedWith400BeforeAnyRoute() throws Exception {
        Answer answer = send("GET /api/payment/verify/PSK-1-x HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\u0000c\r\n\r\n");

        assertEquals(400, answer.status(), answer.raw());
        assertEquals("", answer.body());
    }

    private static Answer send(String request) throws IOException {
        return RawHttp.send(RestAssured.port, request);
    }
}
