// Verification and document records, always read through the caller's tenant (and, for
// customers, their own id), so that another tenant's id reads as "not found".
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { isStaff } from "../auth/permissions.ts";
import { iso } from "../ids.ts";
import type { FraudAnalysis, UserInfo, Verification, VerificationStatus } from "../schemas/verifications.ts";
import type { Priority } from "../schemas/common.ts";
import type { Database } from "./client.ts";
import { documents, verifications } from "./schema.ts";

export type VerificationRow = typeof verifications.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;

/** The verification if the principal may see it: staff of its tenant, or its customer. */
export async function verificationFor(db: Database, who: Principal, id: string) {
  const row = await db.query.verifications.findFirst({
    where: and(eq(verifications.id, id), eq(verifications.tenantId, who.tenantId)),
  });
  if (!row) return null;
  if (!isStaff(who.role) && row.customerId !== who.userId) return null;
  return row;
}

export async function documentsOf(db: Database, verificationId: string) {
  return db.query.documents.findMany({
    where: eq(documents.verificationId, verificationId),
    orderBy: asc(documents.createdAt),
  });
}

/** A document if the principal may read it: staff of its tenant, or the verification's customer. */
export async function documentFor(db: Database, who: Principal, id: string) {
  const doc = await db.query.documents.findFirst({
    where: and(eq(documents.id, id), eq(documents.tenantId, who.tenantId)),
  });
  if (!doc) return null;
  return (await verificationFor(db, who, doc.verificationId)) ? doc : null;
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

export function documentSummary(doc: DocumentRow, auditRecordId: string | null): Verification["documents"][number] {
  return {
    id: doc.id,
    doc_type: doc.docType as Verification["documents"][number]["doc_type"],
    content_type: doc.contentType,
    size: doc.size,
    document_hash: doc.documentHash,
    audit_record_id: auditRecordId,
    created_at: iso(doc.createdAt)!,
  };
}
