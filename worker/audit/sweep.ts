// The audit pipeline's safety net, run by the minute cron: submissions missing their record
// get one, records still unlogged go back on the queue, submitted anchors are confirmed, and when the newest checkpoint has no anchor in
// flight (say every attempt died while the node was down) it is anchored now.
import { thronosConfigFrom } from "../services/thronos/config.ts";
import { confirmAnchor } from "./anchor-queue-consumer.ts";
import { database } from "../db/client.ts";
import { recordSubmission, unrecordedSubmissions } from "../verifications/audit.ts";
import { queueForLog } from "./producer.ts";

const UNLOGGED_GRACE_MS = 60_000;
const BATCH = 500;

export async function sweepAudit(
  env: Env,
  now = Date.now(),
): Promise<{ requeued: number; repaired: number; confirmed: number; reanchored: boolean }> {
  // A submit that queued its call but failed before recording it: record it now.
  const db = database(env.DB);
  const unrecorded = await unrecordedSubmissions(env.DB, now - UNLOGGED_GRACE_MS);
  for (const id of unrecorded) await recordSubmission(env, db, id);

  const unlogged = await env.DB.prepare(
    "SELECT id FROM audit_records WHERE leaf_index IS NULL AND created_at < ? ORDER BY created_at LIMIT ?",
  )
    .bind(now - UNLOGGED_GRACE_MS, BATCH)
    .all<{ id: string }>();
  const requeued = await queueForLog(
    env.AUDIT_QUEUE,
    unlogged.results.map((r) => r.id),
  );

  const config = thronosConfigFrom(env);
  const pending = await env.DB.prepare(
    "SELECT id, root_hash FROM blockchain_transactions WHERE status = 'pending' AND tx_id IS NOT NULL LIMIT 50",
  ).all<{
    id: string;
    root_hash: string;
  }>();
  let confirmed = 0;
  for (const row of pending.results) if (await confirmAnchor(env, config, row.id, row.root_hash)) confirmed++;

  const log = env.AUDIT_LOG.getByName("main");
  const latest = await log.latestCheckpoint();
  let reanchored = false;
  if (latest) {
    const covered = await env.DB.prepare(
      "SELECT MAX(tree_size) AS size FROM blockchain_transactions WHERE status IN ('pending', 'confirmed')",
    ).first<{ size: number | null }>();
    if ((covered?.size ?? 0) < latest.tree_size) reanchored = (await log.reanchor()) !== null;
  }
  return { requeued, repaired: unrecorded.length, confirmed, reanchored };
}
