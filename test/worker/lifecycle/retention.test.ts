// Retention (API.md "Lifecycle"): per-tenant settings and the daily cron, stepped through time by
// handing the cron its scheduled time (no sleeps, no fake clocks).
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../worker/index.ts";
import { applyRetention } from "../../../worker/lifecycle/retention.ts";
import { DAILY_RESET_CRON } from "../../../worker/scheduled.ts";
import { call, callJson } from "../support/api.ts";
import { logPendingRecords, receiptByHash } from "../support/audit.ts";
import { uploadDocument } from "../support/factories.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";
import { decidedVerification, r2Bytes } from "./support.ts";

const DAY = 24 * 3600 * 1000;

/** The midnight cron, as Cloudflare would run it at `scheduledTime`. */
async function runDailyCron(scheduledTime: number) {
  const controller = createScheduledController({ scheduledTime, cron: DAILY_RESET_CRON });
  const ctx = createExecutionContext();
  await worker.scheduled!(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

const statusOf = async (t: TestTenant, id: string) => (await callJson(`/verifications/${id}`, { token: t.manager.token })).body.status;

async function objectKeysOf(verificationId: string) {
  const { results } = await env.DB.prepare("SELECT object_key FROM documents WHERE verification_id = ?")
    .bind(verificationId)
    .all<{ object_key: string }>();
  return results.map((r) => r.object_key);
}

async function abandonedVerification(t: TestTenant) {
  const customer = t.customers[0]!;
  const { body } = await callJson("/verifications", { token: customer.token, json: { user_info: { name: "Left Halfway" } } });
  expect((await uploadDocument(customer.token, body.id)).status).toBe(201);
  return body.id as string;
}

describe("retention settings", () => {
  it("start at the documented defaults and are a manager's to change", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    expect((await call("/settings/retention", { token: t.customers[0]!.token })).status).toBe(403);
    expect((await call("/settings/retention", { token: t.agents[0]!.token })).status).toBe(403);
    const { status, body } = await callJson("/settings/retention", { token: t.manager.token });
    expect(status).toBe(200);
    expect(body).toEqual({ document_days: 1825, recording_days: 1825, personal_data_days: 1825, abandoned_days: 30 });

    const put = (json: unknown) => callJson("/settings/retention", { token: t.manager.token, method: "PUT", json });
    expect((await put({ document_days: 0 })).status).toBe(400);
    expect(await put({ document_days: 10, abandoned_days: 3 })).toEqual({
      status: 200,
      body: { document_days: 10, recording_days: 1825, personal_data_days: 1825, abandoned_days: 3 },
    });
    expect((await callJson("/settings/retention", { token: t.manager.token })).body).toMatchObject({
      document_days: 10,
      abandoned_days: 3,
    });
    // Another tenant keeps its defaults.
    const other = await newTenant({ agents: 0, customers: 0 });
    expect((await callJson("/settings/retention", { token: other.manager.token })).body.document_days).toBe(1825);
  });
});

describe("the daily retention run", () => {
  it("purges document bytes, then erases decided and abandoned verifications as each period passes, never one on hold", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const put = await callJson("/settings/retention", {
      token: t.manager.token,
      method: "PUT",
      json: { document_days: 10, recording_days: 20, personal_data_days: 40, abandoned_days: 3 },
    });
    expect(put.status).toBe(200);
    const decided = await decidedVerification(t);
    const held = await decidedVerification(t);
    await callJson(`/verifications/${held.id}/legal-hold`, { token: t.manager.token, json: { reason: "Litigation" } });
    const abandoned = await abandonedVerification(t);
    await logPendingRecords();
    const now = Date.now();
    const decidedKeys = await objectKeysOf(decided.id);

    await runDailyCron(now + 2 * DAY);
    expect(await statusOf(t, abandoned)).toBe("created");
    for (const key of decidedKeys) expect(await r2Bytes(key)).not.toBeNull();

    await runDailyCron(now + 4 * DAY);
    expect(await statusOf(t, abandoned)).toBe("erased");
    expect(await statusOf(t, decided.id)).toBe("approved");

    await runDailyCron(now + 11 * DAY);
    // The bytes go; the document rows, hashes and receipts stay until the record is erased.
    for (const key of decidedKeys) expect(await r2Bytes(key)).toBeNull();
    expect(await objectKeysOf(decided.id)).toEqual(decidedKeys);
    expect((await receiptByHash(decided.documents[0]!.document_hash)).status).toBe(200);
    expect(await statusOf(t, decided.id)).toBe("approved");
    // Held: nothing happens to it.
    for (const key of await objectKeysOf(held.id)) expect(await r2Bytes(key)).not.toBeNull();

    await runDailyCron(now + 41 * DAY);
    expect(await statusOf(t, decided.id)).toBe("erased");
    expect((await receiptByHash(decided.documents[0]!.document_hash)).status).toBe(404);
    const erasure = await env.DB.prepare("SELECT erased_by, erasure_basis FROM verification_lifecycle WHERE verification_id = ?")
      .bind(decided.id)
      .first();
    expect(erasure).toEqual({ erased_by: "system:retention", erasure_basis: "retention" });
    expect(await statusOf(t, held.id)).toBe("approved");
    expect((await call(`/documents/${held.documents[0]!.document_id}/content`, { token: held.customer.token })).status).toBe(200);
  });

  it("works in bounded batches and resumes where the last run stopped, counting what it did", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await callJson("/settings/retention", { token: t.manager.token, method: "PUT", json: { abandoned_days: 1 } });
    const ids = [await abandonedVerification(t), await abandonedVerification(t), await abandonedVerification(t)];
    await logPendingRecords();
    const small = { ...env, RETENTION_BATCH_SIZE: "2" } as Env;
    const later = Date.now() + 2 * DAY;
    expect(await applyRetention(small, t.id, later)).toEqual({
      erased: 0,
      abandoned: 2,
      documents_purged: 0,
      recordings_purged: 0,
      deferred: 0,
    });
    expect(await applyRetention(small, t.id, later)).toEqual({
      erased: 0,
      abandoned: 1,
      documents_purged: 0,
      recordings_purged: 0,
      deferred: 0,
    });
    expect(await applyRetention(small, t.id, later)).toEqual({
      erased: 0,
      abandoned: 0,
      documents_purged: 0,
      recordings_purged: 0,
      deferred: 0,
    });
    for (const id of ids) expect(await statusOf(t, id)).toBe("erased");
  });

  it("leaves a verification whose records are not yet logged for the next run", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await callJson("/settings/retention", { token: t.manager.token, method: "PUT", json: { abandoned_days: 1 } });
    const id = await abandonedVerification(t);
    // As if the audit queue had not delivered yet (whether or not it already has).
    await env.DB.prepare(
      "UPDATE audit_records SET leaf_index = NULL WHERE subject_id IN (SELECT id FROM documents WHERE verification_id = ?)",
    )
      .bind(id)
      .run();
    const later = Date.now() + 2 * DAY;
    expect(await applyRetention(env, t.id, later)).toMatchObject({ abandoned: 0, deferred: 1 });
    await logPendingRecords();
    expect(await applyRetention(env, t.id, later)).toMatchObject({ abandoned: 1, deferred: 0 });
    expect(await statusOf(t, id)).toBe("erased");
  });
});
