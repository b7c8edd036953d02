import { CDPSession, expect, Page, test } from "@playwright/test";

// The site served as a CDN serves it (issue 18): built files named by their content and cached
// for good, the shell and the configuration asked for on every visit, compressed for browsers
// that ask, and the pages other than the home page fetched when first opened.

type Seen = { url: string; status: number; cached: boolean; headers: Record<string, string> };

/** Every response the page receives from now on, as Chromium's network layer saw it:
 * `cached` when it came from the browser's memory or disk cache without a request. */
async function watchNetwork(page: Page): Promise<{ seen: Seen[]; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const seen: Seen[] = [];
  cdp.on("Network.responseReceived", ({ response }) => {
    const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    seen.push({ url: response.url, status: response.status, cached: !!(response.fromDiskCache || response.fromMemoryCache), headers });
  });
  return { seen, cdp };
}

const path = (url: string) => new URL(url).pathname;
const isData = (url: string) => path(url) === "/config.json" || path(url).startsWith("/api/");

async function openHome(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Recent posts" })).toBeVisible();
  await expect(page.locator(".post-card, .empty").first()).toBeVisible();
  // Then the live client's files, fetched once the feed shows, and its connection: a visit
  // that left before they came would leave them for the next one to download.
  await expect(page.locator(".new-posts")).toHaveAttribute("data-live", "true");
}

test("a second visit downloads only the page and the configuration", async ({ context, page }) => {
  const first = await watchNetwork(page);
  await openHome(page);

  const built = first.seen.filter((r) => /\/(pkg\/|boot\.)/.test(path(r.url)));
  expect(built.map((r) => path(r.url))).toEqual(expect.arrayContaining([expect.stringMatching(/^\/pkg\/stratus\.[\w-]{16,}\.wasm$/)]));
  for (const response of built) {
    expect(response.headers["cache-control"], path(response.url)).toBe("public, max-age=31536000, immutable");
  }
  const shell = first.seen.find((r) => path(r.url) === "/");
  expect(shell?.headers["cache-control"]).toBe("no-cache");
  const wasm = built.find((r) => path(r.url).endsWith(".wasm"));
  expect(["br", "gzip"], "the wasm is compressed for a browser that asks").toContain(wasm?.headers["content-encoding"]);
  await first.cdp.detach();

  // Coming back later: a new tab of the same browser, so its cache (same-URL navigation in
  // the same tab is a reload, which Chromium treats differently).
  await page.close();
  const later = await context.newPage();
  const second = await watchNetwork(later);
  await openHome(later);

  // Cached, or revalidated with no body (304: the favicon has no hash in its name).
  const downloaded = second.seen.filter((r) => !r.cached && r.status !== 304).map((r) => path(r.url));
  const unexpected = downloaded.filter((p) => p !== "/" && !isData(`http://x${p}`));
  expect(unexpected, "files fetched again on the second visit").toEqual([]);
  expect(downloaded).toContain("/");
  expect(downloaded).toContain("/config.json");
  expect(second.seen.filter((r) => r.cached).length, "the built files came from the cache").toBeGreaterThan(0);
});

test("the home page's first visit leaves the other pages' code on the server until one is opened", async ({ page }) => {
  const network = await watchNetwork(page);
  const wasm = () => network.seen.map((r) => path(r.url)).filter((p) => p.endsWith(".wasm"));
  await openHome(page);
  // The app's own file, once; the live client for "N new posts" follows once the feed shows
  // (files of its own), but no page group's code comes with the home page.
  expect(wasm().filter((p) => /^\/pkg\/stratus\.[\w-]+\.wasm$/.test(p)), "the app's file").toHaveLength(1);
  expect(wasm().filter((p) => /split_\w+_pages_/.test(p)), "other pages' code").toEqual([]);

  await page.getByRole("link", { name: "About" }).click();
  // By name: the home page's heading stays on screen while the About page's code is loading.
  await expect(page.getByRole("heading", { name: "About Stratus", level: 1 })).toBeVisible();
  expect(wasm().filter((p) => /split_other_pages_/.test(p)), "the About page's group").toHaveLength(1);
});

test("a stale page's boot script is refused by name, not answered with the app", async ({ request }) => {
  const response = await request.get("/boot.0000000000000000aaaa.js");
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain("is not a file of this build");
});

test("while a page's code is on its way, the header says the page is loading", async ({ page }) => {
  await openHome(page);
  // A slow network: the About page's group of files takes a second and a half to arrive.
  await page.route("**/pkg/split_*", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.getByRole("link", { name: "About" }).click();
  const status = page.getByRole("status").filter({ hasText: "Loading the page…" });
  await expect(status).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /about/i })).toBeVisible();
  await expect(status).toBeHidden();
});
