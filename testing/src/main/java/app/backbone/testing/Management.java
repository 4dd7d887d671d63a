package app.backbone.testing;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the service's management interface (health, metrics, OpenAPI), which has its own port in tests too. */
public final class Management {

    private static final Pattern REQUEST_URI_TAG =
            Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"");

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

    /** The Prometheus scrape of the application under test. */
    public static String metrics() {
        return given().get("/q/metrics").asString();
    }

    /** The values the {@code uri} tag of the HTTP server request metrics takes in a scrape. */
    public static Set<String> requestUriTags(String metrics) {
        Set<String> uris = new TreeSet<>();
        Matcher m = REQUEST_URI_TAG.matcher(metrics);
        while (m.find()) {
            uris.add(m.group(1));
        }
        return uris;
    }
}
