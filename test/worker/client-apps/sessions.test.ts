// Hosted verification sessions: created with a key (idempotently), found by external_ref, and
// opened from a link by one person, whose token reaches that verification and nothing else.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson } from "../support/api.ts";
import { uploadDocument } from "../support/factories.ts";
import { newTenant } from "../support/tenant.ts";
import { apiKey, exchange, hostedVerification, withKey } from "./support.ts";

describe("hosted verification sessions", () => {
  it("answers 201 with session_url and session_expires_at (24 h by default)", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const before = Date.now();
    const { status, body } = await hostedVerification(key, {
      external_ref: "acct-42",
      user_info: { name: "Ada Lovelace" },
      redirect_url: "https://bank.example/kyc/done",
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: "created", external_ref: "acct-42", redirect_url: "https://bank.example/kyc/done" });
    expect(body.session_url).toMatch(/^http:\/\/verifyid\.test\/customer#session=vss_/);
    const ttl = Date.parse(body.session_expires_at) - before;
    expect(ttl).toBeGreaterThan(24 * 3600_000 - 5000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000 + 5000);
  });

  it("requires external_ref from a key", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const { status, body } = await hostedVerification(key, { user_info: { name: "X" } });
    expect(status).toBe(400);
    expect(Object.keys(body.error.details)).toEqual(["external_ref"]);
  });

  it("returns the same verification for a retried Idempotency-Key, and 422 for another body", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const body = { external_ref: "acct-7", user_info: { name: "Grace Hopper" } };
    const first = await hostedVerification(key, body, "create-acct-7");
    const again = await hostedVerification(key, body, "create-acct-7");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM hosted_sessions WHERE idempotency_key = ?")
      .bind("create-acct-7")
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
    const other = await hostedVerification(key, { ...body, external_ref: "acct-8" }, "create-acct-7");
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
    const parallel = await Promise.all([1, 2, 3].map(() => hostedVerification(key, body, "race-acct-7")));
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
  });

  it("finds verifications by external_ref with a read key", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const { key } = await apiKey(t);
    const created = await hostedVerification(key, { external_ref: "acct-99" });
    await hostedVerification(key, { external_ref: "acct-100" });
    const read = (await apiKey(t, ["verifications:read"])).key;
    const found = await callJson("/verifications?external_ref=acct-99", { headers: withKey(read) });
    expect(found.status).toBe(200);
    expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([created.body.id]);
    expect(found.body.items[0]).toMatchObject({ external_ref: "acct-99", status: "created" });
  });

  it("exchanges the link for a customer token that reaches that verification and nothing else", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const { key } = await apiKey(t);
    const created = await hostedVerification(key, { external_ref: "acct-1", redirect_url: "https://bank.example/back" });
    const other = await hostedVerification(key, { external_ref: "acct-2" });
    const { status, body } = await exchange(created.body.session_url);
    expect(status).toBe(200);
    expect(body).toMatchObject({ verification_id: created.body.id, redirect_url: "https://bank.example/back", user: { role: "customer" } });
    const token = body.token as string;
    expect((await callJson(`/verifications/${created.body.id}`, { token })).status).toBe(200);
    expect((await uploadDocument(token, created.body.id)).status).toBe(201);
    expect((await callJson(`/auth/me`, { token })).status).toBe(200);
    // Another verification, the tenant's lists and anything else: 404.
    expect((await callJson(`/verifications/${other.body.id}`, { token })).status).toBe(404);
    expect((await uploadDocument(token, other.body.id)).status).toBe(404);
    for (const path of ["/call/missed", "/status/user/x", "/dashboard/metrics", "/users", "/video-calls/history"]) {
      expect((await callJson(path, { token })).status, path).toBe(404);
    }
    // Its own list (the customer page reads it) holds that one verification only.
    const list = await callJson("/verifications", { token });
    expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([created.body.id]);
    expect((await callJson("/verifications", { token, json: {} })).status).toBe(404);
    const submitted = await callJson(`/verifications/${created.body.id}/submit`, { token, method: "POST" });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect((await callJson(`/video-calls/${submitted.body.call_id}`, { token })).status).toBe(200);
    // The waiting room's socket route is open to it (a plain GET is refused for not upgrading, not hidden).
    expect((await callJson(`/video-calls/${submitted.body.call_id}/ws`, { token })).status).not.toBe(404);
  });

  it("is single-person: a second exchange is refused until the first device signs out", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const created = await hostedVerification(key, { external_ref: "acct-3" });
    const first = await exchange(created.body.session_url);
    expect(first.status).toBe(200);
    const second = await exchange(created.body.session_url);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("session_in_use");
    expect((await call("/auth/logout", { token: first.body.token, method: "POST" })).status).toBe(204);
    const third = await exchange(created.body.session_url);
    expect(third.status).toBe(200);
    expect((await callJson(`/verifications/${created.body.id}`, { token: first.body.token })).status).toBe(401);
    expect((await callJson(`/verifications/${created.body.id}`, { token: third.body.token })).status).toBe(200);
  });

  it("refuses a forged, tampered or expired link with 401", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const created = await hostedVerification(key, { external_ref: "acct-4" });
    const token = new URL(created.body.session_url).hash.slice("#session=".length);
    const tampered = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    expect((await callJson("/auth/session", { json: { session_token: tampered } })).status).toBe(401);
    expect((await callJson("/auth/session", { json: { session_token: "vss_nothing" } })).status).toBe(401);
    await env.DB.prepare("UPDATE hosted_sessions SET expires_at = ? WHERE verification_id = ?")
      .bind(Date.now() - 1, created.body.id)
      .run();
    expect((await exchange(created.body.session_url)).status).toBe(401);
  });

  it("keeps a customer's own create as it was", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const { status, body } = await callJson("/verifications", { token: t.customers[0]!.token, json: { user_info: { name: "C" } } });
    expect(status).toBe(201);
    expect(body).toEqual({ id: expect.any(String), status: "created" });
  });
});
