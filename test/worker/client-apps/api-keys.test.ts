// API keys: created by managers, shown once, stored as a hash, scoped, tenant-bound, revocable.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson } from "../support/api.ts";
import { newTenant } from "../support/tenant.ts";
import { apiKey, hostedVerification, withKey } from "./support.ts";

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("API keys", () => {
  it("shows the vid_ key once and stores only its hash; the list has no secret but last_used_at", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const created = await apiKey(t, ["verifications:read"]);
    expect(created.key).toMatch(/^vid_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "bank backend", scopes: ["verifications:read"], last_used_at: null });
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(created.id).first<Record<string, string>>();
    expect(row!.key_hash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);

    expect((await callJson("/verifications", { headers: withKey(created.key) })).status).toBe(200);
    const list = await callJson("/api-keys", { token: t.manager.token });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.id, name: "bank backend", last_used_at: expect.any(String) })]);
  });

  it("is for managers only", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    for (const token of [t.agents[0]!.token, t.customers[0]!.token, t.it.token]) {
      expect((await callJson("/api-keys", { token, json: { name: "x", scopes: ["verifications:read"] } })).status).toBe(403);
    }
  });

  it("authenticates as a bearer token or X-API-Key, in its tenant only", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const other = await newTenant({ agents: 0, customers: 1 });
    const { key } = await apiKey(t);
    const mine = await hostedVerification(key);
    expect(mine.status).toBe(201);
    expect((await callJson(`/verifications/${mine.body.id}`, { token: key })).status).toBe(200);
    expect((await callJson(`/verifications/${mine.body.id}`, { headers: withKey(key) })).status).toBe(200);
    const theirs = await hostedVerification((await apiKey(other)).key);
    expect((await callJson(`/verifications/${theirs.body.id}`, { headers: withKey(key) })).status).toBe(404);
  });

  it("has only its scopes (403 otherwise) and never reaches staff routes", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const { key } = await apiKey(t, ["verifications:read"]);
    const denied = await hostedVerification(key);
    expect(denied.status).toBe(403);
    expect(denied.body.error.details).toEqual({ scope: "verifications:write" });
    expect((await callJson("/webhooks", { headers: withKey(key) })).status).toBe(403);
    const full = (await apiKey(t)).key;
    for (const path of ["/video-calls/pending", "/video-calls/agents/availability", "/dashboard/metrics", "/users", "/api-keys"]) {
      expect((await callJson(path, { headers: withKey(full) })).status, path).toBe(403);
    }
    expect((await callJson("/video-calls/x/complete", { headers: withKey(full), json: {} })).status).toBe(403);
  });

  it("fails at once with 401 when revoked", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const created = await apiKey(t);
    expect((await callJson("/verifications", { headers: withKey(created.key) })).status).toBe(200);
    expect((await call(`/api-keys/${created.id}`, { token: t.manager.token, method: "DELETE" })).status).toBe(204);
    const after = await callJson("/verifications", { headers: withKey(created.key) });
    expect(after.status).toBe(401);
    expect((await callJson("/verifications", { token: created.key })).status).toBe(401);
    expect((await call(`/api-keys/${created.id}`, { token: t.manager.token, method: "DELETE" })).status).toBe(404);
    expect((await callJson("/api-keys", { token: t.manager.token })).body.items).toEqual([]);
  });

  it("answers 401 to an unknown key", async () => {
    expect((await callJson("/verifications", { headers: withKey("vid_nope") })).status).toBe(401);
  });
});
