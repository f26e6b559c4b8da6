// A manager's override of a recorded decision (API.md: "Managers change a decision only through
// an explicit, audited override with a reason"). The agent's own decision and its audit record
// stay as they were; the override is a record of its own naming the manager, and the
// verification follows the newest decision.
import { auditRow, insertAuditRowWhen, queueForLog } from "../audit/producer.ts";
import { decisionOverrideRecord, newSalt, newTextKey } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { hmacSha256Hex } from "../encoding.ts";
import { conflict } from "../http/errors.ts";
import { newId } from "../ids.ts";
import { coordinatorFor } from "./coordinator.ts";
import type { CallView } from "../schemas/messages.ts";

type Decision = "approved" | "rejected" | "needs_review";
export type OverrideInput = {
  verification_result: Decision;
  reason: string;
  reason_code?: string | undefined;
  expected_decision?: Decision | undefined;
};

export async function overrideDecision(env: Env, who: Principal, call: CallView, input: OverrideInput) {
  if (call.status !== "completed") {
    throw conflict("call_not_decided", "Only a completed call's decision can be overridden.", { status: call.status });
  }
  // The completion reaches D1 through the coordinator's outbox; drain it so the decision below
  // is the one the agent recorded, not a row the outbox is about to overwrite.
  await coordinatorFor(env, who.tenantId).flushOutbox();
  const current = await env.DB.prepare(
    "SELECT v.decision AS decision FROM video_calls c JOIN verifications v ON v.id = c.verification_id WHERE c.id = ? AND c.tenant_id = ? AND c.status = 'completed'",
  )
    .bind(call.id, who.tenantId)
    .first<{ decision: string | null }>();
  if (!current?.decision) throw conflict("call_not_decided", "The call's decision is not recorded yet; try again shortly.");
  if (input.expected_decision && input.expected_decision !== current.decision) throw decisionChanged(current.decision);

  const now = Date.now();
  const overrideId = newId(now);
  const reasonKey = newTextKey();
  const record = decisionOverrideRecord({
    tenantId: who.tenantId,
    overrideId,
    callId: call.id,
    verificationId: call.verification_id,
    ownerId: call.customer_id,
    decidedBy: who.userId,
    previousDecision: current.decision,
    decision: input.verification_result,
    reasonCode: input.reason_code ?? null,
    reasonHmac: await hmacSha256Hex(reasonKey, input.reason),
    decidedAt: new Date(now).toISOString(),
    salt: newSalt(),
  });
  const row = auditRow(record, now);
  // One batch (one transaction), each statement conditional on the decision still being the one
  // read above: of two managers overriding at once, exactly one wins and the other gets 409.
  const results = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO decision_overrides (id, tenant_id, call_id, verification_id, manager_id, previous_decision, decision, reason_code, reason, audit_record_id, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM verifications WHERE id = ? AND decision = ?)`,
    ).bind(
      overrideId,
      who.tenantId,
      call.id,
      call.verification_id,
      who.userId,
      current.decision,
      input.verification_result,
      input.reason_code ?? null,
      input.reason,
      record.recordId,
      now,
      call.verification_id,
      current.decision,
    ),
    insertAuditRowWhen(env.DB, row, "SELECT 1 FROM decision_overrides WHERE id = ?", overrideId),
    env.DB.prepare(
      `UPDATE verifications SET status = ?, decision = ?, decision_reason = ?, decided_at = ?, updated_at = ?
       WHERE id = ? AND decision = ? AND EXISTS (SELECT 1 FROM decision_overrides WHERE id = ?)`,
    ).bind(
      input.verification_result,
      input.verification_result,
      input.reason_code ?? null,
      now,
      now,
      call.verification_id,
      current.decision,
      overrideId,
    ),
  ]);
  if ((results[0]?.meta.changes ?? 0) === 0) throw decisionChanged(null);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return {
    override_id: overrideId,
    call_id: call.id,
    verification_id: call.verification_id,
    previous_decision: current.decision,
    decision: input.verification_result,
    reason_code: input.reason_code ?? null,
    decided_by: who.userId,
    decided_at: new Date(now).toISOString(),
    audit_record_id: record.recordId,
  };
}

function decisionChanged(current: string | null) {
  return conflict(
    "decision_changed",
    "The decision changed since you looked at it; reload and try again.",
    current ? { decision: current } : undefined,
  );
}
