import { expect, test, type Browser, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { signIn, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

const run = () => `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;

/// A signed-up, signed-in writer with a blog, in a browser of her own.
async function writer(browser: Browser, id: string): Promise<Page> {
  const ada = await (await browser.newContext()).newPage();
  const email = uniqueEmail("ada");
  await signUp(ada, email);
  await signIn(ada, email);
  await becomeWriter(ada, "Ada Live", `Ada's live notes ${id}`);
  return ada;
}

test("a comment appears on a post page open in another browser, and goes when deleted, without a reload", async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const id = run();
  const ada = await writer(browser, id);
  const path = await publish(ada, `Live ${id}`, "Comments appear as they are written.", `l${id}`);

  // A guest, in a browser of their own, reads the post.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(path);
  const comments = reader.getByTestId("comments");
  await expect(comments).toHaveAttribute("data-live", "true");
  await expect(reader.getByRole("heading", { name: "No comments yet" })).toBeVisible();

  await ada.getByLabel("Your comment").fill(`Seen live ${id}`);
  const sent = Date.now();
  await ada.getByRole("button", { name: "Comment", exact: true }).click();
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

test("the home page counts posts published while it is open and shows them on a click; an edited post updates for its reader", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const id = run();
  const ada = await writer(browser, id);

  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/");
  await expect(reader.locator(".new-posts")).toHaveAttribute("data-live", "true");
  const title = `Fresh ${id}`;
  const path = await publish(ada, title, "Published while the home page was open.", `f${id}`);
  const button = reader.getByRole("button", { name: "1 new post" });
  await expect(button).toBeVisible();
  await expect(reader.getByTestId("feed")).not.toContainText(title);
  await button.click();
  await expect(reader.getByTestId("feed")).toContainText(title);
  await expect(reader.getByRole("button", { name: /new post/ })).toHaveCount(0);

  await reader.goto(path);
  await expect(reader.getByTestId("comments")).toHaveAttribute("data-live", "true");
  await ada.goto(`${path}/edit`);
  await ada.getByLabel("Title").fill(`Edited ${id}`);
  await ada.getByLabel("Text (Markdown)").fill("The text, *edited*.");
  const saved = Date.now();
  await ada.getByRole("button", { name: "Publish" }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(`Edited ${id}`);
  await expect(reader.locator(".markdown em")).toHaveText("edited");
  const delay = Date.now() - saved;
  testInfo.annotations.push({ type: "live edit delay", description: `${delay} ms` });
  console.log(`an edit reached its reader in ${delay} ms`);
});

/// A port nobody listens on.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function listening(port: number): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => { socket.end(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

test("a reader's server is killed and started again: the page comes back by itself and loses no comment", async ({ browser }) => {
  test.setTimeout(90_000);
  const bin = process.env.STRATUS_SERVER_BIN;
  test.skip(!bin, "needs STRATUS_SERVER_BIN (cargo xtask test sets it)");
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(bin!, [], {
      env: { ...process.env, LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, LEPTOS_SITE_ROOT: process.env.STRATUS_SITE_ROOT },
      stdio: "ignore",
    });
    await listening(port);
  };
  const stop = async () => {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server!.kill("SIGKILL");
    await exited;
  };
  await start();
  try {
    const id = run();
    const ada = await writer(browser, id);
    const path = await publish(ada, `Restart ${id}`, "The reader's server goes away.", `r${id}`);

    // The reader uses the server this test stops; the writer, the suite's.
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`http://127.0.0.1:${port}${path}`);
    const comments = reader.getByTestId("comments");
    await expect(comments).toHaveAttribute("data-live", "true");
    await ada.getByLabel("Your comment").fill(`Before ${id}`);
    await ada.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(comments).toContainText(`Before ${id}`);

    await stop();
    await expect(comments).toHaveAttribute("data-live", "false");
    // Written while the reader's server is down: no socket could have carried it.
    await ada.getByLabel("Your comment").fill(`While down ${id}`);
    await ada.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(ada.getByTestId("comments")).toContainText(`While down ${id}`);
    await start();

    await expect(comments).toHaveAttribute("data-live", "true", { timeout: 30_000 });
    await expect(comments).toContainText(`While down ${id}`);
    await expect(comments.getByText(`Before ${id}`)).toHaveCount(1);
    // And it is live again.
    await ada.getByLabel("Your comment").fill(`After ${id}`);
    await ada.getByRole("button", { name: "Comment", exact: true }).click();
    await expect(comments).toContainText(`After ${id}`);
    await expect(reader.getByRole("heading", { name: "3 comments" })).toBeVisible();
  } finally {
    server?.kill("SIGKILL");
  }
});
