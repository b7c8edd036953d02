import { expect, Page, test } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support/auth";

/** The authenticator app: RFC 6238 codes for the secret the page showed (npm `otpauth`). */
function app(secret: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  return {
    now: () => totp.generate(),
    /** A code from five periods ago: what an app shows for a stale entry. */
    stale: () => totp.generate({ timestamp: Date.now() - 5 * 30_000 }),
    /** Six digits that match no period the user pool accepts (the current one and its neighbours). */
    wrong: () => {
      const accepted = [-1, 0, 1].map((step) => totp.generate({ timestamp: Date.now() + step * 30_000 }));
      return ["000000", "111111", "222222"].find((code) => !accepted.includes(code))!;
    },
  };
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a user turns on two-step sign-in, then signs in with a code; wrong and stale codes are refused", async ({ page }) => {
  const email = uniqueEmail("two-step");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/profile");
  const section = page.getByTestId("authenticator-app");
  await section.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(section.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await section.getByTestId("authenticator-secret").getAttribute("data-secret"))!;
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  const codes = app(secret);

  const codeField = section.getByLabel("The 6-digit code the app shows");
  await codeField.fill("12345");
  await section.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(section.getByText("The code is the 6 digits your authenticator app shows.")).toBeVisible();
  await codeField.fill(codes.wrong());
  await section.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(section.getByText("That code is not right. Enter the 6 digits your authenticator app shows now.")).toBeVisible();
  await codeField.fill(codes.now());
  await section.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(section.getByText("Two-step sign-in is on")).toBeVisible();

  await signOut(page);
  await passwordStep(page, email);
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();
  for (const refused of [codes.wrong(), codes.stale()]) {
    await code.fill(refused);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("That code is not right.")).toBeVisible();
    await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();
  }
  await code.fill(codes.now());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("account")).toContainText(`Signed in as ${email}`);

  // Turned off, sign-in asks for the password only.
  await page.goto("/profile");
  await section.getByRole("button", { name: "Turn off two-step sign-in" }).click();
  await expect(section.getByRole("button", { name: "Set up an authenticator app" })).toBeVisible();
  await signOut(page);
  await signIn(page, email);
});

test("the code step can be left for the password step, by keyboard", async ({ page }) => {
  const email = uniqueEmail("two-step-keys");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/profile");
  const section = page.getByTestId("authenticator-app");
  await section.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await section.getByTestId("authenticator-secret").getAttribute("data-secret"))!;
  await section.getByLabel("The 6-digit code the app shows").fill(app(secret).now());
  await section.getByLabel("The 6-digit code the app shows").press("Enter");
  await expect(section.getByText("Two-step sign-in is on")).toBeVisible();
  await signOut(page);

  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Password").press("Enter");
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await page.getByRole("button", { name: "Start again with your password" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(code).toBeHidden();
});
