package app.backbone.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the service's management interface (health, metrics, OpenAPI), which has its own port in tests too. */
public final class Management {

    private Management() {
    }

    /** A RestAssured request aimed at the management interface of the application under test. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri("http://localhost").port(port());
    }

    /** The management port Quarkus took for this test run ({@code quarkus.management.test-port=0} picks a free one). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
