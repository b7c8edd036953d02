// The stack `cargo xtask test` deployed into the local cloud, reached as in AWS: the site from
// S3 through the CloudFront distribution, Cognito at its AWS address, server functions through
// the Function URL (its AWS_IAM check is ministack's) and the Lambda running the real bootstrap.
import { expect, Request, test } from "@playwright/test";
import { signIn, signOut, signUp, uniqueEmail } from "./support/auth";
import { becomeWriter, publish } from "./support/blog";

const run = () => `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;

test("through CloudFront and the Function URL: sign up, confirm, sign in, write, comment, sign out, read as a guest", async ({ browser }) => {
  const id = run();
  const writer = await browser.newPage();
  const api: Request[] = [];
  writer.on("request", (request) => {
    if (request.url().includes("/api/")) api.push(request);
  });
  await writer.goto("/");
  expect(new URL(writer.url()).host).toMatch(/\.cloudfront\.net$/);

  const email = uniqueEmail("deployed");
  await signUp(writer, email);
  await signIn(writer, email);
  await becomeWriter(writer, "Deployed Ada", `Deployed ${id}`);
  const path = await publish(writer, `From the local cloud ${id}`, "Served by *CloudFront*.", `d${id}`);
  await writer.getByLabel("Your comment").fill(`First comment ${id}`);
  await writer.getByRole("button", { name: "Comment" }).click();
  await expect(writer.getByTestId("comments")).toContainText(`First comment ${id}`);

  // Every call went to the Function URL, signed for Lambda.
  expect(api.length).toBeGreaterThan(0);
  for (const request of api) {
    expect(new URL(request.url()).host).toMatch(/\.lambda-url\.[a-z0-9-]+\.on\.aws$/);
    expect(request.headers()["authorization"]).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIA\w+\/\d+\/[a-z0-9-]+\/lambda\//);
  }

  await signOut(writer);
  const guest = await browser.newPage();
  await guest.goto(path);
  await expect(guest.getByRole("heading", { name: `From the local cloud ${id}`, level: 1 })).toBeVisible();
  await expect(guest.getByTestId("comments")).toContainText(`First comment ${id}`);
  await expect(guest.getByLabel("Your comment")).toHaveCount(0);
});

test("the site is served as CloudFront serves it: over HTTPS, with the template's security headers", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  // A client route: CloudFront answers index.html for a key S3 does not have.
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).protocol).toBe("https:");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("connect-src");
  expect(headers["strict-transport-security"]).toBeTruthy();
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a guest takes the identity pool's basic flow: STS issues the credentials the Function URL accepts", async ({ page }) => {
  // Cognito's enhanced flow scopes guest sessions down to services without Lambda, so the
  // deployed config.json names the guest role, and guests exchange an OpenID token at STS.
  const targets: string[] = [];
  page.on("request", (request) => {
    const target = request.headers()["x-amz-target"];
    if (target) targets.push(target.split(".").pop()!);
  });
  const stsAnswer = page.waitForResponse((response) =>
    (response.request().postData() ?? "").includes("Action=AssumeRoleWithWebIdentity"),
  );
  const apiAnswer = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith("/api/"));
  await page.goto("/");

  const sts = await stsAnswer;
  expect(new URL(sts.url()).host).toMatch(/^sts\.[a-z0-9-]+\.amazonaws\.com$/);
  const form = new URLSearchParams(sts.request().postData()!);
  // Fetched by the page: only the browser knows where AWS's names lead.
  const config = await page.evaluate(async () => (await fetch("/config.json")).json());
  expect([form.get("RoleArn"), form.get("RoleSessionName")]).toEqual([config.guestRoleArn, "stratus-guest"]);
  const issuedKey = (await sts.text()).match(/<AccessKeyId>([^<]+)<\/AccessKeyId>/)?.[1];
  expect(issuedKey).toBeTruthy();
  expect(targets).toEqual(expect.arrayContaining(["GetId", "GetOpenIdToken"]));
  expect(targets).not.toContain("GetCredentialsForIdentity");

  const api = await apiAnswer;
  expect(api.request().headers()["authorization"]).toContain(`Credential=${issuedKey}/`);
  expect(api.status()).toBe(200);
});

test("through the WebSocket API: a comment reaches a guest's open post page, from the table's stream through the Lambda", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const id = run();
  const writer = await (await browser.newContext()).newPage();
  const email = uniqueEmail("deployed-live");
  await signUp(writer, email);
  await signIn(writer, email);
  await becomeWriter(writer, "Deployed Live", `Deployed live ${id}`);
  const path = await publish(writer, `Live in the local cloud ${id}`, "Comments come by themselves.", `dl${id}`);

  const guest = await (await browser.newContext()).newPage();
  const sockets: string[] = [];
  guest.on("websocket", (socket) => sockets.push(socket.url()));
  await guest.goto(path);
  const comments = guest.getByTestId("comments");
  await expect(comments).toHaveAttribute("data-live", "true");
  // The browser connected to the stack's WebSocket API, as config.json says.
  expect(sockets.some((url) => /^wss:\/\/[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/live\?ticket=/.test(url))).toBe(true);

  await writer.getByLabel("Your comment").fill(`Live from the cloud ${id}`);
  const sent = Date.now();
  await writer.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(comments).toContainText(`Live from the cloud ${id}`);
  const delay = Date.now() - sent;
  testInfo.annotations.push({ type: "deployed live comment delay", description: `${delay} ms` });
  console.log(`a comment reached a guest through the local cloud in ${delay} ms`);

  // The WebSocket API is open to the internet: without a ticket from a signed call, or with a
  // forged one, the function refuses the connection.
  const liveUrl = sockets[0].split("?")[0];
  for (const query of ["", "?ticket=eyJpc3N1ZWRfYXQiOjB9.forged"]) {
    const opened = await guest.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve(true);
          socket.onerror = () => resolve(false);
        }),
      liveUrl + query,
    );
    expect(opened, `a connection to ${liveUrl}${query}`).toBe(false);
  }
});
