// Erasure of one verification (API.md "Lifecycle", README "Data lifecycle"): crypto-shredding,
// then the R2 bytes, then the audit leaves' stored inputs, then D1 in one batch with the
// erasure's own audit record. Every step is idempotent and the verification turns `erased` only
// in the last one, so an erasure cut short is simply run again; erasing an erased verification
// changes nothing. Refused (409) under legal hold, while the verification is in the queue or in a
// call, and while a record about it still waits for the log (its leaf must exist to be redacted).
import { auditRow, queueForLog } from "../audit/producer.ts";
import { erasureRecord, newSalt, newTextKey, recordIds } from "../audit/records.ts";
import { ERASED_STATUS } from "../core/verification-status.ts";
import { auditRecord, insertAuditRow, recordsAboutVerification } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { destroyDataKeysOf } from "../db/data-keys.ts";
import { blankPersonalData, storedObjectsOf } from "../db/erasure.ts";
import { lifecycleOf, recordErasure, type LifecycleRow } from "../db/lifecycle.ts";
import type { VerificationRow } from "../db/verifications.ts";
import { fromBase64, hmacSha256Hex, toBase64 } from "../encoding.ts";
import { conflict } from "../http/errors.ts";
import { iso } from "../ids.ts";
import type { ErasureBasis } from "../schemas/lifecycle.ts";

export type ErasureView = {
  verification_id: string;
  status: "erased";
  erased_at: string;
  erased_by: string;
  basis: ErasureBasis;
  audit_record_id: string;
  redacted_leaves: number[];
};

/** Statuses in which the QueueCoordinator still owns the verification's call. */
const LIVE_STATUSES: ReadonlySet<string> = new Set(["pending_video_call", "in_video_call"]);

/** Why this verification may not be erased now, or null. */
export function erasureRefusal(verification: Pick<VerificationRow, "status">, lifecycle: LifecycleRow | undefined, unlogged: number) {
  if (lifecycle?.legalHoldAt != null) {
    return conflict("legal_hold", "The verification is under legal hold; release the hold first.", { reason: lifecycle.legalHoldReason });
  }
  if (LIVE_STATUSES.has(verification.status)) {
    return conflict("verification_in_progress", "The verification is queued or in a call; cancel or complete it first.", {
      status: verification.status,
    });
  }
  if (unlogged > 0) {
    return conflict("audit_pending", "Records about this verification are still on their way into the audit log; try again shortly.", {
      unlogged_records: unlogged,
    });
  }
  return null;
}

function erasureView(lifecycle: LifecycleRow, redacted: number[]): ErasureView {
  return {
    verification_id: lifecycle.verificationId,
    status: "erased",
    erased_at: iso(lifecycle.erasedAt)!,
    erased_by: lifecycle.erasedBy ?? "",
    basis: (lifecycle.erasureBasis ?? "request") as ErasureBasis,
    audit_record_id: lifecycle.erasureRecordId ?? recordIds.erasure(lifecycle.verificationId),
    redacted_leaves: redacted,
  };
}

/** The leaves an erasure redacted, as its own audit record states them. */
async function redactedLeavesOf(db: ReturnType<typeof database>, verificationId: string): Promise<number[]> {
  const row = await auditRecord(db, recordIds.erasure(verificationId));
  if (!row) return [];
  const data = JSON.parse(new TextDecoder().decode(fromBase64(row.data))) as { redacted_leaves?: number[] };
  return data.redacted_leaves ?? [];
}

/** Erases `verification` (already read through the caller's tenant); returns the erasure. */
export async function eraseVerification(
  env: Env,
  verification: VerificationRow,
  by: { erasedBy: string; basis: ErasureBasis; reason: string },
  now = Date.now(),
): Promise<ErasureView> {
  const db = database(env.DB);
  const lifecycle = await lifecycleOf(db, verification.id);
  if (verification.status === ERASED_STATUS && lifecycle?.erasedAt != null) {
    return erasureView(lifecycle, await redactedLeavesOf(db, verification.id));
  }
  const records = (await recordsAboutVerification(db, verification.id)).filter((r) => r.kind !== "verification_erased");
  const refusal = erasureRefusal(verification, lifecycle, records.filter((r) => r.leafIndex === null).length);
  if (refusal) throw refusal;

  // 1. Crypto-shredding: without its data keys no envelope of the verification opens again.
  await destroyDataKeysOf(db, verification.id, now);
  // 2. The ciphertext itself.
  const objects = await storedObjectsOf(db, verification.id);
  for (let i = 0; i < objects.length; i += 1000) await env.DOCUMENTS.delete(objects.slice(i, i + 1000));
  // 3. The leaves' stored inputs and salts: their hashes no longer link to any document hash.
  const redacted = await env.AUDIT_LOG.getByName("main").redact(records.map((r) => r.id));

  // 4. D1, with the erasure's own record, in one transaction.
  const reasonKey = newTextKey();
  const record = erasureRecord({
    tenantId: verification.tenantId,
    verificationId: verification.id,
    erasedBy: by.erasedBy,
    basis: by.basis,
    reasonHmac: await hmacSha256Hex(reasonKey, by.reason),
    redactedLeaves: redacted,
    erasedAt: new Date(now).toISOString(),
    salt: newSalt(),
  });
  await env.DB.batch([
    ...blankPersonalData(env.DB, verification.id, now),
    insertAuditRow(env.DB, auditRow(record, now)),
    recordErasure(env.DB, db, {
      verificationId: verification.id,
      tenantId: verification.tenantId,
      erasedAt: now,
      erasedBy: by.erasedBy,
      basis: by.basis,
      reason: by.reason,
      reasonKey: toBase64(reasonKey),
      recordId: record.recordId,
    }),
  ]);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  const stored = await lifecycleOf(db, verification.id);
  return erasureView(stored!, redacted);
}
