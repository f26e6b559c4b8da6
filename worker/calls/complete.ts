// Completing a video call (API.md "Complete a call"): the decision, the notes' keyed hash and the
// audit record (completion.ts) are written in the coordinator's completion transaction, so they
// are recorded exactly once however often the request is retried, and a retry gets the first
// summary back.
import type { z } from "@hono/zod-openapi";
import { newSalt, newTextKey } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { callSeconds } from "../core/queue/index.ts";
import { auditStatus } from "../db/audit-records.ts";
import { latestRecordingOf } from "../db/call-recordings.ts";
import { database } from "../db/client.ts";
import { hmacSha256Hex, toBase64 } from "../encoding.ts";
import { forbidden } from "../http/errors.ts";
import type { CallView } from "../schemas/messages.ts";
import type { CompleteRequest } from "../schemas/video-calls.ts";
import { completionOf, type Summary } from "./completion.ts";
import { coordinatorFor, unwrap } from "./coordinator.ts";
import { actorOf } from "./lookup.ts";

const parsed = (at: string | undefined) => (at ? Date.parse(at) : null);

/** Records the call's agent's decision; the answer is API.md's CallCompletion. `findCall` finds a
 * call the principal may see (404 otherwise); it runs after the role check, so someone who may
 * not decide learns nothing about which calls exist. */
export async function completeCall(
  env: Env,
  who: Principal,
  callId: string,
  request: z.infer<typeof CompleteRequest>,
  findCall: (callId: string) => Promise<CallView>,
) {
  // Only an agent records a decision (the core checks it is this call's agent, in a started call).
  if (!can(who.role, "video_calls.accept")) throw forbidden("video_calls.accept");
  const call = await findCall(callId);
  const db = database(env.DB);
  const now = Date.now();
  const durationSeconds =
    request.duration_seconds ?? callSeconds({ startedAt: parsed(call.started_at), assignedAt: parsed(call.assigned_at) }, now);
  const notesKey = newTextKey();
  const { summary, ops } = completionOf({
    tenantId: who.tenantId,
    decidedBy: who.userId,
    call,
    request,
    durationSeconds,
    notes: { hmac: await hmacSha256Hex(notesKey, request.call_notes), keyBase64: toBase64(notesKey) },
    recordingSha256: (await latestRecordingOf(db, call.id))?.sha256 ?? null,
    salt: newSalt(),
    now,
  });
  // Stored in the coordinator's transaction with the completion itself: all or nothing.
  const done = unwrap(
    await coordinatorFor(env, who.tenantId).complete({
      callId: call.id,
      actor: actorOf(who),
      ...(durationSeconds !== null ? { durationSeconds } : {}),
      outcome: { decision: request.verification_result, reasonCode: request.reason_code ?? null },
      result: summary,
      ops,
    }),
  );
  const stored = (done.result ?? summary) as Summary;
  return { call_summary: stored, audit: { record_id: stored.audit_record_id, status: await auditStatus(db, stored.audit_record_id) } };
}
