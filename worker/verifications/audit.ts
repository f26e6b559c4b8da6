// The audit record of a submitted verification, built from what D1 holds about it. One place
// for the submit route, the store-verification route and the sweep that repairs a submit
// which queued its call but failed before recording it.
import { recordAudit } from "../audit/producer.ts";
import { newSalt, verificationRecord } from "../audit/records.ts";
import type { Database } from "../db/client.ts";
import { documentsOf } from "../db/documents.ts";
import { fraudAnalysisOf, verificationById } from "../db/verifications.ts";

/** Records the submission (idempotent by record id); null when the verification is not submitted. */
export async function recordSubmission(env: Env, db: Database, verificationId: string): Promise<string | null> {
  const row = await verificationById(db, verificationId);
  const analysis = row ? fraudAnalysisOf(row) : null;
  if (!row || !analysis || !row.submittedAt) return null;
  const docs = await documentsOf(db, row.id);
  return recordAudit(
    env,
    verificationRecord({
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
    }),
  );
}
