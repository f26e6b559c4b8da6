// Helpers for the audit pipeline's reliability tests (health, re-drive): records put straight
// into D1 as if their queue messages had been lost or dead-lettered, dead letters delivered
// through the Worker's own queue handler, and counts read from the log itself.
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index.ts";
import { callJson, type Json } from "../support/api.ts";
import { auditLog } from "../support/audit.ts";

/** `count` audit records in D1 with no leaf and no message on the audit queue, created at `createdAt`. */
export async function unloggedRecords(prefix: string, count: number, createdAt = Date.now()): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}:${String(i).padStart(4, "0")}`);
  for (let i = 0; i < ids.length; i += 50) {
    await env.DB.batch(
      ids
        .slice(i, i + 50)
        .map((id) =>
          env.DB.prepare(
            "INSERT INTO audit_records (id, tenant_id, kind, subject_id, data, leaf_hash, created_at) VALUES (?, 'reliability', 'document', ?, ?, ?, ?)",
          ).bind(id, id, btoa(`{"id":"${id}"}`), "0".repeat(64), createdAt),
        ),
    );
  }
  return ids;
}

/** Delivers `bodies` to a dead-letter queue through the Worker's queue handler, as the queue
 * does once a message used up its retries; returns the handler's acks and retries. */
export async function deliverDeadLetters(queue: "verifyid-audit-dlq" | "verifyid-anchor-dlq", bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `dead-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 11, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

export async function redrive(token: string): Promise<{ status: number; body: Json }> {
  return callJson("/admin/redrive", { method: "POST", token });
}

export async function health(): Promise<Json> {
  const { status, body } = await callJson("/health");
  if (status !== 200) throw new Error(`health answered ${status}`);
  return body;
}

/** How many leaves the log holds for each record whose id starts with `prefix`. */
export async function leavesPerRecord(prefix: string): Promise<Map<string, number>> {
  const rows = await runInDurableObject(auditLog(), (_instance, state) =>
    state.storage.sql
      .exec<{ record_id: string; n: number }>(
        "SELECT record_id, COUNT(*) AS n FROM leaves WHERE record_id LIKE ? GROUP BY record_id",
        `${prefix}%`,
      )
      .toArray(),
  );
  return new Map(rows.map((r) => [r.record_id, r.n]));
}

/** Records whose id starts with `prefix` that still have no leaf index in D1. */
export async function stillUnlogged(prefix: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE id LIKE ? AND leaf_index IS NULL")
    .bind(`${prefix}%`)
    .first<{ n: number }>();
  return row!.n;
}
