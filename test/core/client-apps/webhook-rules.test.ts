// The pure webhook rules: which URLs may receive events, the retry schedule, and signatures
// that the `standardwebhooks` package accepts (an independent implementation).
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../../worker/webhooks/schedule.ts";
import { verifyWebhook } from "../../../client/webhooks.js";
import { newWebhookSecret, signedHeaders } from "../../../worker/webhooks/signing.ts";
import { isPrivateIPv4, isPrivateIPv6, webhookUrlRefusal } from "../../../worker/webhooks/url-policy.ts";

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe("webhook URLs", () => {
  it("accepts an https URL whose host resolves to public addresses", async () => {
    expect(await webhookUrlRefusal("https://hooks.bank.example/verifyid", false, resolvesTo("93.184.215.14"))).toBeNull();
  });

  it("refuses http, credentials and non-URLs", async () => {
    expect(await webhookUrlRefusal("http://hooks.bank.example/", false, resolvesTo("93.184.215.14"))).toMatch(/https/);
    expect(await webhookUrlRefusal("https://u:p@hooks.bank.example/", false, resolvesTo("93.184.215.14"))).toMatch(/credentials/);
    expect(await webhookUrlRefusal("hooks", false)).toMatch(/absolute/);
  });

  it("refuses private, loopback and link-local literals and names", async () => {
    for (const url of [
      "https://127.0.0.1/",
      "https://10.1.2.3/",
      "https://172.16.0.1/",
      "https://192.168.1.1/",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/",
      "https://[::1]/",
      "https://[fd00::1]/",
      "https://[fe80::1]/",
      "https://[::ffff:10.0.0.1]/",
      "https://localhost/",
      "https://printer.local/",
      "https://intranet/",
    ]) {
      expect(await webhookUrlRefusal(url, false, resolvesTo("93.184.215.14")), url).not.toBeNull();
    }
  });

  it("refuses a public name that resolves to a private address, or does not resolve", async () => {
    expect(await webhookUrlRefusal("https://rebind.example/", false, resolvesTo("93.184.215.14", "10.0.0.5"))).toMatch(/resolves/);
    expect(await webhookUrlRefusal("https://nx.example/", false, resolvesTo())).toMatch(/resolved/);
    const failing = async () => {
      throw new Error("DNS down");
    };
    expect(await webhookUrlRefusal("https://nx.example/", false, failing)).toMatch(/resolved/);
  });

  it("allows http and private addresses when WEBHOOK_ALLOW_PRIVATE_URLS is on (local runs)", async () => {
    expect(await webhookUrlRefusal("http://127.0.0.1:8788/hook", true)).toBeNull();
    expect(await webhookUrlRefusal("ftp://127.0.0.1/", true)).not.toBeNull();
  });

  it("classifies addresses", () => {
    expect(isPrivateIPv4("8.8.8.8")).toBe(false);
    expect(isPrivateIPv4("172.32.0.1")).toBe(false);
    expect(isPrivateIPv6("2606:4700::1111")).toBe(false);
  });
});

describe("retry schedule", () => {
  it("waits each configured delay in turn, then gives up", () => {
    const delays = [5, 300, 1800];
    expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(delays, attempt))).toEqual([5, 300, 1800, null]);
  });
});

describe("signatures", () => {
  it("are accepted by the standardwebhooks package, and ours accepts theirs", async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: "ping", timestamp: new Date().toISOString(), data: {} });
    const now = Math.floor(Date.now() / 1000);
    const headers = await signedHeaders(secret, "msg_1", now, body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "ping" });
    const theirs = new Webhook(secret).sign("msg_2", new Date(now * 1000), body);
    const event = await verifyWebhook(
      secret,
      { "webhook-id": "msg_2", "webhook-timestamp": String(now), "webhook-signature": theirs },
      body,
    );
    expect(event).toMatchObject({ type: "ping" });
  });

  it("fail for another body, another secret or an old timestamp", async () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = await signedHeaders(secret, "msg_1", now, "{}");
    await expect(verifyWebhook(secret, headers, "{ }")).rejects.toThrow(/signature/);
    await expect(verifyWebhook(newWebhookSecret(), headers, "{}")).rejects.toThrow(/signature/);
    const old = await signedHeaders(secret, "msg_1", now - 3600, "{}");
    await expect(verifyWebhook(secret, old, "{}")).rejects.toThrow(/tolerance/);
    await expect(verifyWebhook(secret, new Headers(headers), "{}")).resolves.toEqual({});
  });
});
