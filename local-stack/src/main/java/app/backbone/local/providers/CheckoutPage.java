package app.backbone.local.providers;

/**
 * The local checkout pages: what is being paid and "pay" / "cancel" (both stand-ins), or for a Stripe subscription the
 * plan and "subscribe" / "cancel".
 */
final class CheckoutPage {

    private CheckoutPage() {
    }

    static String render(String title, String amount, String item, String reference, String status, String actionBase) {
        String buttons = "open".equals(status) ? """
                <form method="post" action="%1$s/pay" style="display:inline"><button id="pay">Pay %2$s</button></form>
                <form method="post" action="%1$s/cancel" style="display:inline"><button id="cancel">Cancel</button></form>
                """.formatted(Json.escape(actionBase), Json.escape(amount))
                : "<p>This payment is " + Json.escape(status) + ".</p>";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:sans-serif;max-width:32em;margin:3em auto}button{font-size:1.1em;margin:.3em}</style>
                </head><body>
                <h1>%1$s</h1>
                <p>No money moves here: "Pay" sends the signed webhook the real provider would send.</p>
                <table><tr><th align="left">Amount</th><td>%2$s</td></tr>
                <tr><th align="left">Item</th><td>%3$s</td></tr>
                <tr><th align="left">Reference</th><td>%4$s</td></tr></table>
                %5$s
                </body></html>
                """.formatted(Json.escape(title), Json.escape(amount), Json.escape(item == null ? "Payment" : item),
                Json.escape(reference), buttons);
    }

    /** A subscription-mode Checkout: the plan, its price per interval, seats and trial; "Subscribe" starts it. */
    static String renderSubscription(String title, String plan, String pricePerInterval, long quantity, Long trialDays,
            String status, String actionBase) {
        String buttons = "open".equals(status) ? """
                <form method="post" action="%1$s/pay" style="display:inline"><button id="subscribe">Subscribe</button></form>
                <form method="post" action="%1$s/cancel" style="display:inline"><button id="cancel">Cancel</button></form>
                """.formatted(Json.escape(actionBase))
                : "<p>This checkout is " + Json.escape(status) + ".</p>";
        String trial = trialDays == null ? "" : "<tr><th align=\"left\">Free trial</th><td>" + trialDays + " days</td></tr>";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:sans-serif;max-width:32em;margin:3em auto}button{font-size:1.1em;margin:.3em}</style>
                </head><body>
                <h1>%1$s</h1>
                <p>No money moves here: "Subscribe" sends the signed webhooks the real Stripe would send
                (checkout.session.completed, customer.subscription.created, invoice.payment_succeeded).</p>
                <table><tr><th align="left">Plan</th><td id="plan">%2$s</td></tr>
                <tr><th align="left">Price</th><td>%3$s</td></tr>
                <tr><th align="left">Seats</th><td>%4$d</td></tr>%5$s</table>
                <p>Card: Visa ending 4242 (local)</p>
                %6$s
                </body></html>
                """.formatted(Json.escape(title), Json.escape(plan), Json.escape(pricePerInterval), quantity, trial,
                buttons);
    }
}
