// A DevTools timeline trace of one cold load of the search page until the first result (benchmarks/README.md,
// "Format 7"): node benchmarks/search_trace.mjs URL RATE OUT.json [RESULT-SELECTOR]; RATE: CPU throttling (4 = a
// mid-range phone). Prints the first result's time and the page's marks; benchmarks/search_trace.py reads OUT.json.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [url, rate, out, sel] = [process.argv[2], +process.argv[3], process.argv[4], process.argv[5] || "#woo-search-results > li"];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate });
await page.addInitScript((selector) => {
  window.__firstResults = null;
  new MutationObserver(() => { if (window.__firstResults === null && document.querySelector(selector)) window.__firstResults = performance.now(); })
    .observe(document, { childList: true, subtree: true });
}, sel);
await browser.startTracing(page, { path: out, categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8.execute", "loading", "netlog"] });
await page.goto(url, { waitUntil: "commit" });
await page.waitForFunction(() => window.__firstResults !== null, null, { timeout: 60000, polling: 50 });
const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)])));
const first = await page.evaluate(() => window.__firstResults);
await page.waitForTimeout(300);
await browser.stopTracing();
console.log(JSON.stringify({ first: Math.round(first), marks }));
await browser.close();
