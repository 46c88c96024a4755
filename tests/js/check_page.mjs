// Drives migraph's query page in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core): loads the page, picks an example query, runs it, waits
// for the result table and prints {"rows": n, "status": "...", "example": "..."} as
// JSON on stdout. Exits 1 with a message on stderr when the page fails.
//
// Usage: node tests/js/check_page.mjs http://127.0.0.1:PORT/ "Example title"
//        (after `npm ci` in tests/js; CHROMIUM overrides the browser path)

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, example] = process.argv.slice(2);
if (!url || !example) {
  console.error("usage: node check_page.mjs URL EXAMPLE_TITLE");
  process.exit(2);
}

// A fresh profile per run, so that no state leaks between runs; playwright takes
// it as the persistent context's directory (it refuses --user-data-dir in args).
const profile = mkdtempSync(join(tmpdir(), "migraph-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let code = 0;
try {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(url, { waitUntil: "load", timeout: 30000 });
  await page.selectOption("#examples", { label: example });
  const query = await page.inputValue("#query");
  if (!query.includes("SELECT")) {
    throw new Error(`choosing "${example}" did not fill the query box: ${query}`);
  }
  await page.click("#run");
  // Either the result table or an error status ends the wait.
  await page.waitForSelector("#results table tbody tr, #status.error", { timeout: 60000 });
  const status = await page.textContent("#status");
  const rows = await page.locator("#results table tbody tr").count();
  const downloads = await page.locator("#downloads a").count();
  if (problems.length > 0) {
    throw new Error(`script errors on the page: ${problems.join("; ")}`);
  }
  console.log(JSON.stringify({ example, rows, downloads, status }));
} catch (error) {
  console.error(`page check failed: ${error.message}`);
  code = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
