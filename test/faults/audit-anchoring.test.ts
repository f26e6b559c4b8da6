// Anchoring while the Thronos master fails, and the AI core's fallback, through the real
// routes, queues' consumer code and the local node over HTTP.
import { createMessageBatch, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyReceipt } from "../../merkle/index.js";
import { consumeAnchorDeadLetters } from "../../worker/audit/anchor-queue-consumer.ts";
import { sweepAudit } from "../../worker/audit/sweep.ts";
import { callJson } from "../worker/support/api.ts";
import { anchorLatest, auditLog, logPendingRecords, publicKey, receiptByHash } from "../worker/support/audit.ts";
import { uploadDocument } from "../worker/support/factories.ts";
import { pngBytes } from "../worker/support/files.ts";
import { eventually } from "../worker/support/queue.ts";
import { newTenant, type TestUser } from "../worker/support/tenant.ts";
import { injectFault, nodeState, resetNodes } from "./support/control.ts";

beforeEach(async () => {
  await resetNodes();
});

async function uploads(customer: TestUser, count: number) {
  const created = await callJson("/verifications", { token: customer.token, json: {} });
  const docs = [];
  for (let i = 0; i < count; i++) docs.push((await uploadDocument(customer.token, created.body.id, pngBytes(3000 + i))).body);
  return { verificationId: created.body.id as string, docs };
}

async function anchorRow(treeSize: number) {
  return env.DB.prepare("SELECT status, attempts, error, tx_id FROM blockchain_transactions WHERE tree_size = ?").bind(treeSize).first<{
    status: string;
    attempts: number;
    error: string | null;
    tx_id: string | null;
  }>();
}

describe("anchoring through a master outage", () => {
  it("anchors every record submitted while the master refused connections once it is back, each once in the log", async () => {
    const t = await newTenant({ customers: 1 });
    await injectFault({ node: "master", mode: "refuse" });
    const { docs } = await uploads(t.customers[0]!, 5);
    await logPendingRecords();

    const down = await anchorLatest();
    expect(down.result.retryMessages).toHaveLength(1);
    expect(await anchorRow(down.checkpoint.tree_size)).toMatchObject({ status: "pending", tx_id: null });

    await injectFault({ node: "master", mode: "ok" });
    const up = await anchorLatest(2);
    expect(up.result.explicitAcks).toHaveLength(1);
    expect(await anchorRow(up.checkpoint.tree_size)).toMatchObject({ status: "confirmed" });

    const key = await publicKey();
    for (const doc of docs) {
      const { status, body } = await receiptByHash(doc.document_hash);
      expect(status).toBe(200);
      expect(body.anchor.status).toBe("confirmed");
      expect(body.anchor.anchored_tree_size).toBeGreaterThan(body.leaf.index);
      expect((await verifyReceipt(body, key)).ok).toBe(true);
    }
    const repeats = await runInDurableObject(auditLog(), (_instance, state) =>
      state.storage.sql.exec("SELECT record_id FROM leaves GROUP BY record_id HAVING COUNT(*) > 1").toArray(),
    );
    expect(repeats).toEqual([]);
    const roots = (await nodeState()).chain.map((r) => r.hash);
    expect(new Set(roots).size).toBe(roots.length);
  });

  it("counts a failed attempt with its error, and does not retry a permanent 400", async () => {
    await injectFault({ node: "master", mode: "error", status: 503 });
    const t = await newTenant({ customers: 1 });
    await uploads(t.customers[0]!, 1);
    await logPendingRecords();
    const failed = await anchorLatest();
    expect(failed.result.retryMessages).toHaveLength(1);
    const row = await anchorRow(failed.checkpoint.tree_size);
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.error).toBeTruthy();

    await injectFault({ node: "master", mode: "error", status: 400 });
    const permanent = await anchorLatest(3);
    expect(permanent.result.retryMessages).toHaveLength(0);
    expect(await anchorRow(permanent.checkpoint.tree_size)).toMatchObject({ status: "failed" });
  });

  it("anchors the newest checkpoint again after the queue gave up on an anchor", async () => {
    await injectFault({ node: "master", mode: "error", status: 503 });
    const t = await newTenant({ customers: 1 });
    const { docs } = await uploads(t.customers[0]!, 2);
    await logPendingRecords();
    const { checkpoint } = await anchorLatest();
    const deadLetters = createMessageBatch("verifyid-anchor-dlq", [
      { id: "dead-1", timestamp: new Date(), attempts: 21, body: { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash } },
    ]);
    await consumeAnchorDeadLetters(deadLetters, env);
    expect(await anchorRow(checkpoint.tree_size)).toMatchObject({ status: "failed" });

    await injectFault({ node: "master", mode: "ok" });
    expect((await sweepAudit(env)).reanchored).toBe(true);
    // The sweep hands the anchor to the real queue; its consumer runs on its own schedule.
    await eventually(async () => {
      const { body } = await receiptByHash(docs[1]!.document_hash);
      expect(body.anchor?.status).toBe("confirmed");
    }, 15_000);
  });
});

describe("AI core fallback at submit", () => {
  async function submitWith(fault: Parameters<typeof injectFault>[0] | null) {
    if (fault) await injectFault(fault);
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", {
      token: customer.token,
      json: { user_info: { name: "Ada [local-ai-score=91]", email: "ada@example.com", date_of_birth: "1990-02-01" } },
    });
    await uploadDocument(customer.token, created.body.id, pngBytes(64 * 1024), "passport");
    await uploadDocument(customer.token, created.body.id, pngBytes(64 * 1024 + 1), "selfie");
    const submitted = await callJson(`/verifications/${created.body.id}/submit`, { token: customer.token, method: "POST" });
    // Customers never see risk internals; staff read them from the risk route.
    const risk = await callJson(`/blockchain/ai/risk-score/${created.body.id}`, { token: t.manager.token });
    return { status: submitted.status, body: { ...submitted.body, ...risk.body } };
  }

  it("uses the AI core's score when it answers", async () => {
    const { status, body } = await submitWith(null);
    expect(status).toBe(200);
    expect(body).toMatchObject({ risk_source: "ai_core", fraud_score: 0.91, priority: "high", status: "pending_video_call" });
  });

  it.each([
    ["refusing connections", { node: "ai_core" as const, mode: "refuse" as const }],
    ["answering 503", { node: "ai_core" as const, mode: "error" as const, status: 503 }],
    ["answering 'AI unavailable'", { node: "ai_core" as const, mode: "ai_unavailable" as const }],
    ["too slow", { node: "ai_core" as const, mode: "slow" as const, delay_ms: 4000 }],
  ])("falls back to the rules and says so when the AI core is %s", async (_what, fault) => {
    const { status, body } = await submitWith(fault);
    expect(status).toBe(200);
    expect(body.risk_source).toBe("rule_based");
    expect(body.fraud_score).toBeGreaterThanOrEqual(0);
    expect(body.fraud_score).toBeLessThanOrEqual(1);
    expect(JSON.stringify(body)).not.toMatch(/AI unavailable/);
  });
});

describe("repairs", () => {
  it("records a submission whose audit record was lost, on the next sweep", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", { token: customer.token, json: {} });
    await uploadDocument(customer.token, created.body.id);
    expect((await callJson(`/verifications/${created.body.id}/submit`, { token: customer.token, method: "POST" })).status).toBe(200);
    const recordId = `verification:${created.body.id}:submitted`;
    // As if the submit had failed between queueing the call and recording it.
    await env.DB.prepare("DELETE FROM audit_records WHERE id = ?").bind(recordId).run();
    await env.DB.prepare("UPDATE verifications SET submitted_at = submitted_at - 120000 WHERE id = ?").bind(created.body.id).run();
    expect((await sweepAudit(env)).repaired).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("SELECT kind FROM audit_records WHERE id = ?").bind(recordId).first()).toEqual({
      kind: "verification_submitted",
    });
  });
});

describe("sweep", () => {
  it("queues a backlog of more than a queue batch of unlogged records again", async () => {
    const t = await newTenant({ customers: 1 });
    const old = Date.now() - 10 * 60_000;
    const ids = Array.from({ length: 250 }, (_, i) => `backlog:${t.id}:${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await env.DB.batch(
        ids
          .slice(i, i + 50)
          .map((id) =>
            env.DB.prepare(
              "INSERT INTO audit_records (id, tenant_id, kind, subject_id, data, leaf_hash, created_at) VALUES (?, ?, 'document', ?, ?, ?, ?)",
            ).bind(id, t.id, id, btoa(`{"id":"${id}"}`), "0".repeat(64), old),
          ),
      );
    }
    const { requeued } = await sweepAudit(env);
    expect(requeued).toBeGreaterThanOrEqual(250);
    // The queue delivers them to the log consumer, which logs each once.
    await eventually(async () => {
      const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE id LIKE ? AND leaf_index IS NULL")
        .bind(`backlog:${t.id}:%`)
        .first<{ n: number }>();
      expect(left!.n).toBe(0);
    }, 20_000);
  });
});
