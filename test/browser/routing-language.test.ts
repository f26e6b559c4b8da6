// Routing by language (issue 17): a customer whose page speaks German is offered to the
// German-speaking agent (demo data: Agent 1) while the English-only agent (Agent 2), online
// first, stays idle; the manager sees the agents' skills and the German desk's figures.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { signedInPage, useBrowser } from "./support/browser.ts";
import { goOnline } from "./support/desk.ts";
import { passportPng } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const GERMAN = "agent1@demo.test";
const ENGLISH = "agent2@demo.test";
// Used elsewhere only through the API, so the verification this page leaves behind resumes nowhere.
const CUSTOMER = "customer3@demo.test";
const browser = useBrowser();
let germanDesk: Page;
let englishDesk: Page;

beforeAll(async () => {
  await api.cancelPendingCalls();
  // The English-only agent comes online first, so an unrouted call would be theirs.
  ({ page: englishDesk } = await signedInPage(browser(), baseUrl, ENGLISH));
  await goOnline(englishDesk);
  ({ page: germanDesk } = await signedInPage(browser(), baseUrl, GERMAN));
  await goOnline(germanDesk);
});

afterAll(async () => {
  await api.releaseAgent(GERMAN);
  await api.releaseAgent(ENGLISH);
});

describe("routing by language", () => {
  it("offers a German-speaking customer to the German-speaking agent while the English-only agent stays idle", async () => {
    // A German browser (its language goes with the details); the page itself switched to English,
    // the language these steps read.
    const { page: customer } = await signedInPage(browser(), baseUrl, CUSTOMER, { locale: "de-DE", pageLanguage: "en" });
    await customer.getByLabel("Full name").fill("Jana Fischer");
    await customer.getByLabel("Date of birth").fill("1988-04-12");
    await customer.getByRole("button", { name: "Continue" }).click();
    await customer.getByLabel("Document type").selectOption("passport");
    await customer
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "pass.png", mimeType: "image/png", buffer: passportPng() });
    // Stored: its fingerprint is on the page (behind "details", so attached rather than visible).
    await customer.locator("li.document").filter({ hasText: "Passport" }).getByTestId("document-hash").waitFor({ state: "attached" });
    await customer.getByRole("button", { name: "Submit for review" }).click();

    const offer = germanDesk.locator('[role="alertdialog"]').filter({ hasText: "Jana Fischer" });
    await offer.waitFor();
    const callId = await offer.getAttribute("data-call-id");
    const call = await api.call(`/video-calls/${callId}`, { as: "manager@demo.test" });
    expect(call.routing).toMatchObject({ queue_id: "demo-queue-german", requirements: [{ skill: "lang:de", level: 1 }], relax_step: 0 });
    expect(call.offered_to).toBe((await api.call("/auth/me", { as: GERMAN })).id);
    // The English-only desk, online all along, was offered nothing.
    expect(await englishDesk.locator('[role="alertdialog"]').count()).toBe(0);
    const { agents } = await api.call("/video-calls/agents/availability", { as: "manager@demo.test" });
    const english = agents.find((a: { name: string }) => a.name === "Agent 2");
    expect(english).toMatchObject({ status: "online", current_calls: 0, skills: { "lang:en": 3 } });

    // The manager sees the skills on the agents panel and the call waiting in the German desk.
    const { page: manager } = await signedInPage(browser(), baseUrl, "manager@demo.test");
    const agent1 = manager.locator("tr[data-agent-id]").filter({ hasText: "Agent 1" }).getByTestId("agent-skills");
    await agent1.waitFor();
    expect(await agent1.textContent()).toBe("lang:de 3 · lang:en 3");
    const desk = manager.getByTestId("queues").locator('tr[data-queue-id="demo-queue-german"]');
    await desk.waitFor();
    expect(await desk.locator("td").nth(0).textContent()).toBe("German desk");
    expect(await desk.locator("td").nth(1).textContent()).toBe("1");
  });
});
