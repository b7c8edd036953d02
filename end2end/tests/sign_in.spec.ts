import { expect, Page, Request, test } from "@playwright/test";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support/auth";

const SESSION_KEY = "stratus.session";

/** The user pool calls the page makes: operation and body. */
function userPoolCalls(page: Page) {
  const seen: { operation: string; body: any }[] = [];
  page.on("request", (request: Request) => {
    const target = request.headers()["x-amz-target"];
    if (target?.startsWith("AWSCognitoIdentityProviderService.")) {
      seen.push({ operation: target.split(".").pop()!, body: request.postDataJSON() });
    }
  });
  return seen;
}

test("sign-in proves the password by SRP, never sending it, and a wrong password is refused", async ({ page }) => {
  const email = uniqueEmail("srp");
  await signUp(page, email);
  const calls = userPoolCalls(page);

  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("Wrong-horse-9");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();

  await signIn(page, email);
  const started = calls.filter((c) => c.operation === "InitiateAuth").map((c) => c.body.AuthFlow);
  expect(started).toEqual(["USER_SRP_AUTH", "USER_SRP_AUTH"]);
  const proofs = calls.filter((c) => c.operation === "RespondToAuthChallenge");
  expect(proofs.map((c) => c.body.ChallengeName)).toEqual(["PASSWORD_VERIFIER", "PASSWORD_VERIFIER"]);
  expect(proofs[1].body.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE).toMatch(/^[A-Za-z0-9+/]+=*$/);
  for (const call of calls) {
    expect(JSON.stringify(call.body)).not.toContain(PASSWORD);
    expect(JSON.stringify(call.body)).not.toContain("Wrong-horse-9");
  }
});

test("after signing out, a copy of the session's tokens is refused by the server", async ({ page }) => {
  const email = uniqueEmail("copied");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
  await expect(page.getByLabel("Display name")).toBeVisible();
  const copy = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);

  await signOut(page);
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
  // What a second tab, or someone who copied the tokens, still holds: unexpired tokens.
  await page.evaluate(([key, session]) => localStorage.setItem(key, session!), [SESSION_KEY, copy] as const);
  await page.goto("/profile");
  await expect(page.getByText("You signed out of this session. Please sign in again.")).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: /sign in/i })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Your session has ended. Please sign in again." })).toBeVisible();
  expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
});

test("signing out everywhere ends the session on another device too", async ({ browser }) => {
  const laptop = await (await browser.newContext()).newPage();
  const phone = await (await browser.newContext()).newPage();
  const email = uniqueEmail("everywhere");
  await signUp(laptop, email);
  await signIn(laptop, email);
  await signIn(phone, email);
  await phone.goto("/profile");
  await expect(phone.getByLabel("Display name")).toBeVisible();

  await laptop.goto("/profile");
  const globalSignOut = laptop.waitForRequest(
    (request) => request.headers()["x-amz-target"] === "AWSCognitoIdentityProviderService.GlobalSignOut",
  );
  await laptop.getByRole("button", { name: "Sign out everywhere" }).click();
  await globalSignOut;
  await expect(laptop.getByText("You are signed out on every device.")).toBeVisible();
  await expect(laptop.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();

  // The phone's ID token has not expired, but the server no longer takes it.
  await phone.reload();
  await expect(phone.getByText("You signed out on every device. Please sign in again.")).toBeVisible();
  await expect(phone.getByRole("status").filter({ hasText: "Your session has ended" })).toBeVisible();

  // Signing in again works (a second later: tokens carry whole seconds).
  await phone.waitForTimeout(1100);
  await signIn(phone, email);
  await phone.goto("/profile");
  await expect(phone.getByLabel("Display name")).toBeVisible();
});
