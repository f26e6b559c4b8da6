// Issue 15: a client app's hosted link opened on a phone-sized page leads through upload,
// submit and the waiting room without any sign-in form, and the link's token leaves the address.
import { afterAll, describe, expect, inject, it } from "vitest";
import { Api } from "./support/api.ts";
import { newContext, useBrowser } from "./support/browser.ts";
import { passportPng } from "./support/files.ts";

const baseUrl = inject("baseUrl");
const api = new Api(baseUrl);
const browser = useBrowser();

afterAll(async () => {
  await api.cancelPendingCalls();
});

/** A client app's key and a hosted verification made with it, as a bank's backend would. */
async function hostedLink(): Promise<{ sessionUrl: string; verificationId: string }> {
  const key = await api.call("/api-keys", {
    as: "manager@demo.test",
    json: { name: `browser test ${Date.now()}`, scopes: ["verifications:write", "verifications:read"] },
  });
  const res = await fetch(`${baseUrl}/api/v1/verifications`, {
    method: "POST",
    headers: { "X-API-Key": key.key, "Content-Type": "application/json", "Idempotency-Key": `browser-${Date.now()}` },
    body: JSON.stringify({
      external_ref: `bank-user-${Date.now()}`,
      user_info: { name: "Grace Hopper" },
      redirect_url: "https://bank.example/kyc/done",
    }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; session_url: string };
  return { sessionUrl: body.session_url, verificationId: body.id };
}

describe("a hosted verification link", () => {
  it("opens the customer's journey on a phone without a sign-in form, through upload, submit and the waiting room", async () => {
    const { sessionUrl, verificationId } = await hostedLink();
    const { context } = await newContext(browser(), baseUrl, "hosted", {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    // The link names the API's origin; the test's server is the same one.
    await page.goto(new URL(sessionUrl).pathname + new URL(sessionUrl).hash);
    await page.waitForURL((url) => url.pathname === "/customer" && url.hash === "");
    await expect(page.getByLabel("Password").count()).resolves.toBe(0);

    // The client app sent the customer's details: the journey starts at the documents.
    await page.getByText("Add your ID document").waitFor();
    await page
      .locator('input[type="file"][name="file"]')
      .setInputFiles({ name: "passport.png", mimeType: "image/png", buffer: passportPng() });
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByTestId("queue-position").waitFor();
    await expect(page.getByLabel("Password").count()).resolves.toBe(0);

    // The page's token reaches that one verification and nothing else.
    const stored = (await page.evaluate("sessionStorage.getItem('verifyid.session')")) as string;
    const token = (JSON.parse(stored) as { token: string }).token;
    const own = await fetch(`${baseUrl}/api/v1/verifications/${verificationId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(own.status).toBe(200);
    const other = await fetch(`${baseUrl}/api/v1/video-calls/pending`, { headers: { Authorization: `Bearer ${token}` } });
    expect([403, 404]).toContain(other.status);
    await context.close();
  });

  it("says plainly when a link cannot be opened", async () => {
    const { context } = await newContext(browser(), baseUrl, "hosted-bad", { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/customer#session=vss_not-a-real-token");
    await page.getByText("This link cannot be opened").waitFor();
    await context.close();
  });
});
