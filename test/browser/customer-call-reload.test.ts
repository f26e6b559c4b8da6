// (issue 13, point 3) During the video call, leaving the page asks first (beforeunload), and a
// reload neither loses the call nor restarts its timer: the page rejoins the room and counts
// from the call's start as the server recorded it.
import type { Dialog } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { goOnline } from "./support/desk.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const AGENT = "agent4@demo.test";
const browser = useBrowser();

beforeAll(async () => {
  await api.cancelPendingCalls();
});

afterAll(async () => {
  await api.releaseAgent(AGENT);
});

/** The call timer's "m:ss" as seconds. */
function seconds(timer: string | null): number {
  const [m, s] = (timer ?? "0:00").trim().split(":").map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
}

describe("a customer reloading during the call", () => {
  it("is warned before leaving, rejoins the call, and the timer goes on from the call's start", async () => {
    const agent = await signedInPage(browser(), baseUrl, AGENT);
    await goOnline(agent.page);
    // A customer of this test's own: the demo customers' verifications belong to other files.
    const email = await api.newCustomer("reload");
    await api.verificationWithPassport(email, "Grace Hopper");
    const customer = await signedInPage(browser(), baseUrl, email, { viewport: { width: 390, height: 844 }, isMobile: true });
    await customer.page.getByRole("button", { name: "Submit for review" }).click();

    await agent.page.getByRole("alertdialog").waitFor();
    await agent.page.getByRole("button", { name: /Accept/ }).click();
    await agent.page.getByRole("button", { name: "Start video call" }).click();
    const connected = customer.page.locator('.call[data-connection-state="connected"]');
    await connected.waitFor({ timeout: 30_000 });
    await customer.page.locator(".call-timer").waitFor();
    await expect
      .poll(async () => seconds(await customer.page.locator(".call-timer").textContent()), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    const before = seconds(await customer.page.locator(".call-timer").textContent());

    // Leaving mid-call asks first; the customer confirms the reload here.
    const dialogs: string[] = [];
    customer.page.on("dialog", (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await customer.page.reload();
    expect(dialogs).toContain("beforeunload");

    await connected.waitFor({ timeout: 30_000 });
    await customer.page.locator(".call-timer").waitFor();
    // Counted from the server's start: at least where it was before the reload, not 0:00 again.
    expect(seconds(await customer.page.locator(".call-timer").textContent())).toBeGreaterThanOrEqual(before);
    await customer.context.close();
  });
});
