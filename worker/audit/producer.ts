// Putting a record on its way into the audit log: the record is stored in D1 first (so it is
// never lost), then its id goes on the audit queue. If the queue refuses, the cron sweep
// finds the record (still unlogged) and queues it again; the log ignores repeats.
import { errorFields, log } from "../observability/log.ts";
import { leafHash, toHex } from "../../merkle/index.js";
import { insertAuditRow, type AuditRow } from "../db/audit-records.ts";
import { toBase64 } from "../encoding.ts";
import type { AuditRecord } from "./records.ts";

export type AuditMessage = { record_id: string };

/** The D1 row of a record; its leaf hash is computed now so receipts can be checked early. */
export function auditRow(record: AuditRecord, now: number): AuditRow {
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

export type { AuditRow };

// Cloudflare Queues take at most 100 messages per batch.
const SEND_BATCH = 100;

/** Queues record ids for the log, 100 per batch; returns how many were sent. A refused batch is
 * left to the sweep (the rows are in D1) and the rest are still tried. */
export async function queueForLog(queue: Queue, recordIds: string[]): Promise<number> {
  let sent = 0;
  for (let i = 0; i < recordIds.length; i += SEND_BATCH) {
    const batch = recordIds.slice(i, i + SEND_BATCH);
    try {
      await queue.sendBatch(batch.map((record_id) => ({ body: { record_id } satisfies AuditMessage })));
      sent += batch.length;
    } catch (err) {
      log("error", "audit_queue_refused", { records: batch.length, note: "the sweep queues them again", ...errorFields(err) });
    }
  }
  return sent;
}

/** Stores `record` (idempotently, by id) and queues it for the log; returns its id. */
export async function recordAudit(env: Env, record: AuditRecord, now = Date.now()): Promise<string> {
  await insertAuditRow(env.DB, auditRow(record, now)).run();
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return record.recordId;
}
