// Opens one page per origin in a real headless Chromium and lets each page call the gateway with fetch().
// Usage: node cors-check.mjs <gatewayUrl> <allowedPageUrl> <forbiddenPageUrl> <allowedRequestId> <forbiddenRequestId>
// Prints one JSON line: {"allowed": {...}, "forbidden": {...}}; each is {"ok", "status", "body"} or {"ok": false, "error"}.
import { chromium } from 'playwright-core';

const [gatewayUrl, allowedPage, forbiddenPage, allowedId, forbiddenId] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

async function callFrom(pageUrl, requestId) {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    return await page.evaluate(async ({ gatewayUrl, requestId }) => {
      try {
        const response = await fetch(gatewayUrl + '/api/payment/verify/REF-BROWSER', {
          headers: { 'X-Request-Id': requestId, 'Content-Type': 'application/json' },
        });
        return {
          ok: true,
          status: response.status,
          requestId: response.headers.get('X-Request-Id'),
          body: await response.text(),
        };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    }, { gatewayUrl, requestId });
  } finally {
    await page.close();
  }
}

try {
  const allowed = await callFrom(allowedPage, allowedId);
  const forbidden = await callFrom(forbiddenPage, forbiddenId);
  console.log(JSON.stringify({ allowed, forbidden }));
} finally {
  await browser.close();
}
