import { defineConfig } from "@playwright/test";

// `cargo xtask test` starts the server on a free port and passes its address here.
const baseURL = process.env.STRATUS_BASE_URL ?? "http://127.0.0.1:3000";
// ...and, for the stack it deployed into the local cloud, the site's address (AWS's own form)
// and the Chromium rule that sends AWS's host names to the local cloud's HTTPS front.
const deployedURL = process.env.STRATUS_DEPLOYED_URL;
const hostResolverRules = process.env.STRATUS_HOST_RESOLVER_RULES ?? "";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these, Chromium keeps dialing Google's hosts, which a closed network refuses.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// Debian's Chromium: Playwright's own browser download cannot work offline.
const executablePath = process.env.STRATUS_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "local",
      testIgnore: /deployed\.spec\.ts/,
      use: { baseURL, launchOptions: { executablePath, args: chromiumArgs } },
    },
    {
      // Through CloudFront, S3, the Function URL and the Lambda, as deployed into ministack.
      name: "deployed",
      testMatch: /deployed\.spec\.ts/,
      timeout: 60_000,
      use: {
        baseURL: deployedURL,
        // The HTTPS front's certificate is its own: no authority vouches for a laptop's AWS names.
        ignoreHTTPSErrors: true,
        launchOptions: {
          executablePath,
          args: [...chromiumArgs, `--host-resolver-rules=${hostResolverRules}`],
        },
      },
    },
  ],
});
