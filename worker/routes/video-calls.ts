// Video-call queue routes (API.md "Video call queue"). Thin: validate, check the caller's
// permission, ask the tenant's QueueCoordinator, shape the answer.
import { createRoute, z } from "@hono/zod-openapi";
import { authenticate, principalOf, requirePermission } from "../auth/middleware.ts";
import { can, isStaff } from "../auth/permissions.ts";
import { database } from "../db/client.ts";
import { userInTenant } from "../db/users.ts";
import { verificationFor } from "../db/verifications.ts";
import { ApiError, conflict, forbidden, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { coordinatorFor, unwrap } from "../calls/coordinator.ts";
import { actorOf, callFor } from "../calls/lookup.ts";
import { callHistory } from "../calls/recorded.ts";
import { isSettled } from "../core/verification-status.ts";
import { enqueueVerification } from "../verifications/enqueue.ts";
import { callViewFor } from "../verifications/customer-view.ts";
import { submitVerification } from "../verifications/submit.ts";
import { requestedCallPriority, type PriorityWord } from "../core/priority.ts";
import { roomPath } from "../core/queue/notifications.ts";
import { iceServersFor } from "../calls/ice.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  AssignRequest,
  AssignResponse,
  CallViewSchema,
  HistoryQuery,
  PendingQuery,
  PendingResponse,
  QueueRequest,
  QueueResponse,
  StartResponse,
} from "../schemas/video-calls.ts";

export const videoCallRoutes = router();
videoCallRoutes.use("/video-calls/*", authenticate);

videoCallRoutes.openapi(
  createRoute({
    method: "post",
    path: "/video-calls/queue",
    tags: ["video calls"],
    summary: "Queue a verification for a video call (customers get urgent)",
    security: [{ bearer: [] }],
    middleware: [rateLimit("queue", byUser)] as const,
    request: { body: jsonBody(QueueRequest) },
    responses: { 201: json(QueueResponse, "Queued"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const input = c.req.valid("json");
    const customer = !isStaff(who.role);
    if (!customer && !can(who.role, "video_calls.view_queue")) throw forbidden("video_calls.view_queue");
    const db = database(c.env.DB);
    const verification = await verificationFor(db, who, input.verification_id);
    if (!verification) throw notFound("Verification");
    if (isSettled(verification.status)) {
      throw conflict("verification_closed", `The verification is already ${verification.status}.`, { status: verification.status });
    }
    const priority = requestedCallPriority({
      customer,
      ...(input.priority ? { requested: input.priority } : {}),
      scored: verification.priority as PriorityWord | null,
    });
    if (!priority) throw new ApiError(403, "forbidden", "Only staff can choose a call's priority.", { priority: input.priority });
    if (verification.status === "created") {
      // Not submitted yet: the request is the trigger, so it gets the whole submission (documents
      // required, risk score, audit record), only at the requested priority.
      const submitted = await submitVerification(c.env, db, verification, customer || input.priority ? { priority } : {});
      return c.json(
        {
          call_id: submitted.call_id,
          status: "pending",
          priority: submitted.priority,
          position_in_queue: submitted.position_in_queue,
          estimated_wait_seconds: submitted.estimated_wait_seconds,
        },
        201,
      );
    }
    const call = unwrap(await enqueueVerification(c.env, db, verification, priority, verification.fraudScore));
    return c.json(
      {
        call_id: call.id,
        status: call.status,
        priority: call.priority,
        position_in_queue: call.position_in_queue ?? 0,
        estimated_wait_seconds: call.estimated_wait_seconds ?? 0,
      },
      201,
    );
  },
);

videoCallRoutes.openapi(
  createRoute({
    method: "get",
    path: "/video-calls/pending",
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
    path: "/video-calls/history",
    tags: ["video calls"],
    summary: "Finished calls: the agent's own, or the tenant's for managers",
    security: [{ bearer: [] }],
    request: { query: HistoryQuery },
    responses: {
      200: json(z.object({ items: z.array(CallViewSchema), next_cursor: z.string().nullable() }), "History"),
      ...errors(400, 401),
    },
  }),
  async (c) => c.json(await callHistory(c.env, principalOf(c), c.req.valid("query")), 200),
);

videoCallRoutes.openapi(
  createRoute({
    method: "get",
    path: "/video-calls/{id}",
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
    path: `/video-calls/{id}/${path}`,
    tags: ["video calls"],
    summary,
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(response, "Done"), ...errors(400, 401, 403, 404, 409) },
  });

videoCallRoutes.openapi(
  {
    ...CallAction(
      "accept",
      "Accept a call offered to you, or any pending call",
      StartResponse.omit({ ice_servers: true, room_ws_url: true }),
    ),
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
    path: "/video-calls/{id}/assign",
    tags: ["video calls"],
    summary: "Assign to an agent, or let the scorer pick",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { params: IdParam, body: { required: false, content: { "application/json": { schema: AssignRequest } } } },
    responses: { 200: json(AssignResponse, "Assigned"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { agent_id } = c.req.valid("json");
    let agent: { id: string; name: string } | undefined;
    if (agent_id) {
      const user = await userInTenant(database(c.env.DB), who.tenantId, agent_id);
      if (!user) throw notFound("Agent");
      if (!can(user.role, "video_calls.accept")) {
        throw conflict("not_an_agent", "That user cannot take calls.", { role: user.role });
      }
      agent = { id: user.id, name: user.name };
    }
    const call = unwrap(await coordinatorFor(c.env, who.tenantId).assign({ callId: c.req.valid("param").id, ...(agent ? { agent } : {}) }));
    return c.json({ assigned_agent_id: call.assigned_agent_id!, session_id: call.session_id!, call }, 200);
  },
);

videoCallRoutes.openapi(CallAction("start", "Start the call: returns its signalling room and ICE servers", StartResponse), async (c) => {
  const who = principalOf(c);
  const id = c.req.valid("param").id;
  await callFor(c, id);
  const call = unwrap(await coordinatorFor(c.env, who.tenantId).start({ callId: id, actor: actorOf(who), customer: !isStaff(who.role) }));
  const session = call.session_id!;
  // The room admits exactly the call's agent and customer (opening twice is harmless).
  await c.env.CALL_ROOM.getByName(session).open({
    sessionId: session,
    tenantId: who.tenantId,
    kind: "video",
    callId: call.id,
    participants: [
      { user_id: call.assigned_agent_id!, role: "agent", name: call.assigned_agent_name ?? "Agent" },
      { user_id: call.customer_id, role: "customer", name: call.user_name },
    ],
  });
  return c.json({ session_id: session, room_ws_url: roomPath(session), ice_servers: await iceServersFor(c.env, who.userId), call }, 200);
});

videoCallRoutes.openapi(CallAction("cancel", "Cancel a call (its customer, or a manager)", CallViewSchema), async (c) => {
  const who = principalOf(c);
  const id = c.req.valid("param").id;
  await callFor(c, id);
  return c.json(unwrap(await coordinatorFor(c.env, who.tenantId).cancel({ callId: id, actor: actorOf(who) })), 200);
});
