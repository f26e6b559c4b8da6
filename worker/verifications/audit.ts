// The audit record of a submitted verification, built from what D1 holds about it. One place
// for the submit route, the store-verification route and the sweep that repairs a submit
// which queued its call but failed before recording it.
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/producer.ts";
import { newSalt, verificationRecord } from "../audit/records.ts";
import type { Database } from "../db/client.ts";
import { verifications } from "../db/schema.ts";
import { documentsOf, fraudAnalysisOf } from "../db/verifications.ts";

/** Records the submission (idempotent by record id); null when the verification is not submitted. */
export async function recordSubmission(env: Env, db: Database, verificationId: string): Promise<string | null> {
  const row = await db.query.verifications.findFirst({ where: eq(verifications.id, verificationId) });
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

/** Submitted verifications older than `before` whose record is missing (at most `limit`). */
export async function unrecordedSubmissions(db: D1Database, before: number, limit = 100): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT v.id FROM verifications v
       WHERE v.submitted_at IS NOT NULL AND v.submitted_at < ?1 AND v.status <> 'created'
         AND NOT EXISTS (SELECT 1 FROM audit_records a WHERE a.id = 'verification:' || v.id || ':submitted')
       LIMIT ?2`,
    )
    .bind(before, limit)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}
