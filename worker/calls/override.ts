// A manager's override of a recorded decision (API.md: "Managers change a decision only through
// an explicit, audited override with a reason"). The agent's own decision and its audit record
// stay as they were; the override is a record of its own naming the manager, and the
// verification follows the newest decision.
import { auditRow, queueForLog } from "../audit/producer.ts";
import { decisionOverrideRecord, newSalt, newTextKey } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { auditStatus } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { insertOverrideOf } from "../db/decision-overrides.ts";
import { recordedDecision } from "../db/video-calls.ts";
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

/** Replaces a completed call's decision, as its own audit record; the answer is API.md's
 * OverrideResponse. 409 when the call is not decided, or its decision changed meanwhile. */
export async function overrideDecision(env: Env, who: Principal, call: CallView, input: OverrideInput) {
  if (call.status !== "completed") {
    throw conflict("call_not_decided", "Only a completed call's decision can be overridden.", { status: call.status });
  }
  // The completion reaches D1 through the coordinator's outbox; drain it so the decision below
  // is the one the agent recorded, not a row the outbox is about to overwrite.
  await coordinatorFor(env, who.tenantId).flushOutbox();
  const db = database(env.DB);
  const current = await recordedDecision(db, who.tenantId, call.id);
  if (!current) throw conflict("call_not_decided", "The call's decision is not recorded yet; try again shortly.");
  if (input.expected_decision && input.expected_decision !== current) throw decisionChanged(current);

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
    previousDecision: current,
    decision: input.verification_result,
    reasonCode: input.reason_code ?? null,
    reasonHmac: await hmacSha256Hex(reasonKey, input.reason),
    decidedAt: new Date(now).toISOString(),
    salt: newSalt(),
  });
  const won = await insertOverrideOf(
    env.DB,
    {
      id: overrideId,
      tenantId: who.tenantId,
      callId: call.id,
      verificationId: call.verification_id,
      managerId: who.userId,
      previousDecision: current,
      decision: input.verification_result,
      reasonCode: input.reason_code ?? null,
      reason: input.reason,
      auditRecordId: record.recordId,
      createdAt: now,
    },
    auditRow(record, now),
  );
  if (!won) throw decisionChanged(null);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return {
    override_id: overrideId,
    call_id: call.id,
    verification_id: call.verification_id,
    previous_decision: current,
    decision: input.verification_result,
    reason_code: input.reason_code ?? null,
    decided_by: who.userId,
    decided_at: new Date(now).toISOString(),
    audit_record_id: record.recordId,
    audit: { record_id: record.recordId, status: await auditStatus(db, record.recordId) },
  };
}

function decisionChanged(current: string | null) {
  return conflict(
    "decision_changed",
    "The decision changed since you looked at it; reload and try again.",
    current ? { decision: current } : undefined,
  );
}
