import { createHash } from "node:crypto";
import { expect, Page, test } from "@playwright/test";
import { uniqueEmail } from "./support/auth";

// "Continue with Google" through the user pool's hosted endpoints (ministack's) and the local
// OpenID Connect provider that `cargo xtask` runs in Google's place (npm `oidc-provider`, which
// takes any email and any password).

const ATTEMPT_KEY = "stratus.hosted-sign-in";

/** Clicks "Continue with Google" and signs in at the local provider; the authorize request's query. */
async function continueWithGoogle(page: Page, email: string): Promise<URLSearchParams> {
  const authorize = page.waitForRequest((request) => request.url().includes("/oauth2/authorize"));
  await page.getByRole("button", { name: "Continue with Google" }).click();
  const query = new URL((await authorize).url()).searchParams;
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  return query;
}

/** Brings the browser to the user pool's answer without letting the app use it; its address. */
async function answerWithheld(page: Page, email: string): Promise<{ answer: string; attempt: string }> {
  await page.goto("/signin");
  // The sign-in page's code loads on demand: let it arrive before the app's code is blocked.
  await expect(page.getByRole("button", { name: "Continue with Google" })).toBeVisible();
  // The answer arrives by redirects, which routes do not see; the app's code is a request of its own.
  await page.route("**/pkg/**", (route) => route.abort());
  await continueWithGoogle(page, email);
  await page.waitForURL(/\/auth\/callback\?/);
  const answer = page.url();
  await page.unrouteAll();
  // Back on the site (its session storage is this tab's): the attempt still waits there.
  await page.goto("/about");
  const attempt = await page.evaluate((key) => sessionStorage.getItem(key), ATTEMPT_KEY);
  expect(attempt).toBeTruthy();
  return { answer, attempt: attempt! };
}

test("Continue with Google signs in through the user pool with PKCE and returns to the page the person came from", async ({ page }) => {
  const email = uniqueEmail("google");
  const tokenRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/oauth2/token")) tokenRequests.push(request.postData() ?? "");
  });

  await page.goto("/signin?next=%2Fprofile");
  const authorize = await continueWithGoogle(page, email);

  // A new user: asked for a name once (a signed write with the hosted sign-in's tokens), then
  // on to the page they came from.
  await expect(page.getByTestId("account")).toContainText(`Signed in as ${email}`);
  const name = page.getByLabel("What should readers call you?");
  await name.fill("");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#welcome-name-error")).toContainText("Please");
  await name.fill("Federated Ada");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByLabel("Display name")).toHaveValue("Federated Ada");

  expect(authorize.get("identity_provider")).toBe("Google");
  expect(authorize.get("response_type")).toBe("code");
  expect(authorize.get("code_challenge_method")).toBe("S256");
  expect(authorize.get("state")).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(tokenRequests).toHaveLength(1);
  const exchange = new URLSearchParams(tokenRequests[0]);
  const verifier = exchange.get("code_verifier")!;
  expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // The verifier sent with the code is the one whose hash went with the authorize request.
  expect(createHash("sha256").update(verifier).digest("base64url")).toBe(authorize.get("code_challenge"));
  expect(await page.evaluate((key) => sessionStorage.getItem(key), ATTEMPT_KEY)).toBeNull();
});

test("an answer is used once, only by the tab that started it, and only with its own state", async ({ page }) => {
  const { answer, attempt } = await answerWithheld(page, uniqueEmail("replay"));
  const tokenCalls = () => page.waitForRequest((r) => r.url().includes("/oauth2/token"), { timeout: 3_000 }).then(() => true, () => false);

  // Another state than the one this tab started: refused before any exchange.
  const forged = JSON.stringify({ ...JSON.parse(attempt), state: "not-the-one-sent" });
  await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [ATTEMPT_KEY, forged] as const);
  const exchangedForged = tokenCalls();
  await page.goto(answer);
  await expect(page.getByRole("alert")).toContainText("does not belong to the sign-in this tab started");
  expect(await exchangedForged).toBe(false);
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();

  // The right attempt: signed in.
  await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [ATTEMPT_KEY, attempt] as const);
  await page.goto(answer);
  await expect(page.getByTestId("account")).toContainText("Signed in as");

  // The same answer again: this tab has no attempt waiting any more.
  await page.goto(answer);
  await expect(page.getByRole("alert")).toContainText("not started in this tab, or it is already finished");

  // Even with the attempt put back, the user pool refuses a code already exchanged.
  await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [ATTEMPT_KEY, attempt] as const);
  await page.goto(answer);
  await expect(page.getByRole("alert")).toContainText("already used or has expired");
});

test("a cancelled sign-in at the provider says so and leaves the person signed out", async ({ page }) => {
  await page.goto("/signin");
  const authorize = page.waitForRequest((request) => request.url().includes("/oauth2/authorize"));
  await page.getByRole("button", { name: "Continue with Google" }).focus();
  await page.keyboard.press("Enter");
  const state = new URL((await authorize).url()).searchParams.get("state")!;
  await expect(page.getByRole("link", { name: "[ Cancel ]" })).toBeVisible();
  // Cognito sends a provider's refusal back to the site as `error=access_denied`; ministack
  // answers it with a JSON error of its own instead, so that last redirect is made here.
  await page.goto(`/auth/callback?error=access_denied&error_description=End-User+aborted&state=${state}`);
  await expect(page.getByRole("alert")).toContainText("Signing in with Google was cancelled");
  await page.getByRole("link", { name: "Back to sign in" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();
});
