// What the Chromium benchmarks share: Debian's Chromium, launched quiet, and the median of
// their samples.
import { chromium } from "@playwright/test";

export function launch() {
  return chromium.launch({
    executablePath: process.env.STRATUS_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** The median of `key` over `samples`, to a tenth of a millisecond. */
export function median(samples, key) {
  const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}
