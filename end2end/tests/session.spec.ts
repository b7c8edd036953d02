import { expect, Page, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./support/auth";

const SESSION_KEY = "stratus.session";

/** Cognito calls the page makes, by X-Amz-Target operation. */
function cognitoCalls(page: Page) {
  const seen: string[] = [];
  page.on("request", (request) => {
    const target = request.headers()["x-amz-target"];
    if (target) seen.push(target.split(".").pop()!);
  });
  return seen;
}

async function signGuestbook(page: Page, message: string) {
  await page.getByLabel("Your name").fill("Clock");
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Sign the guestbook" }).click();
  await expect(page.getByTestId("guestbook-entries").getByText(message)).toBeVisible();
}

test("temporary credentials are renewed before they expire, without the user noticing", async ({ page }) => {
  // The identity pool's credentials last an hour. Rewritten to last 90 seconds, their renewal
  // shows without moving the page's clock further than the 15 minutes a signature may be off.
  await page.route("**/*", async (route) => {
    if (!route.request().headers()["x-amz-target"]?.endsWith(".GetCredentialsForIdentity")) {
      return route.fallback();
    }
    const response = await route.fetch();
    const answer = await response.json();
    answer.Credentials.Expiration = Date.now() / 1000 + 90;
    await route.fulfill({ response, json: answer });
  });
  await page.clock.install();
  const email = uniqueEmail("clock");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/guestbook");
  const calls = cognitoCalls(page);
  const exchanges = () => calls.filter((c) => c === "GetCredentialsForIdentity").length;
  await signGuestbook(page, `before ${Date.now()}`);
  // From here the page holds credentials (the calls of its first load may each have fetched
  // some, as they ran at once): the next call reuses them.
  const afterFirstCall = exchanges();
  await signGuestbook(page, `cached ${Date.now()}`);
  expect(exchanges()).toBe(afterFirstCall);

  // Renewed after two thirds of their life: 60 of the 90 seconds.
  await page.clock.fastForward("01:10");
  await signGuestbook(page, `after ${Date.now()}`);
  expect(exchanges()).toBe(afterFirstCall + 1);
});

test("an ID token about to expire is refreshed silently; a dead refresh token ends the session", async ({ page }) => {
  const email = uniqueEmail("refresh");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/guestbook");

  const before = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
  await page.evaluate(
    ([key, session]) => localStorage.setItem(key, JSON.stringify({ ...session, expires_at_ms: Date.now() + 60_000 })),
    [SESSION_KEY, before] as const,
  );
  const calls = cognitoCalls(page);
  await signGuestbook(page, `refreshed ${Date.now()}`);
  expect(calls).toContain("InitiateAuth");
  const after = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
  expect(after.expires_at_ms).toBeGreaterThan(Date.now() + 30 * 60_000);

  await page.evaluate(
    ([key, session]) =>
      localStorage.setItem(key, JSON.stringify({ ...session, refresh_token: "revoked", expires_at_ms: Date.now() - 1 })),
    [SESSION_KEY, after] as const,
  );
  await page.getByLabel("Message").fill("never sent");
  await page.getByRole("button", { name: "Sign the guestbook" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your session has ended. Please sign in again." })).toBeVisible();
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
});
