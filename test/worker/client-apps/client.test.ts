// The typed client package (`verifyid/client`): its generated types match the OpenAPI document
// the worker serves (a stale client fails here, without the generator), and it talks to the API.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import schemaSource from "../../../client/schema.d.ts?raw";
import { createVerifyIdClient } from "../../../client/index.js";
import { call } from "../support/api.ts";
import { newTenant } from "../support/tenant.ts";
import { apiKey } from "./support.ts";

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("verifyid/client", () => {
  it("was generated from the current OpenAPI document (run `npm run client:types` when this fails)", async () => {
    const spec = await (await call("/openapi.json")).text();
    const header = /^\/\/ openapi-sha256: ([0-9a-f]{64})$/m.exec(schemaSource);
    expect(header?.[1]).toBe(await sha256Hex(spec));
  });

  it("declares the key and session schemes and every client-app route", async () => {
    const spec = await (await call("/openapi.json")).json<{ paths: Record<string, object>; components: { securitySchemes: object } }>();
    expect(spec.components.securitySchemes).toMatchObject({
      bearer: { type: "http" },
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
    });
    for (const path of [
      "/api-keys",
      "/api-keys/{id}",
      "/auth/session",
      "/webhooks",
      "/webhooks/{id}",
      "/webhooks/{id}/test",
      "/webhooks/{id}/deliveries",
      "/webhooks/{id}/deliveries/{delivery_id}/retry",
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });

  it("creates a hosted verification with a key and reads it back, typed", async () => {
    const { key } = await apiKey(await newTenant({ agents: 0, customers: 0 }));
    const client = createVerifyIdClient({ baseUrl: "http://verifyid.test", apiKey: key, fetch: (req) => exports.default.fetch(req) });
    const created = await client.POST("/verifications", {
      params: { header: { "idempotency-key": "client-test-1" } },
      body: { external_ref: "acct-client", redirect_url: "https://bank.example/done" },
    });
    expect(created.response.status).toBe(201);
    const id = (created.data as { id: string }).id;
    const read = await client.GET("/verifications/{id}", { params: { path: { id } } });
    expect(read.data?.status).toBe("created");
    const found = await client.GET("/verifications", { params: { query: { external_ref: "acct-client" } } });
    expect(found.data?.items.map((v) => v.id)).toEqual([id]);
  });
});
