// Drives Debian's chromium through playwright-core for benchmarks/search_scale.py: one browser, a fresh
// context (cold cache) per measurement, optional CPU throttling through the DevTools protocol.
// Usage: node benchmarks/search_probe.mjs '{"runs": [{"url": "...", "result": "css", "link": "css"}], "rates": [1, 4], "repeat": 3}'
// Prints one JSON array: per run, per rate, per repetition {ms, shellMs, marks: {name: ms}, responses: [[url, bytes]], links: [...]}.
// ms = milliseconds from navigation start until the first element matching `result` is in the DOM
// (a MutationObserver installed before any page script runs: the engine itself is a black box);
// marks = the page's performance marks (ms after navigation start): "search:start" is when the engine's
// script starts handling the query, so ms - marks["search:start"] is the query's own latency.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const opts = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"],
});

async function measure(run, rate) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  const bodies = [];
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => bodies.push(r.body().then((b) => [r.url(), b.length], () => [r.url(), 0])));
  await page.addInitScript((selector) => {
    window.__firstResults = null;
    const seen = () => {
      if (window.__firstResults === null && document.querySelector(selector)) window.__firstResults = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  }, run.result);
  let ms = null;
  try {
    await page.goto(run.url, { waitUntil: "commit" });
    await page.waitForFunction(() => window.__firstResults !== null, null, { timeout: opts.timeout || 60000, polling: 50 });
    ms = Math.round(await page.evaluate(() => window.__firstResults));
    await page.waitForLoadState("networkidle");
  } catch (e) {
    errors.push(String(e).slice(0, 300));
  }
  // The page shell's own cost, for reference: when the HTML was parsed and its deferred scripts ran.
  const shellMs = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return nav ? Math.round(nav.domContentLoadedEventEnd) : null;
  }).catch(() => null);
  // The search's own marks (performance.mark): "search:start" when its script starts handling the query,
  // and per engine the steps after it (ours: woo-search:meta, woo-search:index, woo-search:display).
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark")
    .map((m) => [m.name, Math.round(m.startTime)]))).catch(() => ({}));
  const links = await page.evaluate(([result, link]) => Array.from(document.querySelectorAll(result)).map((li) => {
    const a = li.querySelector(link);
    return a ? a.getAttribute("href") : null;
  }), [run.result, run.link]).catch(() => []);
  const responses = await Promise.all(bodies);
  await context.close();
  return { ms, shellMs, marks, responses, links, errors };
}

const out = [];
for (const run of opts.runs) {
  const perRate = {};
  for (const rate of opts.rates || [1]) {
    perRate[rate] = [];
    for (let i = 0; i < (opts.repeat || 1); i++) perRate[rate].push(await measure(run, rate));
  }
  out.push(perRate);
}
await browser.close();
process.stdout.write(JSON.stringify(out));
