// What the audit pipeline holds after a run, read from its owners (the log object's leaves,
// D1's records and anchors), and the anchor queue's pending retries delivered now instead of
// after their backoff, so that a test reaches quiescence in seconds.
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index.ts";
import { auditLog } from "../../worker/support/audit.ts";

export type AnchorRow = { tree_size: number; root_hash: string; status: string; tx_id: string | null; attempts: number };

export const anchorRows = async () =>
  (
    await env.DB.prepare(
      "SELECT tree_size, root_hash, status, tx_id, attempts FROM blockchain_transactions ORDER BY tree_size",
    ).all<AnchorRow>()
  ).results;

export const auditRows = async () =>
  (
    await env.DB.prepare("SELECT id, kind, leaf_index, leaf_hash FROM audit_records").all<{
      id: string;
      kind: string;
      leaf_index: number | null;
      leaf_hash: string;
    }>()
  ).results;

/** Every leaf of the log, by index. */
export const logLeaves = () =>
  runInDurableObject(auditLog(), (_instance, state) =>
    state.storage.sql
      .exec<{ idx: number; record_id: string; leaf_hash: string }>("SELECT idx, record_id, leaf_hash FROM leaves ORDER BY idx")
      .toArray(),
  );

/** Runs the anchor queue consumer on `anchors` in one batch, as the queue delivers a retry. */
export async function deliverAnchors(anchors: Array<Pick<AnchorRow, "tree_size" | "root_hash">>, attempts = 2) {
  const batch = createMessageBatch(
    "verifyid-anchor",
    anchors.map((a) => ({
      id: `redelivery-${a.tree_size}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts,
      body: { tree_size: a.tree_size, root_hash: a.root_hash },
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

/** The anchor queue's waiting retries (every anchor still pending), delivered now. */
export async function deliverPendingAnchors() {
  const pending = (await anchorRows()).filter((a) => a.status === "pending");
  return pending.length === 0 ? null : deliverAnchors(pending);
}
