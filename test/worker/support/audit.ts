// Driving the audit pipeline step by step: the same consumer code the queues run, invoked
// directly so a test knows when each step is done. (The real queues deliver too; every step
// is idempotent, so a second delivery changes nothing.)
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index.ts";
import { appendRecords } from "../../../worker/audit/audit-queue-consumer.ts";
import { callJson, type Json } from "./api.ts";

export const auditLog = () => env.AUDIT_LOG.getByName("main");

/** Appends every record still waiting in D1 to the log, as the audit queue consumer does. */
export async function logPendingRecords(): Promise<number> {
  const rows = await env.DB.prepare("SELECT id FROM audit_records WHERE leaf_index IS NULL ORDER BY created_at, id").all<{ id: string }>();
  let added = 0;
  for (let i = 0; i < rows.results.length; i += 100)
    added += await appendRecords(
      env,
      rows.results.slice(i, i + 100).map((r) => r.id),
    );
  return added;
}

/** Runs the anchor queue consumer on the latest checkpoint; returns the queue's verdict. */
export async function anchorLatest(attempts = 1) {
  const checkpoint = await auditLog().latestCheckpoint();
  if (!checkpoint) throw new Error("the log is empty");
  const batch = createMessageBatch("verifyid-anchor", [
    {
      id: `anchor-${checkpoint.tree_size}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts,
      body: { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { checkpoint, result: await getQueueResult(batch, ctx) };
}

export async function publicKey(): Promise<string> {
  const { body } = await callJson("/audit/public-key");
  return body.public_key;
}

export async function receiptByHash(documentHash: string): Promise<{ status: number; body: Json }> {
  return callJson(`/audit/receipts?document_hash=${documentHash}`);
}
