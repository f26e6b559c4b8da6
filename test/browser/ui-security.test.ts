// The dashboard's browser-side defences: the security headers on every page and asset (from
// ui/public/_headers), Swagger UI working under the strict CSP, the agent desk refusing to be
// framed, WebSocket tokens kept out of URLs, the token kept in the tab's sessionStorage, and
// signing out (by the user, or by the server closing a socket with 4001).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newContext, signedInPage, takeProblems, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = useBrowser();
const SESSION_KEY = "verifyid.session";
const PAGES = ["/", "/login", "/agent", "/manager", "/customer", "/verify", "/docs"];

/** The policy as directive → sources. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = header
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0]);
  return new Map(directives.map(([name, ...sources]) => [name!.toLowerCase(), sources]));
}

function expectSecurityHeaders(path: string, headers: Headers) {
  const csp = headers.get("Content-Security-Policy");
  expect(csp, `${path}: Content-Security-Policy`).toBeTruthy();
  expect(csp, `${path}: no unsafe sources`).not.toMatch(/unsafe-(inline|eval|hashes)|strict-dynamic/);
  const policy = parseCsp(csp!);
  expect(policy.get("default-src"), `${path}: default-src`).toEqual(["'none'"]);
  for (const [directive, sources] of Object.entries({
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  })) {
    expect(policy.get(directive), `${path}: ${directive}`).toEqual(sources);
  }
  expect(headers.get("X-Frame-Options"), `${path}: X-Frame-Options`).toBe("DENY");
  expect(headers.get("X-Content-Type-Options"), `${path}: X-Content-Type-Options`).toBe("nosniff");
  expect(headers.get("Referrer-Policy"), `${path}: Referrer-Policy`).toBe("no-referrer");
  expect(headers.get("Strict-Transport-Security"), `${path}: HSTS`).toBe("max-age=31536000; includeSubDomains");
  const permissions =
    headers
      .get("Permissions-Policy")
      ?.split(",")
      .map((p) => p.trim()) ?? [];
  expect(permissions, `${path}: Permissions-Policy`).toEqual(
    expect.arrayContaining(["camera=(self)", "microphone=(self)", "geolocation=()"]),
  );
}

/** The `src` of every <script> in an HTML page; an inline script shows as null. */
function scriptSources(html: string): (string | null)[] {
  return [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => /\bsrc="([^"]+)"/.exec(m[1]!)?.[1] ?? null);
}

/** A throwaway HTML server on 127.0.0.1 (an origin other than the app's localhost). */
async function serve(html: (path: string) => string): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    res.setHeader("Content-Type", "text/html");
    res.end(html(req.url ?? "/"));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function sessionIn(page: Page) {
  return page.evaluate((key) => ({ session: sessionStorage.getItem(key), local: JSON.stringify({ ...localStorage }) }), SESSION_KEY);
}

describe("security headers", () => {
  it("come with every dashboard page (the SPA fallback too) and every asset those pages load", async () => {
    const assets = new Set<string>();
    for (const path of PAGES) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Content-Type"), path).toContain("text/html");
      expectSecurityHeaders(path, res.headers);
      const html = await res.text();
      // No inline script anywhere: the CSP would block it.
      const scripts = scriptSources(html);
      expect(scripts.length, `${path}: scripts`).toBeGreaterThan(0);
      expect(scripts, `${path}: inline scripts`).not.toContain(null);
      expect(html, `${path}: inline styles`).not.toMatch(/<style\b|\sstyle="/i);
      for (const src of [...scripts, ...[...html.matchAll(/<link\b[^>]*href="(\/[^"]+)"/gi)].map((m) => m[1])]) if (src) assets.add(src);
    }
    expect([...assets]).toEqual(
      expect.arrayContaining(["/docs-init.js", "/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css"]),
    );
    expect([...assets].some((a) => /^\/assets\/.+\.js$/.test(a))).toBe(true);
    for (const asset of assets) {
      const res = await fetch(`${baseUrl}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("Content-Type"), asset).toMatch(/javascript|css/);
      expectSecurityHeaders(asset, res.headers);
    }
  });

  it("keep the agent desk out of another site's frame", async () => {
    // Another origin on this machine (a public one could not frame localhost anyway: Chromium's
    // local-network checks would refuse before our headers are even read).
    const framer = await serve((path) =>
      path === "/inner"
        ? "<p id=inner>framed fine</p>"
        : `<iframe id=control src="/inner"></iframe><iframe id=desk src="${baseUrl}/agent"></iframe>`,
    );
    // A context of its own, unwatched: the refusal to frame is itself a (wanted) CSP report.
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      const refused = page.waitForEvent("console", (m) => m.text().includes(`"frame-ancestors 'none'"`));
      const blocked = page.waitForEvent("requestfailed", (r) => r.url() === `${baseUrl}/agent`);
      await page.goto(`${framer.url}/`);
      expect((await blocked).failure()?.errorText).toBe("net::ERR_BLOCKED_BY_RESPONSE");
      await refused;
      // The control frame shows that framing works at all; no frame holds the desk.
      const control = page.frames().find((f) => f.url() === `${framer.url}/inner`);
      expect(await control?.locator("#inner").textContent()).toBe("framed fine");
      expect(page.frames().map((f) => f.url())).not.toContain(`${baseUrl}/agent`);
    } finally {
      await context.close();
      framer.close();
    }
  });
});

describe("content security policy in the browser", () => {
  it("lets Swagger UI render the API reference at /docs with no violation", async () => {
    const { context, watch } = await newContext(browser(), baseUrl, "docs reader");
    const page = await context.newPage();
    const res = await page.goto("/docs");
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    const operations = page.locator(".opblock");
    await operations.first().waitFor();
    expect(await operations.count()).toBeGreaterThan(5);
    // Try an operation: Swagger UI's own request (connect-src) and the rendering of the answer.
    const login = page.locator(".opblock", { has: page.locator(".opblock-summary-path", { hasText: /^\/auth\/login$/ }) });
    await login.locator(".opblock-summary").click();
    await login.locator("button.execute").click();
    expect(await login.locator(".live-responses-table tbody .response-col_status").first().textContent()).toMatch(/^\d{3}$/);
    expect(watch.cspViolations).toEqual([]);
    await context.close();
  });

  it("is enforced, and a violation is noticed by the watch every journey runs under", async () => {
    const { context, watch } = await newContext(browser(), baseUrl, "provoked");
    const page = await context.newPage();
    await page.goto("/login");
    // An inline <script> added the way an injection would add it (page code as a string: these
    // tests are typed for Node, without the DOM).
    const ran = await page.evaluate(`(async () => {
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return window.inlineRan ?? false;
    })()`);
    expect(ran).toBe(false);
    await expect.poll(() => watch.cspViolations.length).toBeGreaterThan(0);
    expect(watch.cspViolations.join("\n")).toContain("script-src");
    // Provoked on purpose: not a failure of this test.
    expect(takeProblems().length).toBeGreaterThan(0);
    await context.close();
  });
});

describe("the token in the browser", () => {
  it("authenticates the desk's live socket without putting the token in any WebSocket URL", async () => {
    const { context, page, watch } = await signedInPage(browser(), baseUrl, "agent3@demo.test");
    // The socket opened with nothing in its URL to authenticate it: the subprotocol did.
    await page.locator('[data-socket-state="open"]').waitFor();
    const { session, local } = await sessionIn(page);
    const token = (JSON.parse(session!) as { token: string }).token;
    expect(watch.socketUrls.length).toBeGreaterThan(0);
    for (const url of watch.socketUrls) {
      expect(url).not.toContain("token=");
      expect(url).not.toContain(token);
    }
    // Kept in this tab's sessionStorage, nowhere in localStorage.
    expect(local).not.toContain(token);
    const otherTab = await context.newPage();
    await otherTab.goto("/agent");
    await otherTab.waitForURL((url) => url.pathname === "/login");
    await context.close();
  });

  it("signs out from the header: the server is told with the token, the tab forgets it", async () => {
    const { context, page } = await signedInPage(browser(), baseUrl, "customer1@acme.test");
    const token = (JSON.parse((await sessionIn(page)).session!) as { token: string }).token;
    const logout = page.waitForRequest((req) => req.method() === "POST" && new URL(req.url()).pathname === "/api/v1/auth/logout");
    await page.getByRole("button", { name: "Sign out" }).click();
    const request = await logout;
    expect(request.headers()["authorization"]).toBe(`Bearer ${token}`);
    await page.waitForURL((url) => url.pathname === "/login");
    expect((await sessionIn(page)).session).toBeNull();
    await page.reload();
    await page.getByLabel("Email").waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    // Where the server has the logout route (204), the token no longer works there either.
    const answer = (await request.response())?.status();
    if (answer === 204) {
      const me = await fetch(`${baseUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
    }
    await context.close();
  });

  it("signs out when the server closes a socket with 4001 (token expired or revoked)", async () => {
    const { context, page } = await signedInPage(browser(), baseUrl, "manager@acme.test");
    expect(new URL(page.url()).pathname).toBe("/manager");
    let closed = 0;
    await page.routeWebSocket(/\/api\/v1\/.*ws(\?|$)/, (ws) => {
      closed++;
      ws.close({ code: 4001, reason: "token_revoked" });
    });
    await page.reload();
    await page.waitForURL((url) => url.pathname === "/login");
    expect(closed).toBeGreaterThan(0);
    expect((await sessionIn(page)).session).toBeNull();
    await context.close();
  });
});
