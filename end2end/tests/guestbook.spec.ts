import { expect, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./support/auth";

// A message no other run can have written, so the test sees its own entry.
const uniqueMessage = () => `Hello from Playwright ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

test("a signed-in user signs the guestbook, and the entry comes back from DynamoDB after a reload", async ({ page }) => {
  const message = uniqueMessage();
  const email = uniqueEmail("guestbook");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/guestbook");
  await expect(page.getByRole("heading", { name: "Guestbook", level: 1 })).toBeVisible();

  await page.getByLabel("Your name").fill("Playwright");
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Sign the guestbook" }).click();

  const entries = page.getByTestId("guestbook-entries");
  await expect(entries.getByText(message)).toBeVisible();
  // The message field clears after a successful signature; the name stays.
  await expect(page.getByLabel("Message")).toHaveValue("");
  await expect(page.getByLabel("Your name")).toHaveValue("Playwright");

  await page.reload();
  const entry = page.getByTestId("guestbook-entries").locator("li", { hasText: message });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText("Playwright");
});

test("an empty signature is refused next to the fields, and nothing is sent", async ({ page }) => {
  const calls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/sign_guestbook")) calls.push(request.url());
  });
  const email = uniqueEmail("empty");
  await signUp(page, email);
  await signIn(page, email);
  await page.goto("/guestbook");
  await page.getByRole("button", { name: "Sign the guestbook" }).click();
  await expect(page.locator("#guest-name-error")).toHaveText("Please enter your name.");
  await expect(page.locator("#guest-message-error")).toHaveText("Please write a message.");
  await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
  expect(calls).toEqual([]);
});

test("client-side routes load from the same shell, unknown ones show a not-found page", async ({ page }) => {
  await page.goto("/about");
  await expect(page.getByRole("heading", { name: "About Stratus" })).toBeVisible();
  await expect(page).toHaveTitle("About · Stratus");

  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guestbook" }).click();
  await expect(page).toHaveURL(/\/guestbook$/);
  await expect(page.getByRole("heading", { name: "Guestbook", level: 1 })).toBeVisible();
});
