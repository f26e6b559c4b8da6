// Debian's Chromium through playwright-core: headless, offline (no background networking),
// with fake camera and microphone that need no permission prompt. `launch()` gives every
// browser a fresh temporary profile (user-data-dir) of its own.
// Every context made here is watched: a Content-Security-Policy violation, or a WebSocket URL
// carrying a token, fails the test that was running (see `useBrowser`).
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

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

/** What the pages of one context did, as the watch saw it. */
export type Watch = {
  /** "directive: blocked URI" for each `securitypolicyviolation` event, and CSP console errors. */
  cspViolations: string[];
  /** The URL of every WebSocket a page opened. */
  socketUrls: string[];
};

/** Problems seen since the last check, as sentences; `useBrowser` fails the test on any. */
const problems: string[] = [];

/** Starts watching `context` (before its pages load anything); see `Watch`. */
export async function watchContext(context: BrowserContext, label: string): Promise<Watch> {
  const watch: Watch = { cspViolations: [], socketUrls: [] };
  const violation = (text: string) => {
    watch.cspViolations.push(text);
    problems.push(`[${label}] CSP violation: ${text}`);
  };
  // A binding and an init script come from the browser's debugging protocol, which the page's
  // CSP does not govern, so the listener itself cannot be blocked.
  await context.exposeBinding("__verifyidCspViolation", (_source, text: string) => violation(text));
  // (Page code as a string: these tests are typed for Node, without the DOM's event types.)
  await context.addInitScript(`addEventListener("securitypolicyviolation", (e) =>
    void __verifyidCspViolation(e.effectiveDirective + " blocked " + (e.blockedURI || "(inline)") + " on " + e.documentURI));`);
  // Chromium also logs every violation (including ones no event reaches, such as a worker's).
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violation(message.text());
  });
  const watchPage = (page: Page) =>
    page.on("websocket", (ws) => {
      watch.socketUrls.push(ws.url());
      if (/[?&]token=/i.test(ws.url())) problems.push(`[${label}] a WebSocket URL carries the token: ${ws.url()}`);
    });
  context.pages().forEach(watchPage);
  context.on("page", watchPage);
  return watch;
}

/** A new, watched browser context on the app (not signed in). */
export async function newContext(
  browser: Browser,
  baseUrl: string,
  label: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; watch: Watch }> {
  const context = await browser.newContext({ baseURL: baseUrl, ...options });
  return { context, watch: await watchContext(context, label) };
}

/** The problems seen so far, forgotten: for a test that provokes one on purpose. */
export function takeProblems(): string[] {
  return problems.splice(0);
}

/** Fails with every problem seen since the last call, and forgets them. */
function expectNoProblems() {
  const seen = takeProblems();
  expect(seen, "pages must not violate the Content-Security-Policy or put tokens in WebSocket URLs").toEqual([]);
}

/** One browser for the test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    problems.length = 0;
    browser = await launchBrowser();
  });
  afterEach(() => expectNoProblems());
  afterAll(async () => {
    await browser?.close();
    // Whatever happened after the last test (in afterAll hooks, or late frames).
    expectNoProblems();
  });
  return () => {
    if (!browser) throw new Error("the browser is not running (use it inside tests or hooks)");
    return browser;
  };
}

/** A new, isolated browser context (its own storage) on the app, signed in as `email`. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: {
    viewport?: { width: number; height: number };
    isMobile?: boolean;
    locale?: string;
    /** The dashboard's language as if chosen with the header's switch (the browser's `locale` stays). */
    pageLanguage?: "en" | "de";
  } = {},
): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const { context, watch } = await newContext(browser, baseUrl, email, {
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.isMobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  });
  await context.grantPermissions(["camera", "microphone"], { origin: baseUrl });
  if (options.pageLanguage) await context.addInitScript(`localStorage.setItem("verifyid.locale", ${JSON.stringify(options.pageLanguage)})`);
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${email}] page error:`, err.message));
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  return { context, page, watch };
}
