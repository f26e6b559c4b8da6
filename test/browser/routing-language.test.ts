// Routing by language (issue 17): a customer whose page speaks German is offered to the
// German-speaking agent (demo data: Agent 1) while the English-only agent (Agent 2), online
// first, stays idle; each agent sees their own skills; the manager sees the agents' skills and
// the German desk's figures.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { newContext, signedInPage, useBrowser } from "./support/browser.ts";
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

/** The customer's page in a German browser, which the page speaks since the catalogues (issue 13). */
async function germanCustomerPage(): Promise<Page> {
  const { context } = await newContext(browser(), baseUrl, CUSTOMER, { viewport: { width: 1280, height: 900 }, locale: "de-DE" });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("E-Mail").fill(CUSTOMER);
  await page.getByLabel("Passwort").fill("demo-password");
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  return page;
}

afterAll(async () => {
  await api.releaseAgent(GERMAN);
  await api.releaseAgent(ENGLISH);
});

describe("routing by language", () => {
  it("shows each agent their own skills on the desk", async () => {
    for (const [desk, skills] of [
      [germanDesk, "lang:de 3 · lang:en 3"],
      [englishDesk, "lang:en 3"],
    ] as const) {
      const own = desk.getByTestId("own-skills");
      await own.filter({ hasText: skills }).waitFor();
      expect(await own.textContent()).toBe(skills);
    }
  });

  it("offers a German-speaking customer to the German-speaking agent while the English-only agent stays idle", async () => {
    const customer = await germanCustomerPage();
    await customer.getByLabel("Vollständiger Name").fill("Jana Fischer");
    await customer.getByLabel("Geburtsdatum").fill("1988-04-12");
    await customer.getByRole("button", { name: "Weiter" }).click();
    await customer.getByLabel("Dokumentart").selectOption("passport");
    await customer.getByLabel("Ausstellungsland").selectOption("DE");
    await customer
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "pass.png", mimeType: "image/png", buffer: passportPng() });
    await customer.locator("li.document").filter({ hasText: "Reisepass" }).getByTestId("hash-match").waitFor();
    await customer.getByRole("button", { name: "Zur Prüfung einreichen" }).click();

    const offer = germanDesk.locator('[role="alertdialog"]').filter({ hasText: "Jana Fischer" });
    await offer.waitFor();
    const callId = await offer.getAttribute("data-call-id");
    const call = await api.call(`/video-calls/${callId}`, { as: "manager@demo.test" });
    expect(call.routing).toMatchObject({ queue_id: "demo-queue-german", requirements: [{ skill: "lang:de", level: 1 }], relax_step: 0 });
    expect(call.offered_to).toBe((await api.call("/auth/me", { as: GERMAN })).id);
    // The passport's issuing country is kept; no demo agent checks German documents, so it is no requirement.
    expect(call.documents).toEqual([expect.objectContaining({ doc_type: "passport", issuing_country: "DE" })]);
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
