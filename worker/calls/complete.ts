// Completing a video call (API.md "Complete a call"): the decision, the notes' keyed hash and the
// audit record are written in the coordinator's completion transaction, so they are recorded
// exactly once however often the request is retried, and a retry gets the first summary back.
import type { z } from "@hono/zod-openapi";
import { auditRow } from "../audit/producer.ts";
import { newSalt, newTextKey, videoCallRecord } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { callSeconds } from "../core/queue/index.ts";
import { auditStatus } from "../db/audit-records.ts";
import { latestRecordingOf } from "../db/call-recordings.ts";
import { database } from "../db/client.ts";
import { hmacSha256Hex, toBase64 } from "../encoding.ts";
import { forbidden } from "../http/errors.ts";
import type { D1Op } from "../outbox/ops.ts";
import type { CallView } from "../schemas/messages.ts";
import type { CallSummary, CompleteRequest } from "../schemas/video-calls.ts";
import { coordinatorFor, unwrap } from "./coordinator.ts";
import { actorOf } from "./lookup.ts";

type Summary = z.infer<typeof CallSummary>;
type Completion = z.infer<typeof CompleteRequest>;

const parsed = (at: string | undefined) => (at ? Date.parse(at) : null);

/** Records the call's agent's decision; the answer is API.md's CallCompletion. `findCall` finds a
 * call the principal may see (404 otherwise); it runs after the role check, so someone who may
 * not decide learns nothing about which calls exist. */
export async function completeCall(
  env: Env,
  who: Principal,
  callId: string,
  input: Completion,
  findCall: (callId: string) => Promise<CallView>,
) {
  // Only an agent records a decision (the core checks it is this call's agent, in a started call).
  if (!can(who.role, "video_calls.accept")) throw forbidden("video_calls.accept");
  const call = await findCall(callId);
  const db = database(env.DB);
  const now = Date.now();
  const durationSeconds =
    input.duration_seconds ?? callSeconds({ startedAt: parsed(call.started_at), assignedAt: parsed(call.assigned_at) }, now);
  const notesKey = newTextKey();
  const notesHmac = await hmacSha256Hex(notesKey, input.call_notes);
  const recordingSha256 = (await latestRecordingOf(db, call.id))?.sha256 ?? null;
  const completedAt = new Date(now).toISOString();
  const reasonCode = input.reason_code ?? null;
  const record = videoCallRecord({
    tenantId: who.tenantId,
    callId: call.id,
    verificationId: call.verification_id,
    ownerId: call.customer_id,
    agentId: call.assigned_agent_id ?? null,
    decidedBy: who.userId,
    decision: input.verification_result,
    reasonCode,
    durationSeconds,
    notesHmac,
    recordingSha256,
    completedAt,
    salt: newSalt(),
  });
  const summary: Summary = {
    call_id: call.id,
    verification_id: call.verification_id,
    agent_id: call.assigned_agent_id ?? null,
    customer_id: call.customer_id,
    decided_by: who.userId,
    decision: input.verification_result,
    reason_code: reasonCode,
    duration_seconds: durationSeconds,
    notes_hmac: notesHmac,
    recording_sha256: recordingSha256,
    completed_at: completedAt,
    audit_record_id: record.recordId,
  };
  // Written in the coordinator's transaction with the completion itself: all or nothing. The
  // decision and the verification's new status come from the completion's own event; these
  // are what only this request knows.
  const ops: D1Op[] = [
    {
      op: "call_set",
      id: call.id,
      at: now,
      fields: { notes: input.call_notes, notes_hash: notesHmac, notes_key: toBase64(notesKey), audit_record_id: record.recordId },
    },
    { op: "audit_insert", row: auditRow(record, now) },
  ];
  const done = unwrap(
    await coordinatorFor(env, who.tenantId).complete({
      callId: call.id,
      actor: actorOf(who),
      ...(durationSeconds !== null ? { durationSeconds } : {}),
      outcome: { decision: input.verification_result, reasonCode },
      result: summary,
      ops,
    }),
  );
  const stored = (done.result ?? summary) as Summary;
  return { call_summary: stored, audit: { record_id: stored.audit_record_id, status: await auditStatus(db, stored.audit_record_id) } };
}
