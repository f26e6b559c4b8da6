// A manager watches service levels live: the figures arrive over the dashboard socket and
// move when a call joins the queue elsewhere, without reloading the page.
import { afterAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();

afterAll(async () => {
  await api.cancelPendingCalls();
});

describe("manager service levels", () => {
  it("shows the period's figures and updates them live when a call is queued", async () => {
    const { page } = await signedInPage(browser(), baseUrl, "manager@demo.test");
    const panel = page.getByTestId("service-levels");
    const calls = panel
      .locator(".tile")
      .filter({ hasText: /^\d+Calls$/ })
      .locator(".tile-value");
    await calls.waitFor();
    const before = Number(await calls.textContent());
    expect(await panel.textContent()).toContain("Service level (taken within 60 s)");

    const { id } = await api.verificationWithPassport("customer4@demo.test", "Linus [local-ai-score=20]");
    await api.submit("customer4@demo.test", id);
    await panel
      .locator(".tile")
      .filter({ hasText: new RegExp(`^${before + 1}Calls$`) })
      .waitFor();
  });
});
