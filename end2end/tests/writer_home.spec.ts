import { expect, Page, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

async function saveDraft(page: Page, title: string) {
  await page.goto("/write");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Text (Markdown)").fill("Half a thought.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
}

const row = (page: Page, title: string) => page.getByTestId("my-posts").getByRole("listitem").filter({ hasText: title });

test("a writer finds drafts first with a badge, publishes, unpublishes and deletes posts, and renames and deletes a blog knowing what goes with it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("writer-home");
  await signUp(page, email);
  await signIn(page, email);

  await page.goto("/me");
  await expect(page.getByText("You have no blog yet.")).toBeVisible();
  await becomeWriter(page, "Home Writer", "Field notes");
  await publish(page, "Out in the world", "Published text.", "");
  await saveDraft(page, "Not ready yet");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your posts" }).click();
  await expect(page.getByRole("heading", { name: "Your writing" })).toBeVisible();
  const titles = page.getByTestId("my-posts").locator(".my-post-title");
  await expect(titles).toHaveText(["Draft Not ready yet", "Out in the world"]);
  await expect(row(page, "Out in the world").locator(".badge")).toHaveCount(0);

  // Publishing the draft: readers see it on the blog's page.
  await row(page, "Not ready yet").getByRole("button", { name: "Publish" }).click();
  await expect(row(page, "Not ready yet").locator(".badge")).toHaveCount(0);
  await expect(row(page, "Not ready yet").getByRole("button", { name: "Unpublish" })).toBeVisible();
  const blogPath = await page.getByTestId("my-blogs").getByRole("link", { name: "Field notes" }).getAttribute("href");
  const guest = await browser.newPage();
  await guest.goto(blogPath!);
  await expect(guest.getByTestId("blog-posts")).toContainText("Not ready yet");

  // Unpublishing the other: a draft again, gone from what a guest sees.
  await row(page, "Out in the world").getByRole("button", { name: "Unpublish" }).click();
  await expect(row(page, "Out in the world").locator(".badge")).toHaveText("Draft");
  await guest.reload();
  await expect(guest.getByTestId("blog-posts")).toContainText("Not ready yet");
  await expect(guest.getByTestId("blog-posts")).not.toContainText("Out in the world");

  // Deleting a post asks first; keeping it keeps it.
  await row(page, "Out in the world").getByRole("button", { name: "Delete" }).click();
  await expect(row(page, "Out in the world").getByRole("alertdialog")).toContainText("Delete “Out in the world” and its comments?");
  await row(page, "Out in the world").getByRole("button", { name: "Keep it" }).click();
  await expect(row(page, "Out in the world").getByRole("alertdialog")).toHaveCount(0);
  await row(page, "Out in the world").getByRole("button", { name: "Delete" }).click();
  await row(page, "Out in the world").getByRole("button", { name: "Delete post" }).click();
  await expect(titles).toHaveText(["Not ready yet"]);

  // The blog: renamed, then deleted with what the confirmation said would go.
  const blog = page.getByTestId("my-blogs").getByRole("listitem");
  await blog.getByRole("button", { name: "Rename or describe" }).click();
  await blog.getByLabel("Name").fill("");
  await expect(blog.getByRole("alert").first()).toContainText("Please name your blog.");
  await blog.getByLabel("Name").fill("Field notes, revised");
  await blog.getByLabel("What it is about").fill("Notes from the field.");
  await blog.getByLabel("Cover image address (optional)").fill("http://example.com/dawn.png");
  // Checked when the person leaves the field, not while they type.
  await expect(blog.getByText("starting with https://")).toHaveCount(0);
  await blog.getByLabel("Cover image address (optional)").press("Tab");
  await expect(blog.getByText("starting with https://")).toBeVisible();
  await blog.getByLabel("Cover image address (optional)").fill("https://example.com/dawn.png");
  await blog.getByLabel("Cover caption (optional)").fill("Dawn over the field");
  await blog.getByRole("button", { name: "Save blog" }).click();
  await expect(blog.getByRole("link", { name: "Field notes, revised" })).toBeVisible();
  await guest.reload();
  await expect(guest.getByRole("heading", { name: "Field notes, revised" })).toBeVisible();
  await expect(guest.locator(".blog-cover img")).toHaveAttribute("src", "https://example.com/dawn.png");
  await expect(guest.locator(".blog-cover figcaption")).toHaveText("Dawn over the field");

  await blog.getByRole("button", { name: "Delete blog" }).click();
  await expect(blog.getByRole("alertdialog")).toContainText("Its post and that post's comments are deleted with it.");
  await blog.getByRole("button", { name: "Delete blog and 1 post" }).click();
  await expect(page.getByText("You have no blog yet.")).toBeVisible();
  await guest.reload();
  await expect(guest.getByText("There is no such blog")).toBeVisible();
  await guest.close();
});

test("a guest on the writer's home is led to sign in and back, and sees nobody's posts", async ({ page }) => {
  await page.goto("/me");
  await expect(page.getByText("Please sign in to see your blogs and posts.")).toBeVisible();
  await expect(page.getByTestId("my-posts")).toHaveCount(0);
  const email = uniqueEmail("home-guest");
  await signUp(page, email);
  await page.goto("/me");
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  // The address changes once the sign-in page's code has arrived (it loads on demand).
  await page.waitForURL(/\/signin\?next=/);
  await signIn(page, email);
  await page.getByRole("link", { name: "Skip for now" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByText("You have no blog yet.")).toBeVisible();
});

test("a guest who opens the editor is led to sign in and comes back to it", async ({ page }) => {
  const email = uniqueEmail("write-guest");
  await signUp(page, email);
  await page.goto("/write");
  await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fwrite$/);
  await signIn(page, email);
  await page.getByLabel("What should readers call you?").fill("Returning Writer");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/write$/);
  // Back in the editor, which first asks for a blog to write in.
  await expect(page.getByRole("link", { name: /create/i }).first()).toBeVisible();
});
