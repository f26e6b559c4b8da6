// (e) The customer's flow on a phone-sized screen (390×844): nothing scrolls sideways, the
// main actions are big enough to tap, a document can be removed or replaced before submit, and
// the waiting room can be left and joined again.
import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { passportPng } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();

afterAll(async () => {
  await api.cancelPendingCalls();
});

async function expectNoSideways(page: Page, step: string) {
  // A string: this runs in the page, and the test code is type-checked without the DOM library.
  const [scroll, client] = (await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")) as [
    number,
    number,
  ];
  expect(scroll, `horizontal scroll on ${step}`).toBeLessThanOrEqual(client);
}

async function expectTappable(page: Page, name: string | RegExp) {
  const box = await page.getByRole("button", { name }).boundingBox();
  expect(box?.height ?? 0, `${name} button height`).toBeGreaterThanOrEqual(44);
}

describe("customer on a phone", () => {
  it("fits a 390×844 screen at every step, from details to the waiting room and back in line", async () => {
    const { page } = await signedInPage(browser(), baseUrl, "customer5@demo.test", {
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    await page.getByLabel("Full name").waitFor();
    await expectNoSideways(page, "details");
    await expectTappable(page, "Continue");

    await page.getByLabel("Date of birth").fill("1985-06-15");
    await page.getByRole("button", { name: "Continue" }).click();
    await page
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "passport.png", mimeType: "image/png", buffer: passportPng() });
    const documents = page.locator("li.document");
    await documents.first().waitFor();

    // Before submit: a wrong extra file is removed, and the passport replaced by another file.
    await page
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "selfie.png", mimeType: "image/png", buffer: passportPng() });
    await expect.poll(() => documents.count()).toBe(2);
    await expectTappable(page, "Remove your Selfie");
    await page.getByRole("button", { name: "Remove your Selfie" }).click();
    await expect.poll(() => documents.count()).toBe(1);
    const passportId = await documents.first().getAttribute("data-document-id");
    await page.getByLabel("Replace your Passport with another file").setInputFiles({
      name: "passport-2.png",
      mimeType: "image/png",
      buffer: passportPng(),
    });
    // The new file is stored first, then the old one goes: one passport, under a new id.
    const replaced = async () =>
      (await documents.count()) === 1 && (await documents.first().getAttribute("data-document-id")) !== passportId;
    await expect.poll(replaced).toBe(true);
    await expect.poll(() => documents.first().textContent()).toContain("Passport");
    await expectNoSideways(page, "documents with their actions");

    // The longest lines on the page, behind "details": two 64-character hashes must wrap, not overflow.
    await page.getByText("Details: fingerprints and audit record").click();
    await page.getByTestId("document-hash").waitFor();
    await expectNoSideways(page, "documents");
    await expectTappable(page, "Submit for review");

    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByTestId("queue-position").waitFor();
    await expectNoSideways(page, "waiting room");

    await page.getByRole("button", { name: "Leave the line" }).click();
    await page.getByRole("button", { name: "Yes, leave" }).click();
    await page.getByRole("button", { name: "Join the line again" }).waitFor();
    await expectNoSideways(page, "left the line");

    await page.getByRole("button", { name: "Join the line again" }).click();
    await page.getByTestId("queue-position").waitFor();
  });
});
