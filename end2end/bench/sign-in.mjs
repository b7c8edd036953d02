// An SRP sign-in in Chromium, as a person does it: a fresh browser context per run, the
// release build, the local user pool. Measures, per run, the whole sign-in (click to "Signed in
// as") and the browser's share of it: from the user pool's challenge (InitiateAuth answered) to
// the proof leaving (RespondToAuthChallenge sent), which is the SRP arithmetic in the wasm.
// Signs up its own user first. Prints one JSON document.
//   node bench/sign-in.mjs <base url> <runs>
import { launch, median } from "./chromium.mjs";

const [baseUrl, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const PASSWORD = "Bench-horse-9";
const LOCAL_CODE = "123456";
const email = `bench-sign-in-${Date.now()}@example.com`;
const browser = await launch();

async function signUp() {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByLabel("Confirmation code").fill(LOCAL_CODE);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByText("Your email is confirmed").waitFor();
  await page.context().close();
}

const target = (request) => request.headers()["x-amz-target"]?.split(".").pop();

async function signIn() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  let challenged = 0;
  let proofSent = 0;
  page.on("requestfinished", (request) => {
    if (target(request) === "InitiateAuth") challenged = performance.now();
  });
  page.on("request", (request) => {
    if (target(request) === "RespondToAuthChallenge") proofSent = performance.now();
  });
  const started = performance.now();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("account").getByText(`Signed in as ${email}`).waitFor();
  const done = performance.now();
  await context.close();
  return { sign_in_ms: done - started, browser_proof_ms: proofSent - challenged };
}

await signUp();
const samples = [];
for (let i = 0; i < runs; i++) samples.push(await signIn());
await browser.close();
console.log(JSON.stringify({
  runs,
  sign_in_p50_ms: median(samples, "sign_in_ms"),
  browser_proof_p50_ms: median(samples, "browser_proof_ms"),
}));
