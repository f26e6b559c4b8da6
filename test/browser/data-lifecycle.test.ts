// The data lifecycle in the dashboard: a manager changes retention and erases a verification
// through its confirmation step; a customer downloads their data as one JSON file.
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();
// The Acme tenant: its retention settings and verifications are this file's alone.
const MANAGER = "manager@acme.test";
const CUSTOMER = "customer1@acme.test";

describe("data lifecycle", () => {
  it("lets a manager change retention, and erase a verification only after confirming", async () => {
    const { id } = await api.verificationWithPassport(CUSTOMER, "Erase Me");
    const { page } = await signedInPage(browser(), baseUrl, MANAGER);
    const panel = page.getByRole("region", { name: "Data lifecycle" });
    const abandoned = panel.getByLabel("Abandoned, undecided verifications (days untouched)");
    await expect.poll(() => abandoned.inputValue()).toBe("30");
    await abandoned.fill("14");
    await panel.getByRole("button", { name: "Save retention" }).click();
    await panel.getByText("Saved").waitFor();
    expect((await api.call("/settings/retention", { as: MANAGER })).abandoned_days).toBe(14);
    await abandoned.fill("30");
    await panel.getByRole("button", { name: "Save retention" }).click();
    await panel.getByText("Saved").waitFor();

    await panel.getByLabel("Verification id").fill(id);
    await panel.getByLabel("Reason").fill("Customer asked for erasure");
    await panel.getByRole("button", { name: "Erase…" }).click();
    const confirm = panel.getByRole("alertdialog");
    await confirm.getByText("this cannot be undone").waitFor();
    // Cancelling leaves it untouched.
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect((await api.call(`/verifications/${id}`, { as: MANAGER })).status).toBe("created");
    await panel.getByRole("button", { name: "Erase…" }).click();
    await panel.getByRole("button", { name: "Erase for good" }).click();
    await panel.getByText(`Erased; audit record verification:${id}:erased.`).waitFor();
    expect((await api.call(`/verifications/${id}`, { as: MANAGER })).status).toBe("erased");
  });

  it("lets a customer download their data", async () => {
    const { id } = await api.verificationWithPassport(CUSTOMER, "Download Me");
    const { page } = await signedInPage(browser(), baseUrl, CUSTOMER);
    const button = page.getByRole("button", { name: "Download my data" });
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe(`verification-${id}.json`);
    const data = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(data).toMatchObject({ format: "verifyid-export/v1", verification: { id, user_info: { name: "Download Me" } } });
    expect(data.documents).toHaveLength(1);
  });
});
