// The daily retention run (README "Data lifecycle"): in every tenant, by its settings, erase
// verifications decided longer ago than the personal-data period, erase abandoned undecided ones,
// and delete document and recording bytes past their own periods (their rows and hashes stay
// until the erasure). Bounded: at most `batchSize` verifications per tenant and stage each run;
// resumable: each stage asks again what is still due, so a cut-short run is finished by the next.
// A verification that cannot be erased yet (its records still on the way into the log) is left
// for the next run.
import { database } from "../db/client.ts";
import { abandonedBefore, decidedBefore, documentsDueBefore, recordingsDueBefore } from "../db/retention-due.ts";
import { recordingObjectsOf } from "../db/erasure.ts";
import { documentsOf } from "../db/documents.ts";
import { markPurged } from "../db/lifecycle.ts";
import { retentionOf } from "../db/retention.ts";
import { verificationById } from "../db/verifications.ts";
import { ApiError } from "../http/errors.ts";
import { errorFields, log } from "../observability/log.ts";
import type { ErasureBasis } from "../schemas/lifecycle.ts";
import { lifecycleConfig } from "./config.ts";
import { eraseVerification } from "./erase.ts";

const DAY_MS = 24 * 3600 * 1000;

/** Who the log names as the eraser when retention erases. */
export const RETENTION_ACTOR = "system:retention";

export type RetentionCounts = { erased: number; abandoned: number; documents_purged: number; recordings_purged: number; deferred: number };

/** One retention run over one tenant at `now`; logs and returns its counts. */
export async function applyRetention(env: Env, tenantId: string, now: number): Promise<RetentionCounts> {
  const db = database(env.DB);
  const config = lifecycleConfig(env);
  const settings = await retentionOf(db, tenantId, config.defaults);
  const limit = config.batchSize;
  const counts: RetentionCounts = { erased: 0, abandoned: 0, documents_purged: 0, recordings_purged: 0, deferred: 0 };

  const eraseAll = async (ids: string[], basis: ErasureBasis, reason: string) => {
    let done = 0;
    for (const id of ids) {
      const verification = await verificationById(db, id);
      if (!verification) continue;
      try {
        await eraseVerification(env, verification, { erasedBy: RETENTION_ACTOR, basis, reason }, now);
        done++;
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 409)) throw err;
        counts.deferred++;
      }
    }
    return done;
  };

  const personalCutoff = now - settings.personal_data_days * DAY_MS;
  counts.erased = await eraseAll(
    (await decidedBefore(env.DB, tenantId, personalCutoff, limit)).map((v) => v.id),
    "retention",
    `Retention: decided more than ${settings.personal_data_days} days ago.`,
  );
  const abandonedCutoff = now - settings.abandoned_days * DAY_MS;
  counts.abandoned = await eraseAll(
    (await abandonedBefore(env.DB, tenantId, abandonedCutoff, limit)).map((v) => v.id),
    "abandoned",
    `Retention: undecided and untouched for more than ${settings.abandoned_days} days.`,
  );

  for (const v of await documentsDueBefore(env.DB, tenantId, now - settings.document_days * DAY_MS, limit)) {
    const keys = (await documentsOf(db, v.id)).map((d) => d.objectKey);
    if (keys.length > 0) await env.DOCUMENTS.delete(keys);
    await markPurged(db, { verificationId: v.id, tenantId }, "documents", now);
    counts.documents_purged++;
  }
  for (const v of await recordingsDueBefore(env.DB, tenantId, now - settings.recording_days * DAY_MS, limit)) {
    const keys = await recordingObjectsOf(db, v.id);
    if (keys.length > 0) await env.DOCUMENTS.delete(keys);
    await markPurged(db, { verificationId: v.id, tenantId }, "recordings", now);
    counts.recordings_purged++;
  }
  log("info", "retention_run", { tenant_id: tenantId, ...counts });
  return counts;
}

/** The daily run over every tenant; one tenant's failure does not stop the others. */
export async function applyRetentionEverywhere(env: Env, tenantIds: string[], now: number): Promise<void> {
  for (const tenantId of tenantIds) {
    try {
      await applyRetention(env, tenantId, now);
    } catch (err) {
      log("error", "retention_failed", { tenant_id: tenantId, ...errorFields(err) });
    }
  }
}
