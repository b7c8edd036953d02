import { expect, Page } from "@playwright/test";

export const PASSWORD = "Correct-horse-9";

/** An address no other run can have used. */
export const uniqueEmail = (label: string) =>
  `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** The local user pool (ministack's) sends no email: its sign-up code is always this one, and it refuses any other. */
export const LOCAL_CODE = "123456";
/** ...and its password-reset code this one. */
export const LOCAL_RESET_CODE = "654321";

/** Signs up through the UI and confirms with the code the local user pool sends. */
export async function signUp(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Confirmation code").fill(LOCAL_CODE);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.getByText("Your email is confirmed")).toBeVisible();
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("account")).toContainText(`Signed in as ${email}`);
}

/** Signs out, and checks that the refresh token was revoked at the user pool. */
export async function signOut(page: Page) {
  const revoked = page.waitForRequest(
    (request) => request.headers()["x-amz-target"] === "AWSCognitoIdentityProviderService.RevokeToken",
  );
  await page.getByTestId("account").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("account").getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await revoked).postDataJSON().Token).toBeTruthy();
}
