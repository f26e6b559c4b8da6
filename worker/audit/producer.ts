// Putting a record on its way into the audit log: the record is stored in D1 first (so it is
// never lost), then its id goes on the audit queue. If the queue refuses, the cron sweep
// finds the record (still unlogged) and queues it again; the log ignores repeats.
import { leafHash, toHex } from "../../merkle/index.js";
import { toBase64 } from "../encoding.ts";
import type { AuditRecord } from "./records.ts";

export type AuditMessage = { record_id: string };

/** The D1 row of a record; its leaf hash is computed now so receipts can be checked early. */
export function auditRow(record: AuditRecord, now: number) {
  return {
    id: record.recordId,
    tenant_id: record.tenantId,
    kind: record.kind,
    subject_id: record.subjectId,
    owner_id: record.ownerId,
    data: toBase64(record.data),
    leaf_hash: toHex(leafHash(record.data)),
    created_at: now,
  };
}

export type AuditRow = ReturnType<typeof auditRow>;

export function insertAuditRow(db: D1Database, row: AuditRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_records (id, tenant_id, kind, subject_id, owner_id, data, leaf_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    )
    .bind(row.id, row.tenant_id, row.kind, row.subject_id, row.owner_id, row.data, row.leaf_hash, row.created_at);
}

/** Queues record ids for the log; a refused send is left to the sweep (the rows are in D1). */
export async function queueForLog(queue: Queue, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  try {
    await queue.sendBatch(recordIds.map((record_id) => ({ body: { record_id } satisfies AuditMessage })));
  } catch (err) {
    console.warn("audit queue refused records; the sweep will re-queue them", recordIds, err);
  }
}

/** Stores `record` (idempotently, by id) and queues it for the log; returns its id. */
export async function recordAudit(env: Env, record: AuditRecord, now = Date.now()): Promise<string> {
  await insertAuditRow(env.DB, auditRow(record, now)).run();
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return record.recordId;
}
