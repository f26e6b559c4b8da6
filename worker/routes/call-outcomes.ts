// How a video call ends: completion records the decision (calls/complete.ts), a manager may
// override it (calls/override.ts), and an optional recording is kept before it
// (calls/record-recording.ts).
import { createRoute } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { completeCall } from "../calls/complete.ts";
import { callFor } from "../calls/lookup.ts";
import { overrideDecision } from "../calls/override.ts";
import { recordRecording } from "../calls/record-recording.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import { CompleteRequest, CompleteResponse, OverrideRequest, OverrideResponse, RecordingResponse } from "../schemas/video-calls.ts";

export const callOutcomeRoutes = router();
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
  async (c) => c.json(await completeCall(c.env, principalOf(c), c.req.valid("param").id, c.req.valid("json"), (id) => callFor(c, id)), 200),
);

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
  async (c) => c.json(await overrideDecision(c.env, principalOf(c), await callFor(c, c.req.valid("param").id), c.req.valid("json")), 200),
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
callOutcomeRoutes.post("/:id/recording", rateLimit("uploads", byUser), async (c) =>
  c.json(await recordRecording(c.env, principalOf(c), await callFor(c, c.req.param("id")), c.req.raw), 201),
);
