import { expect, Page } from "@playwright/test";

/** Writes the profile, the first blog, and lands in the editor for that blog. */
export async function becomeWriter(page: Page, displayName: string, blogName: string) {
  await page.goto("/profile");
  await page.getByLabel("Display name").fill(displayName);
  await page.getByLabel("Short bio").fill(`${displayName} writes about Rust.`);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();

  await page.goto("/blogs/new");
  await page.getByLabel("Name").fill(blogName);
  await page.getByRole("button", { name: "Create blog" }).click();
  await expect(page.getByRole("heading", { name: "Write a post" })).toBeVisible();
}

/** Fills the editor and publishes; returns the post's path. */
export async function publish(page: Page, title: string, body: string, tags: string) {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Text (Markdown)").fill(body);
  await page.getByLabel("Tags").fill(tags);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  return new URL(page.url()).pathname;
}
