package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RecordingUpstream;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class UpstreamFailureTest {

    @InjectBackends
    TestBackends backends;

    @Test
    void serviceThatIsDownIsServiceUnavailable() {
        String requestId = "down-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).contentType("application/json").body("{\"a\":1}")
                .post("/test-down/anything")
                .then().statusCode(503)
                .header("X-Request-Id", requestId)
                .body("success", equalTo(false))
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"))
                .body("error.requestId", equalTo(requestId));
    }

    @Test
    void serviceThatIsTooSlowIsGatewayTimeout() {
        String requestId = "slow-" + UUID.randomUUID();
        long started = System.nanoTime();
        given().header("X-Request-Id", requestId).get("/api/payment/verify/slow")
                .then().statusCode(504)
                .body("success", equalTo(false))
                .body("error.code", equalTo("GATEWAY_TIMEOUT"))
                .body("error.requestId", equalTo(requestId));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < RecordingUpstream.SLOW.toMillis(), "answered after the 1 s timeout, not the service's " + tookMs + " ms");
        assertEquals(1, backends.payment().countWithRequestId(requestId), "the request did reach the slow service");
    }
}
