// The audit pipeline's safety net, run by the minute cron: submissions missing their record
// get one, records still unlogged go back on the queue, submitted anchors are confirmed, and when the newest checkpoint has no anchor in
// flight (say every attempt died while the node was down) it is anchored now.
import { thronosConfigFrom } from "../services/thronos/config.ts";
import { confirmAnchor } from "./anchor-queue-consumer.ts";
import { coveredTreeSize, unconfirmedSubmissions } from "../db/anchors.ts";
import { unloggedRecordIds } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { unrecordedSubmissions } from "../db/verifications.ts";
import { recordSubmission } from "../verifications/audit.ts";
import { queueForLog } from "./producer.ts";

const UNLOGGED_GRACE_MS = 60_000;
const BATCH = 500;

export async function sweepAudit(
  env: Env,
  now = Date.now(),
): Promise<{ requeued: number; repaired: number; confirmed: number; reanchored: boolean }> {
  // A submit that queued its call but failed before recording it: record it now.
  const db = database(env.DB);
  const unrecorded = await unrecordedSubmissions(db, now - UNLOGGED_GRACE_MS);
  for (const id of unrecorded) await recordSubmission(env, db, id);

  const requeued = await queueForLog(env.AUDIT_QUEUE, await unloggedRecordIds(db, now - UNLOGGED_GRACE_MS, BATCH));

  const config = thronosConfigFrom(env);
  let confirmed = 0;
  for (const row of await unconfirmedSubmissions(db, 50)) if (await confirmAnchor(env, config, row.id, row.rootHash)) confirmed++;

  const log = env.AUDIT_LOG.getByName("main");
  const latest = await log.latestCheckpoint();
  let reanchored = false;
  if (latest && (await coveredTreeSize(db)) < latest.tree_size) reanchored = (await log.reanchor()) !== null;
  return { requeued, repaired: unrecorded.length, confirmed, reanchored };
}
