import { expect, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

const run = () => `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;

test("a comment appears on a post page open in another browser, and goes when deleted, without a reload", async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const id = run();
  const ada = await (await browser.newContext()).newPage();
  const email = uniqueEmail("ada");
  await signUp(ada, email);
  await signIn(ada, email);
  await becomeWriter(ada, "Ada Live", `Ada's live notes ${id}`);
  const path = await publish(ada, `Live ${id}`, "Comments appear as they are written.", `l${id}`);

  // A guest, in a browser of their own, reads the post.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(path);
  const comments = reader.getByTestId("comments");
  await expect(comments).toHaveAttribute("data-live", "true");
  await expect(reader.getByRole("heading", { name: "No comments yet" })).toBeVisible();

  await ada.getByLabel("Your comment").fill(`Seen live ${id}`);
  const sent = Date.now();
  await ada.getByRole("button", { name: "Comment" }).click();
  await expect(comments).toContainText(`Seen live ${id}`);
  const delay = Date.now() - sent;
  testInfo.annotations.push({ type: "live comment delay", description: `${delay} ms` });
  console.log(`a comment reached another browser in ${delay} ms`);
  await expect(reader.getByRole("heading", { name: "1 comment" })).toBeVisible();
  await expect(comments.locator(".comment-author")).toHaveText("Ada Live");
  // The writer's own page shows it once: from the answer and from the subscription.
  await expect(ada.getByTestId("comments").getByText(`Seen live ${id}`)).toHaveCount(1);

  await ada.getByTestId("comments").getByRole("button", { name: "Delete comment" }).click();
  await expect(comments).not.toContainText(`Seen live ${id}`);
  await expect(reader.getByRole("heading", { name: "No comments yet" })).toBeVisible();
});
