// Applies projection operations to D1 as one batch (a D1 batch is one transaction). This is the
// outbox's writer: the Durable Objects' own D1 tables (video_calls, call_offers, direct_calls)
// and their verification and audit rows are written here, from ops stored beside the state
// change. Raw SQL: the column lists come from the ops themselves (whitelisted below), and the
// batch is D1's own, so the statements stay plain.
import { insertAuditRow } from "../db/audit-records.ts";
import { recordEventStatement } from "../webhooks/events.ts";
import type { D1Op } from "./ops.ts";

// Column names come from our own code, but they are spliced into SQL, so only these pass.
const CALL_COLUMNS = new Set([
  "status",
  "priority",
  "agent_id",
  "session_id",
  "assigned_at",
  "started_at",
  "ended_at",
  "wait_seconds",
  "duration_seconds",
  "end_reason",
  "decision",
  "decision_reason",
  "notes",
  "notes_hash",
  "notes_key",
  "audit_record_id",
]);
const VERIFICATION_COLUMNS = new Set(["status", "call_id", "decision", "decision_reason", "decided_at"]);

function assignments(fields: Record<string, unknown>, allowed: Set<string>) {
  const names = Object.keys(fields);
  for (const name of names) if (!allowed.has(name)) throw new Error(`column ${name} may not be written`);
  return { sql: names.map((n) => `${n} = ?`).join(", "), values: names.map((n) => fields[n] ?? null) };
}

function statement(db: D1Database, op: D1Op): D1PreparedStatement {
  switch (op.op) {
    case "call_insert": {
      const r = op.row;
      return db
        .prepare(
          `INSERT INTO video_calls (id, tenant_id, verification_id, customer_id, user_name, status, priority, initial_priority, fraud_score, queue_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
        )
        .bind(
          r.id,
          r.tenant_id,
          r.verification_id,
          r.customer_id,
          r.user_name,
          r.status,
          r.priority,
          r.initial_priority,
          r.fraud_score,
          // Ops stored before routing (issue 17) name no queue.
          r.queue_id ?? null,
          r.created_at,
          r.created_at,
        );
    }
    case "call_set": {
      const set = assignments(op.fields, CALL_COLUMNS);
      return db.prepare(`UPDATE video_calls SET ${set.sql}, updated_at = ? WHERE id = ?`).bind(...set.values, op.at, op.id);
    }
    case "call_first_offer":
      return db.prepare(`UPDATE video_calls SET first_offered_at = COALESCE(first_offered_at, ?) WHERE id = ?`).bind(op.at, op.id);
    case "offer_insert": {
      const r = op.row;
      return db
        .prepare(
          `INSERT INTO call_offers (id, tenant_id, call_id, agent_id, offered_at, fallback) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
        )
        .bind(r.id, r.tenant_id, r.call_id, r.agent_id, r.offered_at, r.fallback ? 1 : 0);
    }
    case "offer_resolve":
      return db
        .prepare(`UPDATE call_offers SET outcome = ?, resolved_at = ? WHERE id = ? AND outcome IS NULL`)
        .bind(op.outcome, op.at, op.id);
    case "verification_set": {
      const set = assignments(op.fields, VERIFICATION_COLUMNS);
      const guard = op.onlyIfStatus?.length ? ` AND status IN (${op.onlyIfStatus.map(() => "?").join(", ")})` : "";
      return db
        .prepare(`UPDATE verifications SET ${set.sql}, updated_at = ? WHERE id = ?${guard}`)
        .bind(...set.values, op.at, op.id, ...(op.onlyIfStatus ?? []));
    }
    case "audit_insert":
      return insertAuditRow(db, op.row);
    case "webhook_event":
      return recordEventStatement(db, op.event);
    case "direct_call_upsert": {
      const r = op.row;
      return db
        .prepare(
          `INSERT INTO direct_calls (id, tenant_id, caller_id, callee_id, status, session_id, created_at, answered_at, ended_at, duration_seconds, end_reason, seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET status = excluded.status, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
             duration_seconds = excluded.duration_seconds, end_reason = excluded.end_reason, seen_at = excluded.seen_at`,
        )
        .bind(
          r.id,
          r.tenant_id,
          r.caller_id,
          r.callee_id,
          r.status,
          r.session_id,
          r.created_at,
          r.answered_at,
          r.ended_at,
          r.duration_seconds,
          r.end_reason,
          r.seen_at,
        );
    }
  }
}

/** Writes `ops` in order, atomically. */
export async function writeOps(db: D1Database, ops: D1Op[]): Promise<void> {
  if (ops.length === 0) return;
  await db.batch(ops.map((op) => statement(db, op)));
}
