// Video-call queue routes (API.md "Video call queue"). Thin: validate, call the use case
// (worker/calls/) or the tenant's QueueCoordinator, shape the answer.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { assignCall } from "../calls/assign.ts";
import { coordinatorFor, unwrap } from "../calls/coordinator.ts";
import { actorOf, callFor } from "../calls/lookup.ts";
import { callHistory } from "../calls/recorded.ts";
import { requestCall } from "../calls/request-call.ts";
import { startCall } from "../calls/start.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  AcceptResponse,
  AssignRequest,
  AssignResponse,
  CallHistoryPage,
  CallViewSchema,
  HistoryQuery,
  PendingQuery,
  PendingResponse,
  QueueRequest,
  QueueResponse,
  StartResponse,
} from "../schemas/video-calls.ts";
import { callViewFor } from "../verifications/customer-view.ts";

export const videoCallRoutes = router();
videoCallRoutes.openapi(
  createRoute({
    method: "post",
    path: "/queue",
    tags: ["video calls"],
    summary: "Queue a verification for a video call (customers get urgent)",
    security: [{ bearer: [] }],
    middleware: [rateLimit("queue", byUser)] as const,
    request: { body: jsonBody(QueueRequest) },
    responses: { 201: json(QueueResponse, "Queued"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => c.json(await requestCall(c.env, principalOf(c), c.req.valid("json")), 201),
);

videoCallRoutes.openapi(
  createRoute({
    method: "get",
    path: "/pending",
    tags: ["video calls"],
    summary: "Pending calls: priority first, then oldest",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.view_queue")] as const,
    request: { query: PendingQuery },
    responses: { 200: json(PendingResponse, "The queue"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { limit, priority_min } = c.req.valid("query");
    const who = principalOf(c);
    const pending = await coordinatorFor(c.env, who.tenantId).pending({
      limit,
      agentId: who.userId,
      ...(priority_min ? { priorityMin: priority_min } : {}),
    });
    return c.json(pending, 200);
  },
);

videoCallRoutes.openapi(
  createRoute({
    method: "get",
    path: "/history",
    tags: ["video calls"],
    summary: "Finished calls: the agent's own, or the tenant's for managers",
    security: [{ bearer: [] }],
    request: { query: HistoryQuery },
    responses: {
      200: json(CallHistoryPage, "History"),
      ...errors(400, 401),
    },
  }),
  async (c) => c.json(await callHistory(c.env, principalOf(c), c.req.valid("query")), 200),
);

videoCallRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    tags: ["video calls"],
    summary: "One call (customers see only their own)",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(CallViewSchema, "The call"), ...errors(401, 404) },
  }),
  async (c) => c.json(callViewFor(principalOf(c), await callFor(c, c.req.valid("param").id)), 200),
);

const CallAction = (path: string, summary: string, response: z.ZodType) =>
  createRoute({
    method: "post",
    path: `/{id}/${path}`,
    tags: ["video calls"],
    summary,
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(response, "Done"), ...errors(400, 401, 403, 404, 409) },
  });

videoCallRoutes.openapi(
  {
    ...CallAction("accept", "Accept a call offered to you, or any pending call", AcceptResponse),
    middleware: [requirePermission("video_calls.accept")] as const,
  },
  async (c) => {
    const who = principalOf(c);
    const call = unwrap(
      await coordinatorFor(c.env, who.tenantId).accept({ callId: c.req.valid("param").id, agentId: who.userId, name: who.name }),
    );
    return c.json({ session_id: call.session_id!, call }, 200);
  },
);

videoCallRoutes.openapi(
  {
    ...CallAction("reject", "Decline a call: it returns to its old place in the queue", CallViewSchema),
    middleware: [requirePermission("video_calls.accept")] as const,
  },
  async (c) => {
    const who = principalOf(c);
    return c.json(unwrap(await coordinatorFor(c.env, who.tenantId).reject({ callId: c.req.valid("param").id, agentId: who.userId })), 200);
  },
);

videoCallRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/assign",
    tags: ["video calls"],
    summary: "Assign to an agent, or let the scorer pick",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { params: IdParam, body: { required: false, content: { "application/json": { schema: AssignRequest } } } },
    responses: { 200: json(AssignResponse, "Assigned"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => c.json(await assignCall(c.env, principalOf(c), c.req.valid("param").id, c.req.valid("json").agent_id), 200),
);

videoCallRoutes.openapi(CallAction("start", "Start the call: returns its signalling room and ICE servers", StartResponse), async (c) => {
  const id = c.req.valid("param").id;
  await callFor(c, id);
  return c.json(await startCall(c.env, principalOf(c), id), 200);
});

videoCallRoutes.openapi(CallAction("cancel", "Cancel a call (its customer, or a manager)", CallViewSchema), async (c) => {
  const who = principalOf(c);
  const id = c.req.valid("param").id;
  await callFor(c, id);
  return c.json(unwrap(await coordinatorFor(c.env, who.tenantId).cancel({ callId: id, actor: actorOf(who) })), 200);
});
