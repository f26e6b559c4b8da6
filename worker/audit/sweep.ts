// The audit pipeline's safety net, run by the minute cron: submissions missing their record
// get one, records still unlogged go back on the queue, submitted anchors are confirmed, and when the newest checkpoint has no anchor in
// flight (say every attempt died while the node was down) it is anchored now.
// The re-drive (`POST /api/v1/admin/redrive`, `npm run redrive`) is the same net cast at once
// over everything: after an outage an operator need not wait for the minute sweeps.
import { errorFields, log } from "../observability/log.ts";
import { thronosConfigFrom } from "../services/thronos/config.ts";
import { confirmAnchor, type AnchorMessage } from "./anchor-queue-consumer.ts";
import { abandonedAnchors, coveredTreeSize, unconfirmedSubmissions } from "../db/anchors.ts";
import { unloggedRecordIds, unloggedRecordsAfter, type RecordCursor } from "../db/audit-records.ts";
import { database, type Database } from "../db/client.ts";
import { unrecordedSubmissions } from "../db/verifications.ts";
import { recordSubmission } from "../verifications/audit.ts";
import { queueForLog } from "./producer.ts";

const UNLOGGED_GRACE_MS = 60_000;
const BATCH = 500;
// Cloudflare Queues take at most 100 messages per batch.
const SEND_BATCH = 100;

async function confirmSubmitted(env: Env, db: Database, limit: number): Promise<number> {
  const config = thronosConfigFrom(env);
  let confirmed = 0;
  for (const row of await unconfirmedSubmissions(db, limit)) if (await confirmAnchor(env, config, row.id, row.rootHash)) confirmed++;
  return confirmed;
}

export async function sweepAudit(
  env: Env,
  now = Date.now(),
): Promise<{ requeued: number; repaired: number; confirmed: number; reanchored: boolean }> {
  // A submit that queued its call but failed before recording it: record it now.
  const db = database(env.DB);
  const unrecorded = await unrecordedSubmissions(db, now - UNLOGGED_GRACE_MS);
  for (const id of unrecorded) await recordSubmission(env, db, id);

  const requeued = await queueForLog(env.AUDIT_QUEUE, await unloggedRecordIds(db, now - UNLOGGED_GRACE_MS, BATCH));
  const confirmed = await confirmSubmitted(env, db, 50);

  const auditLog = env.AUDIT_LOG.getByName("main");
  const latest = await auditLog.latestCheckpoint();
  let reanchored = false;
  if (latest && (await coveredTreeSize(db)) < latest.tree_size) reanchored = (await auditLog.reanchor()) !== null;
  return { requeued, repaired: unrecorded.length, confirmed, reanchored };
}

export type Redrive = {
  /** Records without a leaf when the re-drive ran, and how many of them the queue took. */
  records_unlogged: number;
  records_requeued: number;
  /** Submitted anchors the chain now shows. */
  anchors_confirmed: number;
  /** Abandoned anchors (dead letters, permanent refusals) found, and how many the queue took. */
  anchors_abandoned: number;
  anchors_requeued: number;
  /** The newest checkpoint's size when it had no anchor and was handed to the queue, else null. */
  reanchored_tree_size: number | null;
};

/**
 * Queues again every record not yet logged and every checkpoint whose anchor was abandoned,
 * and the newest checkpoint when nothing anchors it. Idempotent: the log ignores a record it
 * has, the anchor consumer skips a confirmed anchor and the node answers a root it has with its
 * first transaction, so running it twice (or beside the sweep and the queues) doubles nothing.
 */
export async function redriveAudit(env: Env): Promise<Redrive> {
  const db = database(env.DB);
  let records_unlogged = 0;
  let records_requeued = 0;
  let cursor: RecordCursor | null = null;
  for (;;) {
    const page = await unloggedRecordsAfter(db, cursor, BATCH);
    if (page.length === 0) break;
    records_unlogged += page.length;
    records_requeued += await queueForLog(
      env.AUDIT_QUEUE,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }

  const anchors_confirmed = await confirmSubmitted(env, db, BATCH);

  const abandoned: AnchorMessage[] = (await abandonedAnchors(db)).map((a) => ({ tree_size: a.treeSize, root_hash: a.rootHash }));
  let anchors_requeued = 0;
  for (let i = 0; i < abandoned.length; i += SEND_BATCH) {
    const batch = abandoned.slice(i, i + SEND_BATCH);
    try {
      await env.ANCHOR_QUEUE.sendBatch(batch.map((body) => ({ body })));
      anchors_requeued += batch.length;
    } catch (err) {
      // Reported in the counts; the anchors stay failed, so the next re-drive finds them.
      log("error", "anchor_requeue_refused", { anchors: batch.length, ...errorFields(err) });
    }
  }

  const auditLog = env.AUDIT_LOG.getByName("main");
  const latest = await auditLog.latestCheckpoint();
  let reanchored_tree_size: number | null = null;
  const requeuedLatest = abandoned.some((a) => a.tree_size === latest?.tree_size);
  if (latest && !requeuedLatest && (await coveredTreeSize(db)) < latest.tree_size) {
    reanchored_tree_size = (await auditLog.reanchor())?.tree_size ?? null;
  }
  return {
    records_unlogged,
    records_requeued,
    anchors_confirmed,
    anchors_abandoned: abandoned.length,
    anchors_requeued,
    reanchored_tree_size,
  };
}
