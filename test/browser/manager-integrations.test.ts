// A manager creates an API key (shown once, then only its prefix), revokes it, and adds a
// webhook, sends it a test and sees the delivery, all from the manager page.
import { describe, expect, inject, it } from "vitest";
import { signedInPage, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("manager integrations", () => {
  it("creates and revokes a key, and adds a webhook whose test delivery is listed", async () => {
    const { page } = await signedInPage(browser(), baseUrl, "manager@demo.test");
    const keys = page.getByTestId("api-keys");
    const name = `browser key ${Date.now()}`;
    await keys.getByLabel("Name").fill(name);
    await keys.getByRole("button", { name: "Create key" }).click();
    const shown = await keys.getByTestId("shown-once").textContent();
    expect(shown).toMatch(/^vid_/);
    const row = keys.locator("li", { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${shown!.slice(0, 10)}…`);
    expect(await row.textContent()).not.toContain(shown);
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.waitFor({ state: "detached" });

    const hooks = page.getByTestId("webhooks");
    const url = `http://127.0.0.1:9/hook-${Date.now()}`;
    await hooks.getByLabel("URL").fill(url);
    await hooks.getByRole("button", { name: "Add webhook" }).click();
    expect(await hooks.getByTestId("shown-once").textContent()).toMatch(/^whsec_/);
    const hook = hooks.locator("li", { hasText: url });
    await hook.getByRole("button", { name: "Send test" }).click();
    await hook.locator("td", { hasText: "ping" }).waitFor();
  });
});
