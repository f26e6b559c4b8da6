// How a video call ends: the room opens when the call starts, an optional recording is kept
// (encrypted, like documents), and completion records the decision, the notes' SHA-256 and
// an audit record, exactly once however often the request is retried.
import { createRoute } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { auditRow } from "../audit/producer.ts";
import { newSalt, newTextKey, videoCallRecord } from "../audit/records.ts";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { callRecordings } from "../db/schema.ts";
import { tenantSettings } from "../db/tenants.ts";
import { masterKey, seal } from "../documents/envelope.ts";
import { sniffRecordingType } from "../documents/media-type.ts";
import { readUploadedFile } from "../documents/upload.ts";
import { hmacSha256Hex, toBase64 } from "../encoding.ts";
import { ApiError, conflict, forbidden } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { newId } from "../ids.ts";
import { callSeconds } from "../core/queue/index.ts";
import { coordinatorFor, unwrap } from "../calls/coordinator.ts";
import type { D1Op } from "../outbox/ops.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  CallSummary,
  CompleteRequest,
  CompleteResponse,
  OverrideRequest,
  OverrideResponse,
  RecordingResponse,
} from "../schemas/video-calls.ts";
import { overrideDecision } from "../calls/override.ts";
import type { z } from "@hono/zod-openapi";
import { actorOf, callFor } from "../calls/lookup.ts";

export const callOutcomeRoutes = router();

type Summary = z.infer<typeof CallSummary>;

callOutcomeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/complete",
    tags: ["video calls"],
    summary: "Record the decision: the call ends, the agent is free, an audit record is queued",
    security: [{ bearer: [] }],
    request: { params: IdParam, body: jsonBody(CompleteRequest) },
    responses: { 200: json(CompleteResponse, "Completed"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    // Only an agent records a decision (the core checks it is this call's agent, in a started call).
    if (!can(who.role, "video_calls.accept")) throw forbidden("video_calls.accept");
    const input = c.req.valid("json");
    const call = await callFor(c, c.req.valid("param").id);
    const coordinator = coordinatorFor(c.env, who.tenantId);

    const now = Date.now();
    const parsed = (at: string | undefined) => (at ? Date.parse(at) : null);
    const durationSeconds =
      input.duration_seconds ?? callSeconds({ startedAt: parsed(call.started_at), assignedAt: parsed(call.assigned_at) }, now);
    const notesKey = newTextKey();
    const notesHmac = await hmacSha256Hex(notesKey, input.call_notes);
    const recording = await database(c.env.DB).query.callRecordings.findFirst({
      where: eq(callRecordings.callId, call.id),
      orderBy: desc(callRecordings.createdAt),
    });
    const completedAt = new Date(now).toISOString();
    const record = videoCallRecord({
      tenantId: who.tenantId,
      callId: call.id,
      verificationId: call.verification_id,
      ownerId: call.customer_id,
      agentId: call.assigned_agent_id ?? null,
      decidedBy: who.userId,
      decision: input.verification_result,
      reasonCode: input.reason_code ?? null,
      durationSeconds,
      notesHmac,
      recordingSha256: recording?.sha256 ?? null,
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
      reason_code: input.reason_code ?? null,
      duration_seconds: durationSeconds,
      notes_hmac: notesHmac,
      recording_sha256: recording?.sha256 ?? null,
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
      await coordinator.complete({
        callId: call.id,
        actor: actorOf(who),
        ...(durationSeconds !== null ? { durationSeconds } : {}),
        outcome: { decision: input.verification_result, reasonCode: input.reason_code ?? null },
        result: summary,
        ops,
      }),
    );
    const stored = (done.result ?? summary) as Summary;
    return c.json(
      { call_summary: stored, audit: { record_id: stored.audit_record_id, status: await auditStatus(c.env.DB, stored.audit_record_id) } },
      200,
    );
  },
);

/** Whether a record already has its leaf in the log. */
async function auditStatus(db: D1Database, recordId: string): Promise<"logged" | "queued"> {
  const logged = await db
    .prepare("SELECT leaf_index FROM audit_records WHERE id = ?")
    .bind(recordId)
    .first<{ leaf_index: number | null }>();
  return logged?.leaf_index != null ? "logged" : "queued";
}

callOutcomeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/override",
    tags: ["video calls"],
    summary: "A manager changes a completed call's decision, with a mandatory reason (its own audit record)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("decisions.override")] as const,
    request: { params: IdParam, body: jsonBody(OverrideRequest) },
    responses: { 200: json(OverrideResponse, "Overridden"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const input = c.req.valid("json");
    const call = await callFor(c, c.req.valid("param").id);
    const result = await overrideDecision(c.env, who, call, input);
    return c.json(
      { ...result, audit: { record_id: result.audit_record_id, status: await auditStatus(c.env.DB, result.audit_record_id) } },
      200,
    );
  },
);

const recordingRoute = createRoute({
  method: "post",
  path: "/{id}/recording",
  tags: ["video calls"],
  summary: "Upload the call's recording (tenants that enabled recording); its SHA-256 enters the audit record",
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: { 201: json(RecordingResponse, "Stored encrypted"), ...errors(400, 401, 403, 404, 409, 413, 415) },
});
callOutcomeRoutes.openAPIRegistry.registerPath(recordingRoute);
callOutcomeRoutes.post("/:id/recording", rateLimit("uploads", byUser), async (c) => {
  const who = principalOf(c);
  const call = await callFor(c, c.req.param("id"));
  if (call.assigned_agent_id !== who.userId && !can(who.role, "video_calls.manage")) throw forbidden("video_calls.manage");
  const settings = await tenantSettings(database(c.env.DB), who.tenantId);
  if (!settings.recording_enabled) throw conflict("recording_disabled", "Call recording is off for this organisation.");
  if (call.status === "completed" || call.status === "cancelled" || call.status === "abandoned") {
    throw conflict("call_closed", "Upload the recording before completing the call.");
  }
  const upload = await readUploadedFile(c.req.raw, configFrom(c.env).maxRecordingBytes);
  const contentType = sniffRecordingType(upload.bytes.subarray(0, 16));
  if (!contentType) throw new ApiError(415, "unsupported_media_type", "Recordings must be WebM, MP4 or Ogg.");
  const id = newId();
  const objectKey = `tenants/${who.tenantId}/calls/${call.id}/recording-${id}`;
  await c.env.DOCUMENTS.put(objectKey, await seal(upload.bytes, id, await masterKey(c.env.DOCUMENT_MASTER_KEY)), {
    customMetadata: { recording_id: id, encryption: "verifyid-envelope-v1" },
  });
  await database(c.env.DB).insert(callRecordings).values({
    id,
    tenantId: who.tenantId,
    callId: call.id,
    objectKey,
    contentType,
    size: upload.size,
    sha256: upload.sha256,
    createdAt: Date.now(),
  });
  return c.json({ recording_id: id, sha256: upload.sha256, size: upload.size, content_type: contentType }, 201);
});
