// The audit_records table: every record meant for the log. Records are written only by the
// statements here: alone (audit/producer.ts), in a Durable Object's outbox batch
// (outbox/d1-writer.ts), or beside their subject in the subject's own batch; the audit queue
// consumer notes each record's leaf index.
import { and, asc, count, eq, gt, gte, inArray, isNotNull, isNull, lt, min, or, sql } from "drizzle-orm";
import { WITHDRAWN_SUFFIX } from "../audit/records.ts";
import type { Backlog } from "../core/health.ts";
import { confirmedTreeSize } from "./anchors.ts";
import { database, toStatement, type Database } from "./client.ts";
import { auditRecords, documents, videoCalls } from "./schema.ts";

/** An audit record's D1 row (audit_records); its leaf hash is computed when the row is made. */
export type AuditRow = {
  id: string;
  tenant_id: string;
  kind: string;
  subject_id: string;
  owner_id: string | null;
  data: string;
  leaf_hash: string;
  created_at: number;
};

export type AuditRecordRow = typeof auditRecords.$inferSelect;

const valuesOf = (row: AuditRow) => ({
  id: row.id,
  tenantId: row.tenant_id,
  kind: row.kind,
  subjectId: row.subject_id,
  ownerId: row.owner_id,
  data: row.data,
  leafHash: row.leaf_hash,
  createdAt: row.created_at,
});

/** Stores a record unless one with its id exists; a statement, so that it can join a D1 batch. */
export function insertAuditRow(d1: D1Database, row: AuditRow): D1PreparedStatement {
  return toStatement(d1, database(d1).insert(auditRecords).values(valuesOf(row)).onConflictDoNothing({ target: auditRecords.id }));
}

/** Like `insertAuditRow`, but only when `existsSql` (a subquery) finds a row: for batches whose
 * first statement may change nothing, so the record is written exactly when its subject is.
 * Raw SQL: drizzle has no INSERT … SELECT … WHERE. */
export function insertAuditRowWhen(d1: D1Database, row: AuditRow, existsSql: string, ...params: unknown[]): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO audit_records (id, tenant_id, kind, subject_id, owner_id, data, leaf_hash, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${existsSql})`,
    )
    .bind(row.id, row.tenant_id, row.kind, row.subject_id, row.owner_id, row.data, row.leaf_hash, row.created_at, ...params);
}

export async function auditRecord(db: Database, id: string) {
  return db.query.auditRecords.findFirst({ where: eq(auditRecords.id, id) });
}

/** A record of the tenant (another tenant's record reads as unknown). */
export async function auditRecordInTenant(db: Database, tenantId: string, id: string) {
  return db.query.auditRecords.findFirst({ where: and(eq(auditRecords.id, id), eq(auditRecords.tenantId, tenantId)) });
}

/** Whether a record already has its leaf in the log. */
export async function auditStatus(db: Database, id: string): Promise<"logged" | "queued"> {
  const row = await db.select({ leafIndex: auditRecords.leafIndex }).from(auditRecords).where(eq(auditRecords.id, id)).get();
  return row?.leafIndex != null ? "logged" : "queued";
}

/** Records created before `before` that have no leaf yet, oldest first (at most `limit`). */
export async function unloggedRecordIds(db: Database, before: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: auditRecords.id })
    .from(auditRecords)
    .where(and(isNull(auditRecords.leafIndex), lt(auditRecords.createdAt, before)))
    .orderBy(asc(auditRecords.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The leaf inputs of records `ids`, in the order they were recorded. */
export async function leafInputsOf(db: Database, ids: string[]) {
  return db
    .select({ id: auditRecords.id, kind: auditRecords.kind, data: auditRecords.data })
    .from(auditRecords)
    .where(inArray(auditRecords.id, ids))
    .orderBy(asc(auditRecords.createdAt), asc(auditRecords.id));
}

/** Notes where each record's leaf is, in one batch; the first logging time stays. */
export async function noteLeafIndices(db: Database, leaves: Array<{ recordId: string; index: number }>, now: number): Promise<void> {
  const [first, ...rest] = leaves.map((leaf) =>
    db
      .update(auditRecords)
      .set({ leafIndex: leaf.index, loggedAt: sql`COALESCE(${auditRecords.loggedAt}, ${now})` })
      .where(eq(auditRecords.id, leaf.recordId)),
  );
  if (first) await db.batch([first, ...rest]);
}

/** The records about a verification (itself, its documents, its calls), in recorded order. A
 * withdrawn document has no row any more; its own record is found through its withdrawal's
 * record, which is about the verification and whose id is the document record's plus a suffix. */
export async function recordsAboutVerification(db: Database, verificationId: string) {
  return db
    .select({ id: auditRecords.id, kind: auditRecords.kind, leafIndex: auditRecords.leafIndex })
    .from(auditRecords)
    .where(
      or(
        eq(auditRecords.subjectId, verificationId),
        inArray(
          auditRecords.subjectId,
          db.select({ id: documents.id }).from(documents).where(eq(documents.verificationId, verificationId)),
        ),
        inArray(
          auditRecords.subjectId,
          db.select({ id: videoCalls.id }).from(videoCalls).where(eq(videoCalls.verificationId, verificationId)),
        ),
        sql`${auditRecords.id} IN (SELECT substr(w.id, 1, length(w.id) - ${WITHDRAWN_SUFFIX.length}) FROM audit_records w
          WHERE w.subject_id = ${verificationId} AND w.kind = 'document_withdrawn')`,
      ),
    )
    .orderBy(asc(auditRecords.createdAt), asc(auditRecords.id));
}

/** Records created before `before` that have no leaf yet (health's audit backlog). */
export async function unloggedBacklog(db: Database, before: number): Promise<Backlog> {
  const row = await db
    .select({ count: count(), oldest: min(auditRecords.createdAt) })
    .from(auditRecords)
    .where(and(isNull(auditRecords.leafIndex), lt(auditRecords.createdAt, before)))
    .get();
  return { count: row?.count ?? 0, oldestAt: row?.oldest ?? null };
}

/** Leaves logged before `before` that no confirmed anchor covers yet (health's anchor backlog). */
export async function unanchoredBacklog(db: Database, before: number): Promise<Backlog> {
  const row = await db
    .select({ count: count(), oldest: min(auditRecords.loggedAt) })
    .from(auditRecords)
    .where(and(gte(auditRecords.leafIndex, confirmedTreeSize), isNotNull(auditRecords.loggedAt), lt(auditRecords.loggedAt, before)))
    .get();
  return { count: row?.count ?? 0, oldestAt: row?.oldest ?? null };
}

export type RecordCursor = { createdAt: number; id: string };

/** Unlogged records after `cursor` in recorded order (at most `limit`), so that a re-drive
 * pages through every one even while earlier pages are already on the queue. */
export async function unloggedRecordsAfter(db: Database, cursor: RecordCursor | null, limit: number) {
  const after = cursor
    ? or(gt(auditRecords.createdAt, cursor.createdAt), and(eq(auditRecords.createdAt, cursor.createdAt), gt(auditRecords.id, cursor.id)))
    : undefined;
  return db
    .select({ id: auditRecords.id, createdAt: auditRecords.createdAt })
    .from(auditRecords)
    .where(and(isNull(auditRecords.leafIndex), after))
    .orderBy(asc(auditRecords.createdAt), asc(auditRecords.id))
    .limit(limit);
}
