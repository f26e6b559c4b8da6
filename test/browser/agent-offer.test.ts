// (b) The agent desk hears of a submitted verification live: an offer with a countdown that
// the agent answers from the keyboard, and the queue list to take any waiting call from.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { goOnline } from "./support/desk.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const AGENT = "agent1@demo.test";
const browser = useBrowser();
let desk: Page;

beforeAll(async () => {
  await api.cancelPendingCalls();
  ({ page: desk } = await signedInPage(browser(), baseUrl, AGENT));
  expect(new URL(desk.url()).pathname).toBe("/agent");
  await goOnline(desk);
});

afterAll(async () => {
  await api.releaseAgent(AGENT);
});

/** A verification submitted by `customer` right now; resolves to its call id. */
async function submittedCall(customer: string): Promise<string> {
  const { id } = await api.verificationWithPassport(customer, "Grace Hopper [local-ai-score=50]");
  return (await api.submit(customer, id)).call_id;
}

describe("agent desk", () => {
  it("receives the offer for a submitted verification live and accepts it with A", async () => {
    const callId = await submittedCall("customer3@demo.test");

    const offer = desk.locator(`[role="alertdialog"][data-call-id="${callId}"]`);
    await offer.waitFor();
    // The call carries the name the customer gave for the verification.
    expect(await offer.textContent()).toContain("Grace Hopper");
    expect(Number((await offer.getByTestId("offer-countdown").textContent())?.replace(/\D/g, ""))).toBeGreaterThan(0);

    await desk.keyboard.press("a");
    await desk.locator(`.workspace[data-call-id="${callId}"]`).waitFor();
    await offer.waitFor({ state: "detached" });
    await desk.getByRole("button", { name: "Start video call" }).waitFor();

    const call = await api.call(`/video-calls/${callId}`, { as: AGENT });
    const me = await api.call("/auth/me", { as: AGENT });
    expect(call.status).toBe("assigned");
    expect(call.assigned_agent_id).toBe(me.id);

    await api.call(`/video-calls/${callId}/cancel`, { as: "manager@demo.test", method: "POST" });
    await desk.locator(`.workspace[data-call-id="${callId}"]`).waitFor({ state: "detached" });
  });

  it("returns a call rejected with R to the queue, where the agent can take it from the list", async () => {
    const callId = await submittedCall("customer4@demo.test");
    const offer = desk.locator(`[role="alertdialog"][data-call-id="${callId}"]`);
    await offer.waitFor();

    await desk.keyboard.press("r");
    await offer.waitFor({ state: "detached" });
    const row = desk.locator(`table.queue tr[data-call-id="${callId}"]`);
    await row.waitFor();

    await row.getByRole("button", { name: /Take/ }).click();
    await desk.locator(`.workspace[data-call-id="${callId}"]`).waitFor();
    expect((await api.call(`/video-calls/${callId}`, { as: AGENT })).status).toBe("assigned");
  });
});
