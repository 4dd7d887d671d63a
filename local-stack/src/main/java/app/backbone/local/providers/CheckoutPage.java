package app.backbone.local.providers;

/** The local checkout page both stand-ins show: what is being paid, and "pay" / "cancel". */
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
}
