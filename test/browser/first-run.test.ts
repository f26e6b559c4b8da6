// (issue 13, point 1) First run: `/` and every deep link, opened signed out, lead to the
// sign-in form and, after sign-in, back to where the person was going (or their role's home);
// a page the role does not work in says so. Each test starts from a fresh, signed-out tab.
import type { Browser, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newContext, useBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

async function freshTab(b: Browser, label: string): Promise<Page> {
  const { context } = await newContext(b, baseUrl, label, { viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${label}] page error:`, err.message));
  return page;
}

async function signIn(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
}

const path = (page: Page) => new URL(page.url()).pathname;

describe("a signed-out person", () => {
  it("opening `/` sees the sign-in form, then lands on their role's home", async () => {
    const page = await freshTab(browser(), "root");
    await page.goto("/");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(path(page)).toBe("/login");
    await signIn(page, "customer2@demo.test");
    await page.waitForURL((url) => url.pathname === "/customer");
    await page.getByRole("heading", { name: "Verify your identity" }).waitFor();
    await page.context().close();
  });

  for (const [deepLink, email, heading] of [
    ["/customer", "customer3@demo.test", "Verify your identity"],
    ["/agent", "agent3@demo.test", "Waiting customers"],
    ["/manager", "manager@acme.test", "Operations"],
  ] as const) {
    it(`opening ${deepLink} signs in first and comes back to ${deepLink}`, async () => {
      const page = await freshTab(browser(), deepLink);
      await page.goto(deepLink);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      const here = new URL(page.url());
      expect(here.pathname).toBe("/login");
      expect(here.searchParams.get("next")).toBe(deepLink);
      await signIn(page, email);
      await page.waitForURL((url) => url.pathname === deepLink);
      await page.getByRole("heading", { name: heading }).waitFor();
      // The address bar holds the page, not the sign-in detour.
      expect(new URL(page.url()).search).toBe("");
      await page.context().close();
    });
  }

  it("opening the public receipt check needs no sign-in", async () => {
    const page = await freshTab(browser(), "verify");
    await page.goto("/verify");
    await page.getByRole("heading", { name: "Verify a document receipt" }).waitFor();
    expect(path(page)).toBe("/verify");
    await page.context().close();
  });
});

describe("a signed-in person", () => {
  it("is told plainly when a page belongs to another role, and can go home", async () => {
    const page = await freshTab(browser(), "forbidden");
    await page.goto("/manager");
    await signIn(page, "customer2@demo.test");
    // `next` named a page this role may not open: the role's home instead.
    await page.waitForURL((url) => url.pathname === "/customer");
    await page.goto("/manager");
    await page.getByRole("heading", { name: "This page is not open to your role" }).waitFor();
    expect(path(page)).toBe("/manager");
    await page.getByRole("link", { name: /Go to/ }).click();
    await page.waitForURL((url) => url.pathname === "/customer");
    await page.getByRole("heading", { name: "Verify your identity" }).waitFor();
    await page.context().close();
  });

  it("opening `/` or `/login` goes to their home, and back and forward keep working", async () => {
    const page = await freshTab(browser(), "home");
    await page.goto("/login");
    await signIn(page, "manager@acme.test");
    await page.waitForURL((url) => url.pathname === "/manager");
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/manager");
    await page.goto("/login");
    await page.waitForURL((url) => url.pathname === "/manager");
    await page.getByRole("heading", { name: "Operations" }).waitFor();
    // In-app links: no reload, and history works.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Verify a receipt" }).click();
    await page.getByRole("heading", { name: "Verify a document receipt" }).waitFor();
    await page.goBack();
    await page.getByRole("heading", { name: "Operations" }).waitFor();
    expect(path(page)).toBe("/manager");
    await page.goto("/no-such-page");
    await page.getByRole("heading", { name: "There is no such page" }).waitFor();
    await page.context().close();
  });
});
