import { expect, test } from "@playwright/test";
import { LOCAL_CODE, LOCAL_RESET_CODE, PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support/auth";

test("a new user signs up, signs the guestbook and signs out; guests and other users only read it", async ({ browser }) => {
  const ada = uniqueEmail("ada");
  const message = `Signed by Ada ${Date.now()}`;
  const page = await browser.newPage();

  await signUp(page, ada);
  await signIn(page, ada);
  await page.goto("/guestbook");
  await page.getByLabel("Your name").fill("Ada");
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Sign the guestbook" }).click();
  const entry = () => page.getByTestId("guestbook-entries").locator("li", { hasText: message });
  await expect(entry()).toBeVisible();
  await expect(entry().getByRole("button", { name: "Delete" })).toBeVisible();

  await signOut(page);
  await page.goto("/guestbook");
  await page.reload();
  await expect(entry()).toBeVisible();
  await expect(entry().getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByText("to sign the guestbook")).toBeVisible();
  await expect(page.getByLabel("Message")).toHaveCount(0);

  // Another user sees the entry without its controls.
  const bob = uniqueEmail("bob");
  const other = await browser.newPage();
  await signUp(other, bob);
  await signIn(other, bob);
  await other.goto("/guestbook");
  const seenByBob = other.getByTestId("guestbook-entries").locator("li", { hasText: message });
  await expect(seenByBob).toBeVisible();
  await expect(seenByBob.getByRole("button", { name: "Delete" })).toHaveCount(0);

  // The owner deletes it.
  await signIn(page, ada);
  await page.goto("/guestbook");
  await entry().getByRole("button", { name: "Delete" }).click();
  await expect(entry()).toHaveCount(0);
});

test("the session survives a reload, and every call is signed for lambda with the session token", async ({ page }) => {
  const email = uniqueEmail("reload");
  await signUp(page, email);
  await signIn(page, email);

  await page.goto("/guestbook");
  const signed = page.waitForRequest((r) => r.url().includes("/api/list_guestbook"));
  await page.reload();
  await expect(page.getByTestId("account")).toContainText(`Signed in as ${email}`);
  const headers = await (await signed).allHeaders();
  expect(headers["authorization"]).toMatch(/^AWS4-HMAC-SHA256 Credential=\S+\/lambda\/aws4_request, SignedHeaders=\S*x-stratus-id-token/);
  expect(headers["x-amz-security-token"]).toBeTruthy();
  expect(headers["x-stratus-id-token"]).toMatch(/^eyJ/);

  await signOut(page);
  const asGuest = page.waitForRequest((r) => r.url().includes("/api/list_guestbook"));
  await page.goto("/guestbook");
  const guestHeaders = await (await asGuest).allHeaders();
  expect(guestHeaders["authorization"]).toMatch(/^AWS4-HMAC-SHA256 /);
  expect(guestHeaders["x-stratus-id-token"]).toBeUndefined();
  await expect(page.getByTestId("guestbook-entries").or(page.getByText("No entries yet"))).toBeVisible();
});

test("sign-up and sign-in refusals are shown next to the field, in words", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("weak");
  await expect(page.locator("#password-rules")).toContainText("at least 8 characters");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("#email-error")).toHaveText("Please enter an email address, like ada@example.com.");
  await expect(page.locator("#password-error")).toHaveText(
    "The password needs at least 8 characters, an uppercase letter, a number.",
  );

  const email = uniqueEmail("taken");
  await signUp(page, email);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("#email-error")).toHaveText("An account with this email already exists. Sign in instead?");

  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("Wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();

  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // An unknown email reads exactly like a wrong password: the page tells no one who has an account.
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page.locator("#email-error")).toHaveText("");

  // Signed up but not confirmed.
  const pending = uniqueEmail("pending");
  await page.goto("/signup");
  await page.getByLabel("Email").fill(pending);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();
  await page.getByLabel("Confirmation code").fill("12ab");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.locator("#code-error")).toHaveText("The code is the 6 digits from the email we sent.");
  await page.getByLabel("Confirmation code").fill("000000");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.locator("#code-error")).toHaveText("That code is not right. Check the email we sent and try again.");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(pending);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#email-error")).toContainText("not confirmed yet");
  await expect(page.getByRole("link", { name: "Enter your confirmation code" })).toBeVisible();
});

test("a forgotten password is reset with the emailed code", async ({ page }) => {
  const email = uniqueEmail("forgetful");
  await signUp(page, email);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  // The fields that just appeared are empty, not wrong: nothing is marked until they are sent.
  await expect(page.getByLabel("Code from the email")).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "false");
  await page.getByLabel("Code from the email").fill(LOCAL_RESET_CODE);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.locator("#password-error")).toContainText("The password needs at least 8 characters");
  await page.getByLabel("New password").fill("Another-horse-7");
  await page.getByLabel("Code from the email").fill("000000");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.locator("#code-error")).toHaveText("That code is not right. Check the email we sent and try again.");
  await page.getByLabel("Code from the email").fill(LOCAL_RESET_CODE);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  await signIn(page, email, "Another-horse-7");
});

test("a guest on a page that needs sign-in is led to sign in, then back to the page", async ({ page }) => {
  const email = uniqueEmail("led");
  await signUp(page, email);
  // A form only a signed-in user may send is not shown to a guest at all.
  await page.goto("/blogs/new");
  await expect(page.getByRole("alert").filter({ hasText: "Please sign in to create a blog." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create blog" })).toHaveCount(0);
  await page.goto("/profile");
  const alert = page.getByRole("alert").filter({ hasText: "Please sign in" });
  await alert.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fprofile$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // First, once, the question of a name (a start taken from the email), which may wait.
  await expect(page.getByRole("heading", { name: "Welcome to Stratus" })).toBeVisible();
  await expect(page.getByLabel("What should readers call you?")).toHaveValue(email.split("@")[0]);
  await page.getByRole("link", { name: "Skip for now" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("account")).toContainText(`Signed in as ${email}`);

  // With a name given, a later sign-in goes straight back to the page.
  await page.getByLabel("Display name").fill("Led Reader");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  await signOut(page);
  await page.goto("/signin?next=%2Fguestbook");
  await signIn(page, email);
  await expect(page).toHaveURL(/\/guestbook$/);
  await expect(page.getByRole("heading", { name: "Welcome to Stratus" })).toHaveCount(0);
});
