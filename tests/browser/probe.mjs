// Drives Debian's chromium through playwright-core for the page tests. Prints one JSON object.
// Usage: node probe.mjs '{"url": "...", "axe": true, "javascript": true, "width": 1280, "screenshot": "x.png", "waitFor": "#sel",
//                         "evaluate": "JS expression, its JSON value is returned as evaluated",
//                         "init": "JS run before the page's own scripts"}'
//    or: node probe.mjs '{"pages": [{...}, {...}]}': each page as above, each in a browser context of its own (its own
//        cookies, storage and cache, as a new browser would have), in one browser launch; prints a JSON list.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const input = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"],
});
async function probePage(opts) {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javascript !== false,
    viewport: { width: opts.width || 1280, height: opts.height || 900 },
  });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  // Content-Security-Policy violations (the site's own headers, as the test server sends them).
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // A script of the test's own, run in every document before the page's scripts (e.g. to count events).
  if (opts.init) await page.addInitScript(opts.init);
  let bytes = 0;
  page.on("response", async (r) => {
    try { const b = await r.body(); bytes += b.length; } catch (e) { /* redirects have no body */ }
  });
  const started = Date.now();
  const response = await page.goto(opts.url, { waitUntil: "load" });
  let firstResultsMs = null;
  if (opts.waitFor) {
    await page.waitForFunction((sel) => {
      const el = document.querySelector(sel);
      return el && el.textContent.trim().length > 0;
    }, opts.waitFor, { timeout: 30000 });
    firstResultsMs = Date.now() - started;
  }
  await page.waitForLoadState("networkidle");
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { load: nav ? nav.loadEventEnd : null, done: window.wooSearchDone || null };
  });
  const out = {
    status: response ? response.status() : null,
    firstResultsMs,
    resultsAfterLoadMs: timing.done && timing.load ? Math.round(timing.done - timing.load) : null,
    resultsAfterNavigationMs: timing.done ? Math.round(timing.done) : null,
    bytes,
    requests,
    errors,
    cookies: await context.cookies(),
    cspViolations: await page.evaluate(() => window.__cspViolations || []),
    headers: response ? await response.allHeaders() : {},
    html: await page.content(),
  };
  if (opts.evaluate) out.evaluated = await page.evaluate(opts.evaluate);
  if (opts.axe) {
    // Evaluated through the DevTools protocol, not as a <script> tag: the site's CSP rightly refuses those.
    const fs = await import("node:fs");
    await page.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
    out.axe = await page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    });
  }
  if (opts.keyboard) {
    const focused = [];
    for (let i = 0; i < opts.keyboard; i++) {
      await page.keyboard.press("Tab");
      focused.push(await page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return null;
        const style = getComputedStyle(el);
        return { tag: el.tagName, text: (el.textContent || el.value || "").trim().slice(0, 60),
                 href: el.getAttribute("href"), outline: style.outlineStyle + " " + style.outlineWidth,
                 boxShadow: style.boxShadow };
      }));
    }
    out.focus = focused;
  }
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
  await context.close();
  return out;
}

const results = [];
for (const opts of Array.isArray(input.pages) ? input.pages : [input]) results.push(await probePage(opts));
await browser.close();
process.stdout.write(JSON.stringify(Array.isArray(input.pages) ? results : results[0]));
