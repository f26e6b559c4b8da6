// Webhooks: endpoints with whsec_ secrets, Standard Webhooks signatures (checked here with the
// `standardwebhooks` package, independently of the worker's signer), delivery through the
// webhook queue with retries and a dead-letter end, and the four verification events.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { call, callJson, type Json } from "../support/api.ts";
import { anchorLatest, logPendingRecords } from "../support/audit.ts";
import { uploadDocument } from "../support/factories.ts";
import { makeReady } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";
import {
  apiKey,
  eventually,
  exchange,
  exampleDeliveries,
  hostedVerification,
  received,
  receiver,
  startExampleReceiver,
  withKey,
} from "./support.ts";

async function endpoint(
  t: TestTenant,
  url: string,
  events = ["verification.submitted", "verification.call_started", "verification.decided", "verification.anchored"],
) {
  const { status, body } = await callJson("/webhooks", { token: t.manager.token, json: { url, events } });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Json & { id: string; secret: string };
}

/** Every request the receiver got, each verified with the standardwebhooks package. */
async function verifiedDeliveries(name: string, secret: string) {
  const verifier = new Webhook(secret);
  return (await received(name)).map((r) => ({
    id: r.headers["webhook-id"]!,
    event: verifier.verify(r.body, r.headers) as Json,
  }));
}

async function deliveries(t: TestTenant, endpointId: string): Promise<Json[]> {
  const { status, body } = await callJson(`/webhooks/${endpointId}/deliveries`, { token: t.manager.token });
  expect(status).toBe(200);
  return body.items;
}

describe("webhook endpoints", () => {
  it("creates with a whsec_ secret shown once, lists without it, deletes", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const hook = await endpoint(t, "https://hooks.example/verifyid", ["verification.decided"]);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(hook).toMatchObject({ url: "https://hooks.example/verifyid", events: ["verification.decided"] });
    const list = await callJson("/webhooks", { token: t.manager.token });
    expect(list.body.items).toEqual([{ id: hook.id, url: hook.url, events: hook.events, created_at: hook.created_at }]);
    expect((await call(`/webhooks/${hook.id}`, { token: t.manager.token, method: "DELETE" })).status).toBe(204);
    expect((await callJson("/webhooks", { token: t.manager.token })).body.items).toEqual([]);
    expect((await call(`/webhooks/${hook.id}`, { token: t.manager.token, method: "DELETE" })).status).toBe(404);
  });

  it("is managed by managers and webhooks:manage keys, each in their own tenant", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const other = await newTenant({ agents: 0, customers: 0 });
    expect((await callJson("/webhooks", { token: t.agents[0]!.token })).status).toBe(403);
    const { key } = await apiKey(t, ["webhooks:manage"]);
    const created = await callJson("/webhooks", {
      headers: withKey(key),
      json: { url: "https://hooks.example/a", events: ["verification.decided"] },
    });
    expect(created.status).toBe(201);
    expect((await callJson(`/webhooks/${created.body.id}/deliveries`, { token: other.manager.token })).status).toBe(404);
  });

  it("refuses a URL that is not http(s) with 400 (https and public addresses outside local runs: url-policy tests)", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    for (const url of ["ftp://hooks.example/x", "not a url", "https://user:pw@hooks.example/"]) {
      const { status, body } = await callJson("/webhooks", { token: t.manager.token, json: { url, events: ["verification.decided"] } });
      expect(status, url).toBe(400);
      expect(Object.keys(body.error.details)).toEqual(["url"]);
    }
  });
});

describe("webhook delivery", () => {
  it("sends a signed ping that standardwebhooks verifies", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const r = await receiver();
    const hook = await endpoint(t, r.url);
    const ping = await callJson(`/webhooks/${hook.id}/test`, { token: t.manager.token, method: "POST" });
    expect(ping.status).toBe(202);
    const [got] = await eventually(async () => {
      const list = await verifiedDeliveries(r.name, hook.secret);
      return list.length ? list : null;
    });
    expect(got!.id).toBe(ping.body.delivery_id);
    expect(got!.event).toMatchObject({ type: "ping", data: { webhook_id: hook.id } });
    await eventually(async () => (await deliveries(t, hook.id)).find((d) => d.status === "delivered"));
    const headers = (await received(r.name))[0]!.headers;
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
  });

  it("retries a receiver that fails twice: one event id three times, then delivered", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const r = await receiver([500, 503]);
    const hook = await endpoint(t, r.url);
    await callJson(`/webhooks/${hook.id}/test`, { token: t.manager.token, method: "POST" });
    const [delivery] = await eventually(async () => {
      const list = await deliveries(t, hook.id);
      return list[0]?.status === "delivered" ? list : null;
    });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 204, next_attempt_at: null });
    const got = await verifiedDeliveries(r.name, hook.secret);
    expect(got.map((d) => d.id)).toEqual([delivery!.id, delivery!.id, delivery!.id]);
  });

  it("marks a delivery failed after the last delay, and re-sends it on retry", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const r = await receiver([500, 500, 500, 500]);
    const hook = await endpoint(t, r.url);
    await callJson(`/webhooks/${hook.id}/test`, { token: t.manager.token, method: "POST" });
    const [failed] = await eventually(async () => {
      const list = await deliveries(t, hook.id);
      return list[0]?.status === "failed" ? list : null;
    });
    // WEBHOOK_RETRY_DELAYS_SECONDS has three delays in tests: four attempts in all.
    expect(failed).toMatchObject({ status: "failed", attempts: 4, last_status_code: 500, last_error: "HTTP 500" });
    const retry = await callJson(`/webhooks/${hook.id}/deliveries/${failed!.id}/retry`, { token: t.manager.token, method: "POST" });
    expect(retry.status).toBe(202);
    await eventually(async () => (await deliveries(t, hook.id))[0]?.status === "delivered");
    const ids = (await verifiedDeliveries(r.name, hook.secret)).map((d) => d.id);
    expect(ids).toEqual(Array(5).fill(failed!.id));
    expect((await callJson(`/webhooks/${hook.id}/deliveries/nope/retry`, { token: t.manager.token, method: "POST" })).status).toBe(404);
  });

  it("records nothing twice for a repeated cause", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const hook = await endpoint(t, "https://hooks.example/x");
    const { recordEventStatement } = await import("../../../worker/webhooks/events.ts");
    const event = { id: "ping-fixed", tenant_id: t.id, type: "ping" as const, verification_id: null, at: Date.now(), data: {} };
    await recordEventStatement(env.DB, event, hook.id).run();
    await recordEventStatement(env.DB, event, hook.id).run();
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE event_id = 'ping-fixed'").first<{ n: number }>();
    expect(row!.n).toBe(1);
  });
});

describe("verification events", () => {
  it("sends submitted, call_started, decided (with its receipt) and anchored for a hosted verification", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    const { key } = await apiKey(t);
    const r = await receiver();
    const hook = await endpoint(t, r.url);
    const created = await hostedVerification(key, { external_ref: "acct-e2e", user_info: { name: "Eve" } });
    const { token } = (await exchange(created.body.session_url)).body;
    expect((await uploadDocument(token, created.body.id)).status).toBe(201);
    await makeReady(agent);
    const submitted = await callJson(`/verifications/${created.body.id}/submit`, { token, method: "POST" });
    expect(submitted.status).toBe(200);
    const callId = submitted.body.call_id;
    await callJson(`/video-calls/${callId}/accept`, { token: agent.token, method: "POST" });
    expect((await callJson(`/video-calls/${callId}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
    const done = await callJson(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { call_notes: "Passport matches.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
    });
    expect(done.status).toBe(200);
    await env.QUEUE_COORDINATOR.getByName(t.id).flushOutbox();
    await logPendingRecords();
    await anchorLatest();

    const events = await eventually(async () => {
      const got = await verifiedDeliveries(r.name, hook.secret);
      const types = new Set(got.map((d) => d.event.type));
      return types.size === 4 ? got : null;
    }, 15_000);
    const byType = Object.fromEntries(events.map((d) => [d.event.type, d.event.data]));
    for (const data of Object.values(byType)) expect(data).toMatchObject({ verification_id: created.body.id, external_ref: "acct-e2e" });
    expect(byType["verification.call_started"]).toMatchObject({ call_id: callId });
    expect(byType["verification.decided"]).toMatchObject({
      decision: "approved",
      reason_code: "IDENTITY_CONFIRMED",
      decided_at: expect.any(String),
      audit_record_id: done.body.audit.record_id,
      receipt_url: `/api/v1/audit/receipts/${encodeURIComponent(done.body.audit.record_id)}`,
    });
    expect(byType["verification.anchored"]).toMatchObject({ tree_size: expect.any(Number), record_ids: expect.any(Array) });
    // The receipt URL works for the tenant's staff.
    expect((await callJson(byType["verification.decided"].receipt_url.replace("/api/v1", ""), { token: t.manager.token })).status).toBe(
      200,
    );
  });

  it("runs the example receiver (examples/webhook-receiver.ts) against the worker", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const { key } = await apiKey(t);
    const example = await startExampleReceiver();
    const hook = await callJson("/webhooks", { headers: withKey(key), json: { url: example.url, events: ["verification.submitted"] } });
    await example.setSecret(hook.body.secret);
    const created = await hostedVerification(key, { external_ref: "acct-example" });
    const { token } = (await exchange(created.body.session_url)).body;
    await uploadDocument(token, created.body.id);
    await callJson(`/verifications/${created.body.id}/submit`, { token, method: "POST" });
    const [got] = await eventually(async () => {
      const list = await exampleDeliveries(example.index);
      return list.length ? list : null;
    });
    expect(got).toMatchObject({ type: "verification.submitted", verified: true, duplicate: false, data: { external_ref: "acct-example" } });
  });
});
