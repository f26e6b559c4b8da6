// (a) The README journey: a customer starts a verification and uploads a passport scan; the
// fingerprint the server stored is the file's own SHA-256, computed on the device as well.
import { describe, expect, inject, it } from "vitest";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { passportPng, sha256Hex } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("customer document upload", () => {
  it("shows the server's SHA-256 of an uploaded passport scan, equal to the file's own hash", async () => {
    const { page } = await signedInPage(browser(), baseUrl, "customer1@demo.test");
    expect(new URL(page.url()).pathname).toBe("/customer");

    await page.getByLabel("Full name").fill("Ada Lovelace");
    await page.getByLabel("Date of birth").fill("1990-01-31");
    await page.getByRole("button", { name: "Continue" }).click();

    const scan = passportPng();
    await page.getByLabel("Document type").selectOption("passport");
    await page.locator('input[type="file"][name="file"]').setInputFiles({ name: "passport-scan.png", mimeType: "image/png", buffer: scan });

    const document = page.locator("li.document").filter({ hasText: "Passport" });
    // The fingerprints are behind "details" (issue 13): a phone user sees a plain sentence first.
    await document.getByText("Details: fingerprints and audit record").click();
    const serverHash = document.getByTestId("document-hash");
    await serverHash.waitFor();
    expect(await serverHash.textContent()).toBe(sha256Hex(scan));
    expect(await document.getByTestId("local-hash").textContent()).toBe(sha256Hex(scan));
    expect(await document.getByTestId("hash-match").textContent()).toContain("The fingerprints match");
    expect(await page.getByRole("button", { name: "Submit for review" }).isEnabled()).toBe(true);

    // On another device (nothing stored there) the customer picks up where they left off.
    const other = await signedInPage(browser(), baseUrl, "customer1@demo.test");
    const resumedDocument = other.page.locator("li.document").filter({ hasText: "Passport" });
    await resumedDocument.getByText("Details: fingerprints and audit record").click();
    const resumed = resumedDocument.getByTestId("document-hash");
    await resumed.waitFor();
    expect(await resumed.textContent()).toBe(sha256Hex(scan));
    await other.context.close();
  });
});
