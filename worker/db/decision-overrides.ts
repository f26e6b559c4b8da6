// The decision_overrides table: a manager's change of a recorded decision, written only here,
// in one batch with its audit record and the verification's new decision.
import type { AuditRow } from "./audit-records.ts";
import { insertAuditRowWhen } from "./audit-records.ts";
import type { decisionOverrides } from "./schema.ts";
import { followOverride } from "./verifications.ts";

export type DecisionOverrideRow = typeof decisionOverrides.$inferSelect;

/** Stores the override, its audit record and the verification's new decision in one batch (one
 * transaction), each conditional on the verification's decision still being the one the
 * override replaces: of two managers overriding at once exactly one wins. Returns whether this
 * one did. Raw SQL for the inserts: drizzle has no INSERT … SELECT … WHERE. */
export async function insertOverrideOf(d1: D1Database, override: DecisionOverrideRow, record: AuditRow): Promise<boolean> {
  const [inserted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO decision_overrides (id, tenant_id, call_id, verification_id, manager_id, previous_decision, decision, reason_code, reason, audit_record_id, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM verifications WHERE id = ? AND decision = ?)`,
      )
      .bind(
        override.id,
        override.tenantId,
        override.callId,
        override.verificationId,
        override.managerId,
        override.previousDecision,
        override.decision,
        override.reasonCode,
        override.reason,
        override.auditRecordId,
        override.createdAt,
        override.verificationId,
        override.previousDecision,
      ),
    insertAuditRowWhen(d1, record, "SELECT 1 FROM decision_overrides WHERE id = ?", override.id),
    followOverride(
      d1,
      {
        id: override.id,
        verificationId: override.verificationId,
        previous: override.previousDecision,
        decision: override.decision,
        reasonCode: override.reasonCode,
      },
      override.createdAt,
    ),
  ]);
  return (inserted?.meta.changes ?? 0) > 0;
}
