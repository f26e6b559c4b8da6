// (issue 13, point 5) Weight: the JavaScript a customer's phone downloads for the first page,
// from opening the link to the first step of the journey, summed gzip-compressed as a server
// sends it (the stack serving these pages was built by global-setup, as `npm start` builds).
// Under 35 kB; no zod, no receipt crypto, no staff page among it; no source map is served.
import { gzipSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { newContext, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();

const BUDGET_BYTES = 35_000;

describe("the customer's first page", () => {
  it(`loads under ${BUDGET_BYTES / 1000} kB of JavaScript (gzip), without zod, crypto or staff pages`, async () => {
    // A new customer: their first page is the first step of the journey.
    const email = await api.newCustomer("weight");
    const { context } = await newContext(browser(), baseUrl, "weight", { viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const scripts = new Map<string, Buffer>();
    page.on("response", async (res) => {
      if (res.request().resourceType() !== "script" || !res.ok()) return;
      scripts.set(new URL(res.url()).pathname, await res.body());
    });
    await page.goto("/customer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Verify your identity" }).waitFor();
    await page.getByLabel("Full name").waitFor();
    await page.waitForLoadState("networkidle");

    const sizes = [...scripts].map(([path, body]) => ({ path, raw: body.length, gzip: gzipSync(body).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(
      `customer first page: ${(total / 1000).toFixed(1)} kB of JS gzip (${sizes.length} files; budget ${BUDGET_BYTES / 1000} kB)\n` +
        sizes.map((s) => `  ${s.path}  ${(s.gzip / 1000).toFixed(1)} kB gzip, ${(s.raw / 1000).toFixed(1)} kB raw`).join("\n"),
    );
    expect(sizes.length).toBeGreaterThan(1); // split by page: the shell and the customer's chunk
    expect(total).toBeLessThan(BUDGET_BYTES);

    const code = [...scripts.values()].map((b) => b.toString("utf8")).join("\n");
    // zod's internals keep these names through minification.
    expect(code).not.toContain("_zod");
    expect(code).not.toContain("ZodError");
    // @noble/hashes (the receipt checks and file hashing load on demand, on /verify or on upload).
    expect(code).not.toMatch(/sha512|Ed25519|ed25519/);
    for (const path of scripts.keys()) expect(path).not.toMatch(/\/(Agent|Manager|Verify|use-staff-queue|receipts|hash)-/);
    await context.close();
  });

  it("serves no source map, and the bundles point to none", async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const entry = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(entry).toBeTruthy();
    const js = await (await fetch(`${baseUrl}${entry}`)).text();
    expect(js).not.toContain("sourceMappingURL");
    const map = await fetch(`${baseUrl}${entry}.map`);
    const body = await map.text();
    // Not found, or the app's HTML fallback: never the map itself.
    expect(body.startsWith('{"version":3')).toBe(false);
    expect(body).not.toContain('"sourcesContent"');
  });
});
