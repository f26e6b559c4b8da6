// The verifications table. Routes read a verification through the caller's tenant (and, for
// customers, their own id), so that another tenant's id reads as "not found". Written here
// (creation, the submit's freeze and risk analysis, a manager's override) and by the
// QueueCoordinator's outbox (its call and decision, outbox/d1-writer.ts).
import { and, asc, desc, eq, exists, isNotNull, lt, ne, notExists, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { isStaff } from "../auth/permissions.ts";
import { iso } from "../ids.ts";
import type { FraudAnalysis, UserInfo, VerificationStatus } from "../schemas/verifications.ts";
import type { Priority } from "../schemas/common.ts";
import type { RiskAssessment } from "../services/thronos/ai-client.ts";
import { toStatement, database, type Database } from "./client.ts";
import { reusedHashes } from "./documents.ts";
import { auditRecords, decisionOverrides, documents, verifications } from "./schema.ts";

export type VerificationRow = typeof verifications.$inferSelect;

/** A verification by id, in any tenant: for the pipeline's own jobs, never for a caller. */
export async function verificationById(db: Database, id: string): Promise<VerificationRow | undefined> {
  // The plain select builder: drizzle's relational `db.query` costs a relational walk per call,
  // and the hot paths (every submit, every call action) read this row.
  return db.select().from(verifications).where(eq(verifications.id, id)).get();
}

/** The verification if the principal may see it: staff of its tenant, or its customer. */
export async function verificationFor(db: Database, who: Principal, id: string) {
  const row = await db
    .select()
    .from(verifications)
    .where(and(eq(verifications.id, id), eq(verifications.tenantId, who.tenantId)))
    .get();
  if (!row) return null;
  if (!isStaff(who.role) && row.customerId !== who.userId) return null;
  return row;
}

/** Listing, newest first (one customer's when `customerId` is set); the cursor is the last id seen
 * (ids are time-ordered). */
export async function listVerifications(
  db: Database,
  tenantId: string,
  query: { status?: VerificationStatus; limit: number; cursor?: string; customerId?: string },
) {
  const conditions = [eq(verifications.tenantId, tenantId)];
  if (query.customerId) conditions.push(eq(verifications.customerId, query.customerId));
  if (query.status) conditions.push(eq(verifications.status, query.status));
  if (query.cursor) conditions.push(lt(verifications.id, query.cursor));
  const rows = await db.query.verifications.findMany({
    where: and(...conditions),
    orderBy: desc(verifications.id),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { page, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}

const parseJson = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null);

export function fraudAnalysisOf(row: VerificationRow): FraudAnalysis | null {
  if (row.fraudScore == null || !row.riskLevel || !row.riskSource) return null;
  return {
    fraud_score: row.fraudScore,
    risk_level: row.riskLevel as FraudAnalysis["risk_level"],
    flags: parseJson<string[]>(row.flags) ?? [],
    risk_source: row.riskSource as FraudAnalysis["risk_source"],
  };
}

/** The API shape of a verification row (without its documents, call and anchors). */
export function verificationSummary(row: VerificationRow) {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    customer_id: row.customerId,
    status: row.status as VerificationStatus,
    user_info: parseJson<UserInfo>(row.userInfo),
    fraud_analysis: fraudAnalysisOf(row),
    priority: row.priority as Priority | null,
    call_id: row.callId,
    decision: row.decision,
    decision_reason: row.decisionReason,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
    submitted_at: iso(row.submittedAt),
    decided_at: iso(row.decidedAt),
  };
}

/** Creates a verification unless the customer already has `max` open ones; false when refused.
 * One conditional statement, so two creations at once cannot both pass the cap (raw SQL:
 * drizzle's insert has no WHERE). */
export async function createVerificationWithinCap(
  d1: D1Database,
  row: { id: string; tenantId: string; customerId: string; userInfo: string | null; requirements?: string | null; createdAt: number },
  openStatuses: readonly string[],
  max: number,
): Promise<boolean> {
  const { meta } = await d1
    .prepare(
      `INSERT INTO verifications (id, tenant_id, customer_id, status, user_info, requirements, created_at, updated_at)
       SELECT ?, ?, ?, 'created', ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM verifications WHERE tenant_id = ? AND customer_id = ? AND status IN (${openStatuses.map(() => "?").join(", ")})) < ?`,
    )
    .bind(
      row.id,
      row.tenantId,
      row.customerId,
      row.userInfo,
      row.requirements ?? null,
      row.createdAt,
      row.createdAt,
      row.tenantId,
      row.customerId,
      ...openStatuses,
      max,
    )
    .run();
  return meta.changes > 0;
}

/** What a submit needs once it froze the document set: the documents, the submit's instant
 * (the first one, on a retry) and how many of their hashes other customers of the tenant
 * uploaded too. */
export type FrozenSubmission = {
  frozen: boolean;
  documents: (typeof documents.$inferSelect)[];
  submittedAt: number | null;
  reusedDocumentCount: number;
};

/** Freezes the document set — `submitted_at` is set (a retry keeps the first instant), in one
 * statement that also requires the verification to be created and to hold a document — and
 * reads what the submit needs, in one D1 batch (one round trip, one transaction): the reads see
 * exactly the set the freeze fixed. */
export async function freezeForSubmit(db: Database, verification: VerificationRow, now: number): Promise<FrozenSubmission> {
  const id = verification.id;
  const [freeze, docs, row, reused] = await db.batch([
    db
      .update(verifications)
      .set({ submittedAt: sql`COALESCE(${verifications.submittedAt}, ${now})`, updatedAt: now })
      .where(
        and(
          eq(verifications.id, id),
          eq(verifications.status, "created"),
          exists(db.select({ one: sql`1` }).from(documents).where(eq(documents.verificationId, id))),
        ),
      ),
    db.select().from(documents).where(eq(documents.verificationId, id)).orderBy(asc(documents.createdAt)),
    db.select({ submittedAt: verifications.submittedAt }).from(verifications).where(eq(verifications.id, id)),
    reusedHashes(db, verification, db.select({ hash: documents.documentHash }).from(documents).where(eq(documents.verificationId, id))),
  ]);
  return {
    frozen: freeze.meta.changes > 0,
    documents: docs,
    submittedAt: row[0]?.submittedAt ?? null,
    reusedDocumentCount: reused.length,
  };
}

export async function verificationStatus(db: Database, id: string): Promise<string | null> {
  const row = await db.select({ status: verifications.status }).from(verifications).where(eq(verifications.id, id)).get();
  return row?.status ?? null;
}

/** Stores the risk analysis and priority, only while the verification is still "created". */
export async function storeRiskAnalysis(db: Database, id: string, risk: RiskAssessment, priority: string, now: number) {
  await db
    .update(verifications)
    .set({
      fraudScore: risk.fraud_score,
      riskLevel: risk.risk_level,
      flags: JSON.stringify(risk.flags),
      riskSource: risk.risk_source,
      priority,
      updatedAt: now,
    })
    .where(and(eq(verifications.id, id), eq(verifications.status, "created")));
}

/** Submitted verifications older than `before` whose submission record is missing (at most `limit`). */
export async function unrecordedSubmissions(db: Database, before: number, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: verifications.id })
    .from(verifications)
    .where(
      and(
        isNotNull(verifications.submittedAt),
        lt(verifications.submittedAt, before),
        ne(verifications.status, "created"),
        notExists(
          db
            .select({ one: sql`1` })
            .from(auditRecords)
            .where(eq(auditRecords.id, sql`'verification:' || ${verifications.id} || ':submitted'`)),
        ),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The statement that makes the verification follow a manager's override: only while its decision
 * is still `previous` and the override row exists (for decision-overrides.ts's batch). */
export function followOverride(
  d1: D1Database,
  override: { id: string; verificationId: string; previous: string; decision: string; reasonCode: string | null },
  now: number,
): D1PreparedStatement {
  const db = database(d1);
  return toStatement(
    d1,
    db
      .update(verifications)
      .set({ status: override.decision, decision: override.decision, decisionReason: override.reasonCode, decidedAt: now, updatedAt: now })
      .where(
        and(
          eq(verifications.id, override.verificationId),
          eq(verifications.decision, override.previous),
          exists(db.select({ one: sql`1` }).from(decisionOverrides).where(eq(decisionOverrides.id, override.id))),
        ),
      ),
  );
}
