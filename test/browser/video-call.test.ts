// (c) Customer and agent meet in the video call: two browser contexts with fake cameras, both
// peer connections reach "connected", the agent approves, and the customer sees the outcome.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { goOnline } from "./support/desk.ts";
import { passportPng } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const AGENT = "agent2@demo.test";
const browser = useBrowser();

beforeAll(async () => {
  await api.cancelPendingCalls();
});

afterAll(async () => {
  await api.releaseAgent(AGENT);
});

describe("video call", () => {
  it("connects customer and agent peer to peer, and shows the customer the agent's approval", async () => {
    const agent = await signedInPage(browser(), baseUrl, AGENT);
    await goOnline(agent.page);

    const customer = await signedInPage(browser(), baseUrl, "customer2@demo.test", {
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    await customer.page.getByLabel("Full name").fill("Ada Lovelace [local-ai-score=85]");
    await customer.page.getByLabel("Date of birth").fill("1990-01-31");
    await customer.page.getByRole("button", { name: "Continue" }).click();
    await customer.page
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "passport.png", mimeType: "image/png", buffer: passportPng() });
    await customer.page.getByTestId("hash-match").waitFor();
    await customer.page.getByRole("button", { name: "Submit for review" }).click();

    // High fraud score → high priority → offered to the only agent online.
    const offer = agent.page.getByRole("alertdialog");
    await offer.waitFor();
    expect(await offer.textContent()).toContain("Ada Lovelace");
    await agent.page.getByRole("button", { name: /Accept/ }).click();
    await customer.page.getByText("Agent 2 is joining your call").waitFor();

    await agent.page.getByRole("button", { name: "Start video call" }).click();
    await agent.page.locator('.call[data-connection-state="connected"]').waitFor({ timeout: 30_000 });
    await customer.page.locator('.call[data-connection-state="connected"]').waitFor({ timeout: 30_000 });
    expect(await customer.page.locator(".call-status").textContent()).toContain("Connected with Agent 2");
    // Media really flows: the remote video has frames.
    // Polled with plain evaluations: waitForFunction's string form runs through eval, which the
    // page's CSP (rightly) refuses.
    await expect
      .poll(() => customer.page.evaluate("document.querySelector('.call-stage > .video video')?.videoWidth ?? 0"), { timeout: 30_000 })
      .toBeGreaterThan(0);

    await agent.page.getByRole("radio", { name: "Approve" }).check();
    await agent.page.getByLabel(/Notes/).fill("Face matches the passport photo.");
    await agent.page.getByRole("button", { name: /Complete the call/ }).click();
    await agent.page.getByTestId("completion").waitFor();
    expect(await agent.page.getByTestId("completion").textContent()).toContain("approved");

    const outcome = customer.page.locator('[data-testid="outcome"][data-status="approved"]');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toContain("You're verified");
  });
});
