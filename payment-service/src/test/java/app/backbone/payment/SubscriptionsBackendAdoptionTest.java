package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.ExpressBackends;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The README's "From the subscriptions backend": its customer mappings keep working after the adoption. */
@QuarkusTest
@TestProfile(ExpressBackends.SubscriptionsBackend.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class SubscriptionsBackendAdoptionTest {

    @BeforeEach
    void resetStandIns() {
        // The adopted rows are what these tests are about: only the stand-ins start afresh.
        ProviderStandIns.stripe().resetAll();
        ProviderStandIns.paystack().resetAll();
    }

    @Test
    void userMappedByTheOldBackendGetsTheSameCustomerWithoutANewOne() {
        ProviderStandIns.stripe().stubFor(get(urlEqualTo("/v1/customers/cus_old_1")).willReturn(Stubs.json(200, """
                {"id":"cus_old_1","object":"customer","email":"old@example.com","metadata":{"clerk_user_id":"user_old_1"}}""")));

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_old_1")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("created", equalTo(false))
                .body("data.id", equalTo("cus_old_1"));
        assertEquals(0, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_old_1'"));
    }

    @Test
    void newUserIsMappedInTheAdoptedTable() {
        ProviderStandIns.stripe().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v1/customers"))
                .willReturn(Stubs.json(200, """
                        {"id":"cus_new_after","object":"customer","email":"n@example.com","metadata":{}}""")));

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_new_after")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("data.id", equalTo("cus_new_after"));
        assertEquals(1, Sql.count("""
                SELECT count(*) FROM stripe_customer_mapping
                 WHERE clerk_user_id = 'user_new_after' AND stripe_customer_id = 'cus_new_after' AND id IS NOT NULL
                   AND created_at IS NOT NULL"""));
    }
}
