package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import app.backbone.payment.catalogue.CatalogueCache;
import app.backbone.testing.Jwks;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class CatalogueTest {

    static final String PRODUCTS = """
            {"object":"list","url":"/v1/products","has_more":true,"data":[
              {"id":"prod_basic","object":"product","active":true,"name":"Basic",
               "default_price":{"id":"price_basic","object":"price","unit_amount":50000,"currency":"kes","product":"prod_basic"}},
              {"id":"prod_pro","object":"product","active":true,"name":"Pro",
               "default_price":{"id":"price_pro","object":"price","unit_amount":150000,"currency":"kes","product":"prod_pro"}}]}""";

    static final String PRICES = """
            {"object":"list","url":"/v1/prices","has_more":false,"data":[
              {"id":"price_basic","object":"price","active":true,"unit_amount":50000,"currency":"kes","type":"recurring",
               "product":{"id":"prod_basic","object":"product","name":"Basic"}}]}""";

    @Inject
    CatalogueCache cache;

    @BeforeEach
    void reset() {
        ProviderStandIns.stripe().resetAll();
        await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
        cache.invalidate("test");
    }

    @Test
    void productsListDefaultsToActiveAndExpandsTheDefaultPrice() {
        stubJson("/v1/products", 200, PRODUCTS);

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .get("/stripe/products")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("count", equalTo(2))
                .body("hasMore", equalTo(true))
                .body("data.id", equalTo(List.of("prod_basic", "prod_pro")))
                .body("data[0].default_price.id", equalTo("price_basic"))
                .body("data[0].default_price.unit_amount", equalTo(50000));

        LoggedRequest sent = onlyStripeRequest();
        assertEquals("/v1/products", sent.getUrl().replaceAll("\\?.*", ""));
        assertEquals("true", sent.queryParameter("active").firstValue());
        assertEquals("10", sent.queryParameter("limit").firstValue());
        assertEquals("data.default_price", sent.queryParameter("expand[0]").firstValue());
        assertEquals("Bearer sk_test_standin", sent.getHeader("Authorization"));
    }

    @Test
    void productsFiltersAndPagingArePassedToStripe() {
        stubJson("/v1/products", 200, PRODUCTS);

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .queryParam("active", "false").queryParam("limit", "2").queryParam("starting_after", "prod_basic")
                .get("/stripe/products")
                .then().statusCode(200)
                .body("count", equalTo(2));

        LoggedRequest sent = onlyStripeRequest();
        assertEquals("false", sent.queryParameter("active").firstValue());
        assertEquals("2", sent.queryParameter("limit").firstValue());
        assertEquals("prod_basic", sent.queryParameter("starting_after").firstValue());
    }

    @Test
    void pricesAreFilteredAndExpandTheirProduct() {
        stubJson("/v1/prices", 200, PRICES);

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .queryParam("product", "prod_basic").queryParam("type", "recurring").queryParam("currency", "KES")
                .get("/stripe/prices")
                .then().statusCode(200)
                .body("count", equalTo(1))
                .body("hasMore", equalTo(false))
                .body("data[0].id", equalTo("price_basic"))
                .body("data[0].product.name", equalTo("Basic"));

        LoggedRequest sent = onlyStripeRequest();
        assertEquals("true", sent.queryParameter("active").firstValue());
        assertEquals("prod_basic", sent.queryParameter("product").firstValue());
        assertEquals("recurring", sent.queryParameter("type").firstValue());
        assertEquals("kes", sent.queryParameter("currency").firstValue());
        assertEquals("data.product", sent.queryParameter("expand[0]").firstValue());
    }

    @Test
    void productByIdExpandsItsDefaultPrice() {
        stubJson("/v1/products/prod_basic", 200, """
                {"id":"prod_basic","object":"product","name":"Basic",
                 "default_price":{"id":"price_basic","object":"price","unit_amount":50000,"currency":"kes"}}""");

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .get("/stripe/products/prod_basic")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.id", equalTo("prod_basic"))
                .body("data.default_price.id", equalTo("price_basic"));

        assertEquals("default_price", onlyStripeRequest().queryParameter("expand[0]").firstValue());
    }

    @Test
    void priceByIdExpandsItsProduct() {
        stubJson("/v1/prices/price_basic", 200, """
                {"id":"price_basic","object":"price","unit_amount":50000,"currency":"kes",
                 "product":{"id":"prod_basic","object":"product","name":"Basic"}}""");

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .get("/stripe/prices/price_basic")
                .then().statusCode(200)
                .body("data.product.id", equalTo("prod_basic"));

        assertEquals("product", onlyStripeRequest().queryParameter("expand[0]").firstValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stripe/products/prod_missing", "/stripe/prices/price_missing"})
    void unknownIdIsNotFound(String path) {
        String id = path.substring(path.lastIndexOf('/') + 1);
        stubJson(path.replace("/stripe/", "/v1/"), 404, """
                {"error":{"code":"resource_missing","message":"No such object: '%s'","param":"id",
                 "type":"invalid_request_error"}}""".formatted(id));

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .get(path)
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
        assertEquals(1, ProviderStandIns.stripe().findAll(getRequestedFor(anyUrl())).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "1.5"})
    void limitOutsideOneToHundredIsRejected(String limit) {
        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .queryParam("limit", limit)
                .get("/stripe/products")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("limit"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void badActiveFilterIsRejected() {
        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .queryParam("active", "yes")
                .get("/stripe/prices")
                .then().statusCode(400)
                .body("error.details.field", hasItem("active"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void startingAfterAnUnknownIdIsRejected() {
        stubJson("/v1/products", 400, """
                {"error":{"code":"resource_missing","message":"No such product: 'prod_gone'","param":"starting_after",
                 "type":"invalid_request_error"}}""");

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .queryParam("starting_after", "prod_gone")
                .get("/stripe/products")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("starting_after"));
        assertEquals(1, stripeGets("/v1/products"));
    }

    @ParameterizedTest(name = "a {0} token is refused")
    @ValueSource(strings = {"no-azp", "no-sid", "template-aud"})
    void tokenClerkWouldNotAcceptHereIsUnauthorized(String kind) {
        var claims = switch (kind) {
            // authorized parties are configured in the tests: a token must then say which one asked for it
            case "no-azp" -> Tokens.claims("user_noazp").remove("azp");
            // neither a session token (sid) nor a JWT-template token for a configured audience
            case "no-sid" -> Tokens.claims("user_nosid").remove("sid");
            default -> Tokens.claims("user_tpl").audience("another-api");
        };
        given().header("Authorization", Tokens.bearer(Tokens.sign(claims, ProviderStandIns.keys().getPrivate())))
                .get("/stripe/prices")
                .then().statusCode(401)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, stripeGets("/v1/prices"));
    }

    @Test
    void stripeDownIsProviderError() {
        ProviderStandIns.stripe().stubFor(get(urlPathEqualTo("/v1/products"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_cat")))
                .get("/stripe/products")
                .then().statusCode(502)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PROVIDER_ERROR"))
                .body("error.requestId", notNullValue());
        // stripe-java retried once (max-network-retries=1 in tests).
        assertEquals(2, ProviderStandIns.stripe().findAll(getRequestedFor(urlPathEqualTo("/v1/products"))).size());
    }

    @Test
    void repeatedReadsAreServedFromTheCacheUntilTheCatalogueChanges() {
        stubJson("/v1/products", 200, PRODUCTS);
        String token = Tokens.bearer(Tokens.forUser("user_cat"));

        given().header("Authorization", token).get("/stripe/products").then().statusCode(200).body("count", equalTo(2));
        given().header("Authorization", token).get("/stripe/products").then().statusCode(200).body("count", equalTo(2));
        assertEquals(1, stripeGets("/v1/products"));

        Sql.update("NOTIFY catalogue_changed, 'prod_basic'");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            given().header("Authorization", token).get("/stripe/products").then().statusCode(200);
            return stripeGets("/v1/products") == 2;
        });
        given().header("Authorization", token).get("/stripe/products").then().statusCode(200);
        assertEquals(2, stripeGets("/v1/products"));
    }

    @Test
    void catalogueWithoutTokenIsUnauthorized() {
        given().get("/stripe/products")
                .then().statusCode(401)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"))
                .body("error.requestId", notNullValue());
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "wrong-issuer", "foreign-azp", "other-key", "garbage", "no-sub", "hs256"})
    void badTokenIsUnauthorized(String kind) {
        String token = switch (kind) {
            case "expired" -> Tokens.sign(Tokens.claims("user_cat").issuedAt(1_000_000L).expiresAt(
                    java.time.Instant.now().getEpochSecond() - 30), ProviderStandIns.keys().getPrivate());
            case "wrong-issuer" -> Tokens.sign(Tokens.claims("user_cat").issuer("https://evil.test"),
                    ProviderStandIns.keys().getPrivate());
            case "foreign-azp" -> Tokens.sign(Tokens.claims("user_cat").claim("azp", "https://evil.test"),
                    ProviderStandIns.keys().getPrivate());
            case "other-key" -> Tokens.sign(Tokens.claims("user_cat"), Jwks.newKeyPair().getPrivate());
            case "no-sub" -> Tokens.sign(io.smallrye.jwt.build.Jwt.issuer(ProviderStandIns.ISSUER)
                    .expiresAt(java.time.Instant.now().getEpochSecond() + 300), ProviderStandIns.keys().getPrivate());
            case "hs256" -> io.smallrye.jwt.build.Jwt.issuer(ProviderStandIns.ISSUER).subject("user_cat")
                    .expiresAt(java.time.Instant.now().getEpochSecond() + 300)
                    .signWithSecret("a-shared-secret-that-is-long-enough-for-hs256!!");
            default -> "not.a.jwt";
        };
        given().header("Authorization", Tokens.bearer(token))
                .get("/stripe/prices")
                .then().statusCode(401)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    private static void stubJson(String path, int status, String body) {
        ProviderStandIns.stripe().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static LoggedRequest onlyStripeRequest() {
        List<LoggedRequest> all = ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, all.size(), "requests at the Stripe stand-in");
        return all.get(0);
    }

    private static int stripeGets(String path) {
        return ProviderStandIns.stripe().findAll(getRequestedFor(urlPathEqualTo(path))).size();
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
