// The audit record of a submitted verification, built from what D1 holds about it. One place
// for the submit route, the store-verification route and the sweep that repairs a submit
// which queued its call but failed before recording it.
import { auditRow, queueForLog } from "../audit/producer.ts";
import { insertAuditRow } from "../db/audit-records.ts";
import { queueEvents, recordEventStatement, submittedEvent } from "../webhooks/events.ts";
import { newSalt, verificationRecord } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { database, type Database } from "../db/client.ts";
import { documentsOf, type DocumentRow } from "../db/documents.ts";
import { fraudAnalysisOf, verificationById, verificationFor } from "../db/verifications.ts";
import { conflict, notFound } from "../http/errors.ts";

/** Records the submission (idempotent by record id), with its `verification.submitted` webhook
 * in the same batch; null when the verification is not submitted. The analysis is read back from
 * D1, so that concurrent submits record what D1 kept; a submit passes the documents it froze
 * (the set cannot change after the freeze). */
export async function recordSubmission(env: Env, db: Database, verificationId: string, frozen?: DocumentRow[]): Promise<string | null> {
  const row = await verificationById(db, verificationId);
  const analysis = row ? fraudAnalysisOf(row) : null;
  if (!row || !analysis || !row.submittedAt) return null;
  const docs = frozen ?? (await documentsOf(db, row.id));
  const record = verificationRecord({
    tenantId: row.tenantId,
    verificationId: row.id,
    ownerId: row.customerId,
    documentHashes: docs.map((d) => d.documentHash),
    fraudScore: analysis.fraud_score,
    riskLevel: analysis.risk_level,
    riskSource: analysis.risk_source,
    priority: row.priority ?? "normal",
    submittedAt: new Date(row.submittedAt).toISOString(),
    salt: newSalt(),
  });
  const event = submittedEvent({ tenantId: row.tenantId, verificationId: row.id, submittedAt: row.submittedAt });
  await env.DB.batch([insertAuditRow(env.DB, auditRow(record, Date.now())), recordEventStatement(env.DB, event)]);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  await queueEvents(env, [event.id]);
  return record.recordId;
}

/** The principal's request to record their submitted verification (idempotent: the record is
 * stored once and queued again, and the log keeps one leaf per record). 404 for a verification
 * they cannot see, 409 before it is submitted. */
export async function recordSubmissionFor(env: Env, who: Principal, verificationId: string): Promise<string> {
  const db = database(env.DB);
  const verification = await verificationFor(db, who, verificationId);
  if (!verification) throw notFound("Verification");
  const recordId = await recordSubmission(env, db, verification.id);
  if (!recordId) throw conflict("verification_not_submitted", "Submit the verification first; its record holds the risk analysis.");
  return recordId;
}
