// What a completion writes, from plain data: the audit record of the decision, the summary its
// caller gets (and every retry gets again), and the D1 writes that go into the coordinator's
// completion transaction. Pure: the keyed notes hash, salt and time are passed in.
import type { z } from "@hono/zod-openapi";
import { auditRow } from "../audit/producer.ts";
import { videoCallRecord } from "../audit/records.ts";
import type { D1Op } from "../outbox/ops.ts";
import { decidedEvent } from "../webhooks/events.ts";
import type { CallView } from "../schemas/messages.ts";
import type { CallSummary, CompleteRequest } from "../schemas/video-calls.ts";

export type Summary = z.infer<typeof CallSummary>;

/** The record, summary and D1 writes of `decidedBy`'s decision on `call`. The notes go to D1
 * only (with their key); the record and the summary carry just their keyed hash. */
export function completionOf(input: {
  tenantId: string;
  decidedBy: string;
  call: CallView;
  request: z.infer<typeof CompleteRequest>;
  durationSeconds: number | null;
  notes: { hmac: string; keyBase64: string };
  recordingSha256: string | null;
  salt: string;
  now: number;
}): { summary: Summary; ops: D1Op[] } {
  const { call, request, now } = input;
  const completedAt = new Date(now).toISOString();
  const reasonCode = request.reason_code ?? null;
  const record = videoCallRecord({
    tenantId: input.tenantId,
    callId: call.id,
    verificationId: call.verification_id,
    ownerId: call.customer_id,
    agentId: call.assigned_agent_id ?? null,
    decidedBy: input.decidedBy,
    decision: request.verification_result,
    reasonCode,
    durationSeconds: input.durationSeconds,
    notesHmac: input.notes.hmac,
    recordingSha256: input.recordingSha256,
    ...(call.routing ? { routing: call.routing } : {}),
    completedAt,
    salt: input.salt,
  });
  const summary: Summary = {
    call_id: call.id,
    verification_id: call.verification_id,
    agent_id: call.assigned_agent_id ?? null,
    customer_id: call.customer_id,
    decided_by: input.decidedBy,
    decision: request.verification_result,
    reason_code: reasonCode,
    duration_seconds: input.durationSeconds,
    notes_hmac: input.notes.hmac,
    recording_sha256: input.recordingSha256,
    completed_at: completedAt,
    audit_record_id: record.recordId,
  };
  // The decision and the verification's new status come from the completion's own event; these
  // are what only this request knows.
  const ops: D1Op[] = [
    {
      op: "call_set",
      id: call.id,
      at: now,
      fields: {
        notes: request.call_notes,
        notes_hash: input.notes.hmac,
        notes_key: input.notes.keyBase64,
        audit_record_id: record.recordId,
      },
    },
    { op: "audit_insert", row: auditRow(record, now) },
    {
      op: "webhook_event",
      event: decidedEvent({
        tenantId: input.tenantId,
        verificationId: call.verification_id,
        callId: call.id,
        decision: request.verification_result,
        reasonCode,
        decidedAt: now,
        auditRecordId: record.recordId,
      }),
    },
  ];
  return { summary, ops };
}
