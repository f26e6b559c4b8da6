// (issue 13, points 3, 4 and 6) The customer's journey on a 390×844 phone, in English and in
// German: chosen from the browser's language and switched in the header; every step explained
// (the two ways into the queue, fingerprints behind "details", a thumbnail of each document);
// a finished journey that ends on its result with every step ticked and the decision's date in
// the locale's format; an honest message once the wait outlasts the server's estimate; an
// offline banner; axe-core finds no violation on any step, light or
// dark; the keyboard reaches every control of a step in order, with a visible focus ring.
// Screenshots of each step go to test-results/screenshots/ (git-ignored).
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { newContext, useBrowser } from "./support/browser.ts";
import { passportPng } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();
const AGENT = "agent5@demo.test";
const SHOTS = resolve(import.meta.dirname, "../../test-results/screenshots");

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  await api.cancelPendingCalls();
});

afterAll(async () => {
  await api.cancelPendingCalls();
  await api.setAgentStatus(AGENT, "offline");
});

/** A verification of `customer`, decided "approved" by an agent through the API. */
async function approvedVerification(customer: string): Promise<string> {
  const { id } = await api.verificationWithPassport(customer, "Ada Lovelace");
  const { call_id } = await api.submit(customer, id);
  await api.setAgentStatus(AGENT, "online");
  await api.call(`/video-calls/${call_id}/accept`, { as: AGENT, method: "POST" });
  await api.call(`/video-calls/${call_id}/start`, { as: AGENT, method: "POST" });
  await api.call(`/video-calls/${call_id}/complete`, {
    as: AGENT,
    json: { call_notes: "Journey test.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED", duration_seconds: 60 },
  });
  await api.setAgentStatus(AGENT, "offline");
  return id;
}

async function phone(b: Browser, locale: string, label: string): Promise<Page> {
  const { context } = await newContext(b, baseUrl, label, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale,
  });
  await context.grantPermissions(["camera", "microphone"], { origin: baseUrl });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${label}] page error:`, err.message));
  return page;
}

/** No axe-core violation on the page as it is, in the light and in the dark theme. */
async function expectAccessible(page: Page, step: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(summary, `axe-core on ${step}, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Tabs through the page from the top: each stop is the next of `expected` (accessible names), with a visible focus ring. */
async function expectFocusOrder(page: Page, expected: RegExp[]) {
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  const seen: string[] = [];
  for (let i = 0; i < 40 && seen.length < 60; i++) {
    await page.keyboard.press("Tab");
    // Page code as a string: these tests are typed for Node, without the DOM's types.
    const stop = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const ringOf = (e) => { const s = getComputedStyle(e); return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2; };
      const ring = ringOf(el) || (el.closest(".file-button, .seg") ? ringOf(el.closest(".file-button, .seg")) : false);
      const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
      const name = (el.getAttribute("aria-label") || label || el.textContent || el.getAttribute("name") || el.tagName).trim().replace(/\\s+/g, " ");
      return { name, ring };
    })()`)) as { name: string; ring: boolean } | null;
    if (!stop) break;
    expect(stop.ring, `visible focus on "${stop.name}"`).toBe(true);
    seen.push(stop.name);
    if (seen.length > 1 && seen[0] === stop.name) break;
  }
  let at = 0;
  for (const name of seen) if (at < expected.length && expected[at]!.test(name)) at++;
  expect(at, `focus order ${JSON.stringify(seen)} should visit ${expected.map(String).join(" → ")} in order`).toBe(expected.length);
}

const TEXT = {
  en: {
    locale: "en-US",
    signIn: "Sign in",
    heading: "Verify your identity",
    startNew: "Start a new verification",
    continue: "Continue",
    fullName: "Full name",
    dateOfBirth: "Date of birth",
    submit: "Submit for review",
    talk: "Talk to an agent now",
    submitExplain: /normal priority/,
    talkExplain: /urgent/,
    details: "Details: fingerprints and audit record",
    inLine: "You're in line for a video call",
    leave: "Leave the line",
    yesLeave: "Yes, leave",
    joinAgain: "Join the line again",
    offline: /You are offline/,
    overdue: /longer than estimated.*keep your place/,
    decidedOn: "Decided on",
    approved: "You're verified",
  },
  de: {
    locale: "de-DE",
    signIn: "Anmelden",
    heading: "Identität bestätigen",
    startNew: "Neue Verifizierung beginnen",
    continue: "Weiter",
    fullName: "Vollständiger Name",
    dateOfBirth: "Geburtsdatum",
    submit: "Zur Prüfung einreichen",
    talk: "Jetzt mit einem Mitarbeiter sprechen",
    submitExplain: /normaler Priorität/,
    talkExplain: /dringend/,
    details: "Details: Fingerabdrücke und Prüfprotokoll",
    inLine: "Sie warten auf einen Videoanruf",
    leave: "Warteschlange verlassen",
    yesLeave: "Ja, verlassen",
    joinAgain: "Wieder anstellen",
    offline: /Sie sind offline/,
    overdue: /länger als geschätzt.*Platz bleibt erhalten/,
    decidedOn: "Entschieden am",
    approved: "Sie sind verifiziert",
  },
} as const;

describe("the customer's journey on a phone", () => {
  for (const lang of ["en", "de"] as const) {
    const x = TEXT[lang];
    it(`${lang}: from the result back through details, documents and the waiting room, explained, accessible and by keyboard`, async () => {
      // A customer of this test's own: the demo customers' verifications belong to other files.
      const customer = await api.newCustomer(`journey-${lang}`);
      await approvedVerification(customer);
      const page = await phone(browser(), x.locale, `journey-${lang}`);
      await page.goto("/");
      // The browser's language decides the first page's language.
      await page.getByRole("heading", { name: x.signIn }).waitFor();
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      await shot(page, `customer-${lang}-0-sign-in`);
      await expectAccessible(page, "sign-in");
      await page.getByLabel(lang === "en" ? "Email" : "E-Mail").fill(customer);
      await page.getByLabel(lang === "en" ? "Password" : "Passwort").fill("demo-password");
      await page.getByRole("button", { name: x.signIn }).click();

      // The finished journey ends on its result: every step ticked, the decision dated for the locale.
      const outcome = page.getByTestId("outcome");
      await outcome.waitFor();
      expect(await outcome.getAttribute("data-status")).toBe("approved");
      await page.getByRole("heading", { name: x.approved }).waitFor();
      expect(await page.locator(".steps li.done").count()).toBe(4);
      const decided = (await outcome.textContent()) ?? "";
      const day = new Intl.DateTimeFormat(x.locale, { dateStyle: "long" }).format(new Date());
      expect(decided).toContain(`${x.decidedOn} ${day}`);
      // Starting again is there, but not the page's main button.
      expect(await page.getByRole("button", { name: x.startNew }).getAttribute("class")).toContain("link");
      await shot(page, `customer-${lang}-4-result`);
      await expectAccessible(page, "result");

      await page.getByRole("button", { name: x.startNew }).click();
      await page.getByLabel(x.fullName).waitFor();
      await shot(page, `customer-${lang}-1-details`);
      await expectAccessible(page, "details");
      await expectFocusOrder(page, [
        /Skip|Zum Inhalt/,
        /VerifyID/,
        new RegExp(x.fullName),
        /E-?mail/i,
        new RegExp(x.dateOfBirth),
        new RegExp(x.continue),
      ]);

      await page.getByLabel(x.dateOfBirth).fill("1985-06-15");
      await page.getByRole("button", { name: x.continue }).click();
      await page
        .locator('input[type="file"][name="file"]')
        .setInputFiles({ name: "passport.png", mimeType: "image/png", buffer: passportPng() });
      const document = page.locator("li.document").first();
      // A thumbnail of the document itself, from this device.
      await document.locator(".thumb img").waitFor();
      expect(await document.locator(".thumb img").getAttribute("src")).toMatch(/^blob:/);
      // Fingerprints only behind "details".
      expect(await document.getByTestId("document-hash").isVisible()).toBe(false);
      await document.getByTestId("hash-match").waitFor();
      // Both ways into the queue say what they do.
      for (const [name, explained] of [
        [x.submit, x.submitExplain],
        [x.talk, x.talkExplain],
      ] as const) {
        const button = page.getByRole("button", { name });
        const describedBy = await button.getAttribute("aria-describedby");
        expect(await page.locator(`#${describedBy}`).textContent()).toMatch(explained);
      }
      await shot(page, `customer-${lang}-2-documents`);
      await expectAccessible(page, "documents");
      await document.getByText(x.details).click();
      await document.getByTestId("document-hash").waitFor();
      await shot(page, `customer-${lang}-2-documents-details`);
      await expectAccessible(page, "documents, details open");
      await expectFocusOrder(page, [/Skip|Zum Inhalt/, /VerifyID/, /./, new RegExp(x.details), new RegExp(x.submit), new RegExp(x.talk)]);

      await page.getByRole("button", { name: x.submit }).click();
      await page.getByRole("heading", { name: x.inLine }).waitFor();
      await page.getByTestId("queue-position").waitFor();
      await page.getByTestId("queue-estimate").waitFor();
      await shot(page, `customer-${lang}-3-waiting`);
      await expectAccessible(page, "waiting room");
      expect(await page.getByTestId("queue-estimate").getAttribute("data-overdue")).toBeNull();

      // Once the server's estimate has run out (an offer went unanswered, the call is offered
      // again), the page says it is taking longer, not "any moment now". Time is moved on.
      await page.clock.install();
      await page.clock.fastForward("05:00");
      await page.locator('[data-testid="queue-estimate"][data-overdue="true"]').waitFor();
      expect(await page.getByTestId("queue-estimate").textContent()).toMatch(x.overdue);
      await page.getByTestId("queue-position").waitFor();
      await shot(page, `customer-${lang}-3-waiting-overdue`);

      // Offline: said at once, and gone when the connection is back.
      await page.context().setOffline(true);
      await page.getByText(x.offline).waitFor();
      await shot(page, `customer-${lang}-3-waiting-offline`);
      await page.context().setOffline(false);
      await page.getByText(x.offline).waitFor({ state: "hidden" });

      await page.getByRole("button", { name: x.leave }).click();
      await page.getByRole("button", { name: x.yesLeave }).click();
      await page.getByRole("button", { name: x.joinAgain }).waitFor();
      await shot(page, `customer-${lang}-3-left-the-line`);
      await expectAccessible(page, "left the line");
      await page.context().close();
    });
  }

  it("switches language in the header, and keeps the choice", async () => {
    const page = await phone(browser(), "en-US", "switch");
    await page.goto("/login");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByTestId("language").selectOption("de");
    await page.getByRole("heading", { name: "Anmelden" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await page.reload();
    await page.getByRole("heading", { name: "Anmelden" }).waitFor();
    await page.getByTestId("language").selectOption("en");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.context().close();
  });
});
