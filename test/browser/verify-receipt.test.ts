// (d) /verify, public: a document is hashed in the browser, its receipt fetched and checked
// there; a tampered receipt fails the check it breaks.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { newContext, useBrowser } from "./support/browser.ts";
import { sha256Hex } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const CHECKS = ["document", "leaf_hash", "inclusion", "checkpoint_body", "signature", "key"];
const browser = useBrowser();

describe("receipt verification", () => {
  it("checks a real document's receipt in the browser and shows every check passing", async () => {
    const { file } = await api.verificationWithPassport("customer4@demo.test", "Receipt Reader");
    const page = await (await newContext(browser(), baseUrl, "receipt reader")).context.newPage();
    await page.goto("/verify");
    await page.locator('input[type="file"][name="document"]').setInputFiles({ name: "passport.png", mimeType: "image/png", buffer: file });

    expect(await page.getByTestId("file-hash").textContent()).toBe(sha256Hex(file));
    const result = page.locator('[data-testid="receipt-result"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute("data-ok")).toBe("true");
    for (const check of CHECKS) expect(await result.locator(`[data-check="${check}"]`).getAttribute("data-ok"), check).toBe("true");
    expect(await result.locator("[data-anchor-status]").getAttribute("data-anchor-status")).toMatch(/pending|confirmed/);

    const saved = await downloadReceipt(page);
    expect(saved.version).toBe("verifyid-receipt/v1");
    expect(saved.leaf.record_id).toMatch(/^document:/);
  });

  it("shows a failure for a pasted receipt whose leaf was moved to another index", async () => {
    const { document } = await api.verificationWithPassport("customer4@demo.test", "Receipt Reader");
    const page = await (await newContext(browser(), baseUrl, "receipt reader")).context.newPage();
    // The customer's "Check the receipt" link: the receipt by its document hash.
    await page.goto(`/verify?hash=${document.document_hash}`);
    await page.locator('[data-testid="receipt-result"][data-ok="true"]').waitFor({ timeout: 30_000 });
    const receipt = await downloadReceipt(page);
    receipt.leaf.index = receipt.leaf.index === 0 ? 1 : receipt.leaf.index - 1;

    await page.getByLabel("Paste a receipt (JSON)").fill(JSON.stringify(receipt));
    await page.getByRole("button", { name: "Check this receipt" }).click();

    const result = page.locator('[data-testid="receipt-result"]');
    await result.waitFor();
    expect(await result.getAttribute("data-ok")).toBe("false");
    expect(await result.locator('[data-check="inclusion"]').getAttribute("data-ok")).toBe("false");
    expect(await result.locator('[data-check="signature"]').getAttribute("data-ok")).toBe("true");
    expect(await result.textContent()).toContain("This receipt does not check out");
  });
});

/** Clicks "Download the receipt" and parses the file the browser saved. */
async function downloadReceipt(page: Page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the receipt" }).click()]);
  return JSON.parse(await readFile(await download.path(), "utf8"));
}
