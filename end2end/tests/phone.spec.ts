import { expect, Page, test } from "@playwright/test";
import { signIn, signOut, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

// A phone's screen, and content as long as the app allows, without a place to break a line.
test.use({ viewport: { width: 390, height: 844 } });

const unbroken = (length: number, id: string) => (id + "W".repeat(length)).slice(0, length);

/** The document is no wider than the screen: nothing on the page makes it scroll sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { document, viewport } = await page.evaluate(() => ({
    document: window.document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(document, `${what} is ${document} px wide on a ${viewport} px screen`).toBeLessThanOrEqual(viewport);
}

/** The header's parts (brand, nav, account corner) share one row. */
async function expectHeaderInOneRow(page: Page, what: string) {
  const boxes = await page.locator(".site-header > *").evaluateAll((parts) =>
    parts.map((part) => part.getBoundingClientRect()).map(({ top, bottom }) => ({ top, bottom })),
  );
  const lowestTop = Math.max(...boxes.map((box) => box.top));
  const highestBottom = Math.min(...boxes.map((box) => box.bottom));
  expect(lowestTop, `the header takes more than one row on ${what}: ${JSON.stringify(boxes)}`).toBeLessThan(highestBottom);
}

/** Opens `where` and waits until its content has loaded. */
async function showing(page: Page, where: string) {
  await page.goto(where);
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator("main .loading")).toHaveCount(0);
}

/** `screenshots/phone-<what>.png`, named after the page's description. */
async function photograph(page: Page, what: string) {
  const name = what.replace(/^the /, "").replace(/[^a-z0-9]+/gi, "-").replace(/-$/, "");
  await page.screenshot({ path: `screenshots/phone-${name}.png`, fullPage: true });
}

test("on a 390 px phone no page scrolls sideways, whatever the content, and the header is one row", async ({ page }) => {
  // Many pages, each now opening its live connection (a signed ticket call, then a socket):
  // past 20 s of a 30 s budget on 2 cores with the other files running.
  test.setTimeout(60_000);
  const id = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const tag = unbroken(30, `p${id}`).toLowerCase();
  const title = unbroken(200, `Title${id}`);
  const body = [
    `A word without a break: ${unbroken(300, "word")}`,
    "",
    `A link: https://example.com/${unbroken(200, "path")}?query=${unbroken(100, "q")}`,
    "",
    "```",
    `let line_of_code = "${unbroken(240, "code")}";`,
    "```",
    "",
    `| ${Array.from({ length: 12 }, (_, i) => `column ${i}`).join(" | ")} |`,
    `|${" --- |".repeat(12)}`,
    `| ${Array.from({ length: 12 }, () => unbroken(20, "cell")).join(" | ")} |`,
  ].join("\n");

  const email = uniqueEmail(`phone${unbroken(40, "x")}`);
  await signUp(page, email);
  await signIn(page, email);
  await expectHeaderInOneRow(page, "the welcome page");
  await expectNoSidewaysScroll(page, "the welcome page");
  await photograph(page, "the welcome page");
  await becomeWriter(page, unbroken(60, `Name${id}`), unbroken(80, `Blog${id}`));
  await expectNoSidewaysScroll(page, "the editor, empty");
  await page.getByLabel("Text (Markdown)").fill(body);
  await expect(page.getByTestId("preview").locator("table")).toBeVisible();
  await expectNoSidewaysScroll(page, "the editor with its preview");
  const path = await publish(page, title, body, `${tag}, rust`);
  const blogPath = (await page.locator(".post .post-blog").getAttribute("href"))!;
  const authorPath = (await page.locator(".post .post-author").getAttribute("href"))!;

  const pages: [string, string][] = [
    [path, "the post"],
    [`${path}/edit`, "the editor of the post"],
    ["/", "the home page"],
    [`/tags/${tag}`, "the tag page"],
    [blogPath, "the blog's page"],
    [authorPath, "the author's page"],
    ["/profile", "the profile"],
    ["/me", "the writer's home"],
    ["/write", "the editor"],
    ["/blogs/new", "the new blog form"],
    ["/guestbook", "the guestbook"],
    ["/about", "the about page"],
  ];
  for (const [where, what] of pages) {
    await showing(page, where);
    await expectNoSidewaysScroll(page, what);
    await expectHeaderInOneRow(page, what);
    await photograph(page, what);
  }
  await page.goto(path);
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await page.screenshot({ path: "screenshots/phone-long-content.png", fullPage: true });

  await signOut(page);
  for (const [where, what] of [
    ["/", "the home page, as a guest"],
    [path, "the post, as a guest"],
    ["/signin", "sign-in"],
    ["/signup", "sign-up"],
  ]) {
    await showing(page, where);
    await expectNoSidewaysScroll(page, what);
    await expectHeaderInOneRow(page, what);
    await photograph(page, what);
  }
});
