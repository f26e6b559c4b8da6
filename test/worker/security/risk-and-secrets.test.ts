// Customers never see risk internals; production refuses the repository's local secrets.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../worker/index.ts";
import { callJson, login, ORIGIN } from "../support/api.ts";
import { createVerification, uploadDocument } from "../support/factories.ts";

describe("risk internals", () => {
  it("are staff-only: customers get 403 on the risk route and no score or flags anywhere", async () => {
    const { id, token } = await createVerification("customer4@demo.test");
    await uploadDocument(token, id);
    const risk = await callJson(`/blockchain/ai/risk-score/${id}`, { token });
    expect(risk.status).toBe(403);

    const submitted = await callJson(`/verifications/${id}/submit`, { token, method: "POST" });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: "pending_video_call", call_id: expect.any(String) });
    for (const field of ["fraud_score", "risk_level", "flags", "risk_source"]) expect(submitted.body).not.toHaveProperty(field);

    const own = await callJson(`/verifications/${id}`, { token });
    expect(own.body.status).toBe("pending_video_call");
    expect(own.body.fraud_analysis).toBeNull();
    expect(own.body.call.fraud_score).toBeNull();
    const call = await callJson(`/video-calls/${submitted.body.call_id}`, { token });
    expect(call.body.fraud_score).toBeNull();
    const list = await callJson("/verifications", { token });
    expect(list.body.items.every((v: { fraud_analysis: unknown }) => v.fraud_analysis === null)).toBe(true);
    expect(JSON.stringify([own.body, call.body, list.body])).not.toMatch(/risk_level|"flags"/);

    // Staff of the tenant see all of it.
    const agent = await login("agent1@demo.test");
    const staffRisk = await callJson(`/blockchain/ai/risk-score/${id}`, { token: agent });
    expect(staffRisk.status).toBe(200);
    expect(staffRisk.body).toMatchObject({ fraud_score: expect.any(Number), flags: expect.any(Array) });
    expect((await callJson(`/verifications/${id}`, { token: agent })).body.fraud_analysis).toMatchObject({
      fraud_score: expect.any(Number),
    });
  });
});

describe("production secrets", () => {
  async function fetchWith(overrides: Record<string, string>, path = "/api/v1/health") {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, ...overrides } as Env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("answers 503 with a clear log line when production runs on the published local secrets", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await fetchWith({ ENVIRONMENT: "production", JWT_SECRET: "dev-only-jwt-secret-change-me-0123456789abcdef" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("server_misconfigured");
    expect(log.mock.calls.flat().join(" ")).toMatch(/JWT_SECRET is a published local value.*wrangler secret put/);
    log.mockRestore();
  });

  it("refuses a short key and the published document key too, and serves with real secrets", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const real = {
      ENVIRONMENT: "production",
      JWT_SECRET: `prod-${crypto.randomUUID()}-${crypto.randomUUID()}`,
      DOCUMENT_MASTER_KEY: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))),
    };
    expect((await fetchWith({ ...real, JWT_SECRET: "too-short" })).status).toBe(503);
    expect((await fetchWith({ ...real, DOCUMENT_MASTER_KEY: "ZGV2LW9ubHktZG9jdW1lbnQta2V5LTMyLWJ5dGVzISE=" })).status).toBe(503);
    quiet.mockRestore();
    expect((await fetchWith(real)).status).toBe(200);
  });
});
