import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

// The size the pages are audited and photographed at (the phone's is phone.spec.ts's).
test.use({ viewport: { width: 1280, height: 800 } });

/** Opens `where`, waits for its content, audits it with axe (WCAG 2.1 A and AA rules), and
 * writes its screenshot as `screenshots/desktop-<name>.png`. */
async function audit(page: Page, where: string, name: string) {
  await page.goto(where);
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator("main .loading")).toHaveCount(0);
  await auditAsItIs(page, where);
  await page.screenshot({ path: `screenshots/desktop-${name}.png`, fullPage: true });
}

async function auditAsItIs(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const grave = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(grave, `serious or critical accessibility problems on ${where}`).toEqual([]);
}

// Each audit takes a second or two, and the suite runs its files side by side.
test.describe.configure({ timeout: 120_000 });

test("no page a guest sees has a serious or critical accessibility problem", async ({ page }) => {
  for (const [where, name] of [
    ["/", "home-guest"],
    ["/about", "about"],
    ["/guestbook", "guestbook"],
    ["/signin", "sign-in"],
    ["/signup", "sign-up"],
    ["/forgot-password", "forgot-password"],
    ["/confirm", "confirm"],
  ]) {
    await audit(page, where, name);
  }
});

test("no page a writer sees has a serious or critical accessibility problem", async ({ page }) => {
  const id = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const email = uniqueEmail("axe");
  await signUp(page, email);
  await signIn(page, email);
  // The first sign-in's question of a name.
  await expect(page.getByRole("heading", { name: "Welcome to Stratus" })).toBeVisible();
  await auditAsItIs(page, "the welcome page");
  await page.screenshot({ path: "screenshots/desktop-welcome.png", fullPage: true });
  await becomeWriter(page, "Axe Tester", `Audited ${id}`);
  const path = await publish(page, `Audited post ${id}`, "# A heading\n\nSome *text* and a [link](https://example.com).", `a${id}`);
  const blog = (await page.locator(".post .post-blog").getAttribute("href"))!;
  const author = (await page.locator(".post .post-author").getAttribute("href"))!;
  for (const [where, name] of [
    [path, "post"],
    [`${path}/edit`, "editor"],
    ["/write", "new-post"],
    ["/blogs/new", "new-blog"],
    [blog, "blog"],
    [author, "author"],
    [`/tags/a${id}`, "tag"],
    ["/", "home"],
    ["/me", "writer-home"],
  ]) {
    await audit(page, where, name);
  }
  // The authenticator app's setup, with its QR code and code field.
  await audit(page, "/profile", "profile");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  await auditAsItIs(page, "the authenticator app's setup");
});
