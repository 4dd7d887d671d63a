// Opens a page in a real headless Chromium, optionally chooses an option in a <select>, clicks a button, and waits for
// the page that button leads to, as a person would.
// Usage: node click.mjs <pageUrl> <buttonSelector> [<selectSelector> <optionValue>]
// Prints one JSON line: {"ok": true, "from": <title of the first page>, "url": <url after the click>, "text": <its text>}
// or {"ok": false, "error": ...}.
import { chromium } from 'playwright-core';

const [pageUrl, button, select, option] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  const opened = await page.goto(pageUrl);
  if (!opened || !opened.ok()) {
    throw new Error(`${pageUrl} answered ${opened ? opened.status() : 'nothing'}`);
  }
  const from = await page.title();
  if (select) {
    await page.selectOption(select, option);
  }
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click(button)]);
  console.log(JSON.stringify({ ok: true, from, url: page.url(), text: await page.innerText('body') }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e) }));
} finally {
  await browser.close();
}
