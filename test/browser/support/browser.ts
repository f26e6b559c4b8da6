// Debian's Chromium through playwright-core: headless, offline (no background networking),
// with fake camera and microphone that need no permission prompt. `launch()` gives every
// browser a fresh temporary profile (user-data-dir) of its own.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
}

/** One browser for the test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not running (use it inside tests or hooks)");
    return browser;
  };
}

/** A new, isolated browser context (its own storage) on the app, signed in as `email`. */
export async function signedInPage(browser: Browser, baseUrl: string, email: string, options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.isMobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
  });
  await context.grantPermissions(["camera", "microphone"], { origin: baseUrl });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${email}] page error:`, err.message));
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  return { context, page };
}
