// Time to first render of the home page, as a first-time visitor sees it: a fresh browser
// context (empty cache) per run, Debian's Chromium. Prints one JSON document.
//   node bench/first-render.mjs <base url> <runs>
import { launch, median } from "./chromium.mjs";

const [baseUrl, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const browser = await launch();
const samples = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(baseUrl, { waitUntil: "commit" });
  // First render: the app has mounted and shows the feed's heading; content: the first card.
  await page.getByRole("heading", { name: "Recent posts" }).waitFor();
  const shell = await page.evaluate(() => performance.now());
  await page.locator(".post-card, .empty").first().waitFor();
  const content = await page.evaluate(() => performance.now());
  const nav = await page.evaluate(() => {
    const [entry] = performance.getEntriesByType("navigation");
    return { responseEnd: entry.responseEnd, domContentLoaded: entry.domContentLoadedEventEnd };
  });
  samples.push({ app_mounted_ms: shell, feed_rendered_ms: content, dom_content_loaded_ms: nav.domContentLoaded });
  await context.close();
}
await browser.close();
console.log(JSON.stringify({
  runs,
  dom_content_loaded_p50_ms: median(samples, "dom_content_loaded_ms"),
  app_mounted_p50_ms: median(samples, "app_mounted_ms"),
  feed_rendered_p50_ms: median(samples, "feed_rendered_ms"),
}));
