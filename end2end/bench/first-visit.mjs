// A first-time visitor opening the home page: a fresh browser context (empty cache) per run,
// Debian's Chromium, timed to the feed's first post, and what the visit downloaded. Prints one
// JSON document.
//   node bench/first-visit.mjs <base url> <runs> [loopback|slow-mobile]
//
// slow-mobile is Chrome DevTools' network emulation (CDP Network.emulateNetworkConditions):
// 1.6 Mbps down, 750 kbps up, 150 ms latency added to each request, as DevTools' "Slow 4G"
// preset of old ("Fast 3G" in Lighthouse). The same page works for the Stratus client and the
// React + Amplify baseline: both show the heading "Recent posts" and a `.post-card` per post.
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { launch, median } from "./chromium.mjs";

const [baseUrl, runsArg, network = "loopback"] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const SLOW_MOBILE = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

const browser = await launch();
const samples = [];
let firstVisit;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (network === "slow-mobile") await cdp.send("Network.emulateNetworkConditions", SLOW_MOBILE);
  const requests = new Map();
  cdp.on("Network.responseReceived", ({ requestId, response, type }) => {
    requests.set(requestId, { url: response.url, type, status: response.status, encoding: response.headers["content-encoding"] ?? response.headers["Content-Encoding"] ?? "" });
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const request = requests.get(requestId);
    if (request) request.wireBytes = encodedDataLength;
  });
  await page.goto(baseUrl, { waitUntil: "commit" });
  await page.getByRole("heading", { name: "Recent posts" }).waitFor({ timeout: 60_000 });
  const shell = await page.evaluate(() => performance.now());
  await page.locator(".post-card, .empty").first().waitFor({ timeout: 60_000 });
  const content = await page.evaluate(() => performance.now());
  const domContentLoaded = await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd);
  samples.push({ app_mounted_ms: shell, feed_rendered_ms: content, dom_content_loaded_ms: domContentLoaded });
  if (i === 0) firstVisit = [...requests.values()];
  await context.close();
}
await browser.close();

// The code and style a first visit downloads (the page, scripts, wasm, stylesheets), each
// fetched again whole to size it as gzip -9 and brotli 11 would send it; and everything the
// browser received, data and headers included, as it came over the wire.
const isCode = (r) => ["Document", "Script", "Stylesheet"].includes(r.type) || /\.(wasm|js|css)$/.test(new URL(r.url).pathname);
const files = [];
for (const request of firstVisit.filter(isCode)) {
  const body = Buffer.from(await (await fetch(request.url, { headers: { "accept-encoding": "identity" } })).arrayBuffer());
  files.push({
    path: new URL(request.url).pathname,
    raw_bytes: body.length,
    gzip_bytes: gzipSync(body, { level: 9 }).length,
    brotli_bytes: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    served_encoding: request.encoding,
  });
}
const sum = (key) => files.reduce((total, file) => total + file[key], 0);
console.log(JSON.stringify({
  runs,
  network: network === "slow-mobile" ? { name: network, ...SLOW_MOBILE } : { name: network },
  dom_content_loaded_p50_ms: median(samples, "dom_content_loaded_ms"),
  app_mounted_p50_ms: median(samples, "app_mounted_ms"),
  feed_rendered_p50_ms: median(samples, "feed_rendered_ms"),
  first_visit: {
    code: { files: files.length, raw_bytes: sum("raw_bytes"), gzip_bytes: sum("gzip_bytes"), brotli_bytes: sum("brotli_bytes") },
    requests: firstVisit.length,
    wire_bytes: firstVisit.reduce((total, r) => total + (r.wireBytes ?? 0), 0),
    files,
  },
}));
