package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The billing portal, invoices and saved cards: always the caller's own customer's, never another's. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class BillingRoutesTest {

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    // ---- POST /stripe/portal ------------------------------------------------------------------------------------

    @Test
    void portalOpensASessionForTheCallersCustomer() {
        Stubs.mapped("user_p1", "cus_p1");
        stubPortal();

        given().contentType(ContentType.JSON).header("Authorization", token("user_p1"))
                .body(Map.of("returnUrl", "https://app.shop.test/account"))
                .post("/stripe/portal")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.url", equalTo("https://billing.stripe.com/p/session/test_portal"));

        List<LoggedRequest> sent = stripe().findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, sent.size());
        assertEquals(Map.of("customer", "cus_p1", "return_url", "https://app.shop.test/account"),
                Forms.parse(sent.get(0).getBodyAsString()));
    }

    @Test
    void portalWithoutReturnUrlReturnsToTheAppsHomeNotToTheCheckoutSuccessUrl() {
        // The test profile's subscription success URL is https://shop.test/subscribed?session_id={CHECKOUT_SESSION_ID},
        // and neither BILLING_PORTAL_RETURN_URL nor BILLING_PAGE_URL is set.
        Stubs.mapped("user_p2", "cus_p2");
        stubPortal();

        given().contentType(ContentType.JSON).header("Authorization", token("user_p2")).body("{}")
                .post("/stripe/portal")
                .then().statusCode(201)
                .body("data.url", equalTo("https://billing.stripe.com/p/session/test_portal"));

        assertEquals("https://shop.test/", Forms.parse(stripe().findAll(anyRequestedFor(anyUrl())).get(0)
                .getBodyAsString()).get("return_url"));
    }

    @Test
    void portalReturnUrlWithAPlaceholderIsRefusedBeforeStripeIsAsked() {
        Stubs.mapped("user_p6", "cus_p6");

        given().contentType(ContentType.JSON).header("Authorization", token("user_p6"))
                .body(Map.of("returnUrl", "https://app.shop.test/account?session={CHECKOUT_SESSION_ID}"))
                .post("/stripe/portal")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("returnUrl"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void portalWithAReturnUrlOffTheAppsOriginsIsRefusedBeforeStripeIsAsked() {
        Stubs.mapped("user_p3", "cus_p3");

        given().contentType(ContentType.JSON).header("Authorization", token("user_p3"))
                .body(Map.of("returnUrl", "https://evil.test/account"))
                .post("/stripe/portal")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("returnUrl"))
                .body("error.details[0].message", equalTo("must be on one of the app's origins"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void portalForACallerWithoutCustomerIs404WithoutAskingStripe() {
        given().contentType(ContentType.JSON).header("Authorization", token("user_p4")).body("{}")
                .post("/stripe/portal")
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void portalStripeFailureIsAProviderError() {
        Stubs.mapped("user_p5", "cus_p5");
        stripe().stubFor(post(urlEqualTo("/v1/billing_portal/sessions")).willReturn(Stubs.json(400, """
                {"error":{"type":"invalid_request_error","message":"No configuration provided"}}""")));

        given().contentType(ContentType.JSON).header("Authorization", token("user_p5")).body("{}")
                .post("/stripe/portal")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
    }

    // ---- GET /stripe/invoices -----------------------------------------------------------------------------------

    @Test
    void invoicesListTheCallersInvoicesPaged() {
        Stubs.mapped("user_i1", "cus_i1");
        stripe().stubFor(get(urlPathEqualTo("/v1/invoices")).willReturn(Stubs.json(200, """
                {"object":"list","url":"/v1/invoices","has_more":true,"data":[%s,%s]}"""
                .formatted(invoice("in_i1a", "cus_i1", "paid"), invoice("in_i1b", "cus_i1", "open")))));

        given().header("Authorization", token("user_i1"))
                .queryParam("limit", 2).queryParam("startingAfter", "in_i1z")
                .get("/stripe/invoices")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("count", equalTo(2))
                .body("hasMore", equalTo(true))
                .body("data.id", equalTo(List.of("in_i1a", "in_i1b")))
                .body("data[0].status", equalTo("paid"))
                .body("data[0].number", equalTo("INV-in_i1a"))
                .body("data[0].currency", equalTo("kes"))
                .body("data[0].total", equalTo(150000))
                .body("data[0].amountDue", equalTo(150000))
                .body("data[0].amountPaid", equalTo(150000))
                .body("data[0].hostedInvoiceUrl", equalTo("https://invoice.stripe.com/i/in_i1a"))
                .body("data[0].invoicePdf", equalTo("https://pay.stripe.com/invoice/in_i1a/pdf"))
                .body("data[0].created", equalTo("2026-01-01T00:00:00Z"))
                .body("data[0].periodStart", equalTo("2026-01-01T00:00:00Z"))
                .body("data[0].periodEnd", equalTo("2026-02-01T00:00:00Z"))
                .body("data[0].subscriptionId", equalTo("sub_i1"));

        LoggedRequest sent = stripe().findAll(anyRequestedFor(anyUrl())).get(0);
        assertEquals("cus_i1", sent.queryParameter("customer").firstValue());
        assertEquals("2", sent.queryParameter("limit").firstValue());
        assertEquals("in_i1z", sent.queryParameter("starting_after").firstValue());
    }

    @Test
    void invoicesOfACallerWithoutCustomerAreEmptyWithoutAskingStripe() {
        given().header("Authorization", token("user_i2"))
                .get("/stripe/invoices")
                .then().statusCode(200)
                .body("count", equalTo(0))
                .body("hasMore", equalTo(false))
                .body("data", hasSize(0));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
            "limit          | 0",
            "limit          | 101",
            "limit          | ten",
            "starting_after | cus_not_an_invoice",
    })
    void invoicesWithABadQueryAreAValidationErrorBeforeStripeIsAsked(String parameter, String value) {
        Stubs.mapped("user_i3", "cus_i3");

        given().header("Authorization", token("user_i3")).queryParam(parameter, value)
                .get("/stripe/invoices")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo(parameter));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void invoicesStripeFailureIsAProviderError() {
        Stubs.mapped("user_i4", "cus_i4");
        stripe().stubFor(get(urlPathEqualTo("/v1/invoices")).willReturn(Stubs.json(401, """
                {"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}""")));

        given().header("Authorization", token("user_i4"))
                .get("/stripe/invoices")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
    }

    // ---- GET /stripe/invoices/{id} ------------------------------------------------------------------------------

    @Test
    void invoiceOfTheCallerIsAnswered() {
        Stubs.mapped("user_i5", "cus_i5");
        stripe().stubFor(get(urlPathEqualTo("/v1/invoices/in_i5")).willReturn(Stubs.json(200,
                invoice("in_i5", "cus_i5", "paid"))));

        given().header("Authorization", token("user_i5"))
                .get("/stripe/invoices/in_i5")
                .then().statusCode(200)
                .body("data.id", equalTo("in_i5"))
                .body("data.hostedInvoiceUrl", equalTo("https://invoice.stripe.com/i/in_i5"))
                .body("data.invoicePdf", equalTo("https://pay.stripe.com/invoice/in_i5/pdf"));
        assertEquals(1, stripe().findAll(getRequestedFor(urlPathEqualTo("/v1/invoices/in_i5"))).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in_of_another_customer", "in_nobody_has", "not_an_invoice"})
    void invoiceThatIsNotTheCallersIs404LikeOneThatDoesNotExist(String id) {
        Stubs.mapped("user_i6", "cus_i6");
        stripe().stubFor(get(urlPathEqualTo("/v1/invoices/in_of_another_customer")).willReturn(Stubs.json(200,
                invoice("in_of_another_customer", "cus_someone_else", "paid"))));
        stripe().stubFor(get(urlPathEqualTo("/v1/invoices/in_nobody_has")).willReturn(Stubs.json(404, """
                {"error":{"type":"invalid_request_error","code":"resource_missing","param":"id",
                 "message":"No such invoice: 'in_nobody_has'"}}""")));

        given().header("Authorization", token("user_i6"))
                .get("/stripe/invoices/" + id)
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.message", equalTo("No such invoice"));
    }

    @Test
    void invoiceOfACallerWithoutCustomerIs404WithoutAskingStripe() {
        given().header("Authorization", token("user_i7"))
                .get("/stripe/invoices/in_anything")
                .then().statusCode(404)
                .body("error.message", equalTo("No such invoice"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    // ---- GET /stripe/payment-methods ----------------------------------------------------------------------------

    @Test
    void paymentMethodsListTheCallersCardsWithTheDefaultMarked() {
        Stubs.mapped("user_m1", "cus_m1");
        stripe().stubFor(get(urlPathEqualTo("/v1/customers/cus_m1")).willReturn(Stubs.json(200, """
                {"id":"cus_m1","object":"customer","invoice_settings":{"default_payment_method":"pm_visa"}}""")));
        stripe().stubFor(get(urlPathEqualTo("/v1/customers/cus_m1/payment_methods")).willReturn(Stubs.json(200, """
                {"object":"list","url":"/v1/customers/cus_m1/payment_methods","has_more":false,"data":[
                 {"id":"pm_visa","object":"payment_method","type":"card","customer":"cus_m1",
                  "card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"funding":"credit"}},
                 {"id":"pm_mc","object":"payment_method","type":"card","customer":"cus_m1",
                  "card":{"brand":"mastercard","last4":"4444","exp_month":1,"exp_year":2029,"funding":"debit"}}]}""")));

        given().header("Authorization", token("user_m1"))
                .get("/stripe/payment-methods")
                .then().statusCode(200)
                .body("count", equalTo(2))
                .body("hasMore", equalTo(false))
                .body("data.id", equalTo(List.of("pm_visa", "pm_mc")))
                .body("data.brand", equalTo(List.of("visa", "mastercard")))
                .body("data.last4", equalTo(List.of("4242", "4444")))
                .body("data.expMonth", equalTo(List.of(12, 1)))
                .body("data.expYear", equalTo(List.of(2030, 2029)))
                .body("data.default", equalTo(List.of(true, false)));

        LoggedRequest listed = stripe().findAll(getRequestedFor(urlPathEqualTo("/v1/customers/cus_m1/payment_methods")))
                .get(0);
        assertEquals("card", listed.queryParameter("type").firstValue());
    }

    @Test
    void paymentMethodsOfACallerWithoutCustomerAreEmptyWithoutAskingStripe() {
        given().header("Authorization", token("user_m2"))
                .get("/stripe/payment-methods")
                .then().statusCode(200)
                .body("count", equalTo(0))
                .body("data", hasSize(0));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void billingRoutesWithoutTokenAreUnauthorized() {
        given().contentType(ContentType.JSON).body("{}").post("/stripe/portal").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        given().get("/stripe/invoices").then().statusCode(401);
        given().get("/stripe/invoices/in_x").then().statusCode(401);
        given().get("/stripe/payment-methods").then().statusCode(401);
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    private static String invoice(String id, String customer, String status) {
        return """
                {"id":"%1$s","object":"invoice","customer":"%2$s","status":"%3$s","number":"INV-%1$s",
                 "currency":"kes","total":150000,"amount_due":150000,"amount_paid":%4$d,"created":1767225600,
                 "period_start":1764547200,"period_end":1767225600,
                 "hosted_invoice_url":"https://invoice.stripe.com/i/%1$s",
                 "invoice_pdf":"https://pay.stripe.com/invoice/%1$s/pdf",
                 "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_i1"}},
                 "lines":{"object":"list","data":[{"id":"il_1","object":"line_item","amount":150000,
                   "period":{"start":1767225600,"end":1769904000}}],"has_more":false}}"""
                .formatted(id, customer, status, "paid".equals(status) ? 150000 : 0);
    }

    private static void stubPortal() {
        stripe().stubFor(post(urlEqualTo("/v1/billing_portal/sessions")).willReturn(Stubs.json(200, """
                {"id":"bps_1","object":"billing_portal.session","customer":"cus_p1",
                 "url":"https://billing.stripe.com/p/session/test_portal","return_url":"https://app.shop.test/account"}""")));
    }

    private static WireMockServer stripe() {
        return ProviderStandIns.stripe();
    }

    private static String token(String user) {
        return Tokens.bearer(Tokens.forUser(user));
    }
}
