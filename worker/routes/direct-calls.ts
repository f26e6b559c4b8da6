// Direct voice calls and presence (API.md "Direct voice calls", seed 003). The tenant's
// DirectCallDesk owns the calls; these routes check who may ask and shape the answers.
import { createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can, isStaff } from "../auth/permissions.ts";
import { mayReach, NOWHERE, type Elsewhere } from "../core/direct-calls.ts";
import type { Principal } from "../auth/principal.ts";
import { database } from "../db/client.ts";
import { userInTenant } from "../db/users.ts";
import { notFound, unwrap } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { Context } from "hono";
import { coordinatorFor } from "../calls/coordinator.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  CallIdBody,
  DirectCallSchema,
  HistoryQuery,
  InitiateRequest,
  MissedList,
  SignalRequest,
  SignalsQuery,
  StatusUpdate,
  UserStateSchema,
} from "../schemas/direct-calls.ts";
import { forwardUpgrade, requireUpgrade, upgraded } from "./sockets.ts";

/** Under /status: who is reachable. */
export const presenceRoutes = router();
/** Under /call: the calls themselves. */
export const directCallRoutes = router();
for (const routes of [presenceRoutes, directCallRoutes]) routes.use("*", requirePermission("direct_calls.use"));

const desk = (env: Env, tenantId: string) => env.DIRECT_CALL_DESK.getByName(tenantId);
const me = (who: Principal) => ({ id: who.userId, name: who.name });

/** An agent at the video desk is present for direct calls, and busy with a video call; others
 * are known to the direct-call desk alone. */
async function videoDesk(env: Env, tenantId: string, user: { id: string; name: string; role: Principal["role"] }): Promise<Elsewhere> {
  if (!can(user.role, "video_calls.accept")) return NOWHERE;
  return coordinatorFor(env, tenantId).reachability({ id: user.id, name: user.name });
}

function route<
  const M extends "get" | "post",
  const P extends string,
  const R extends NonNullable<RouteConfig["request"]>,
  S extends z.ZodType,
>(method: M, path: P, summary: string, request: R, response: S, statuses: number[]) {
  return createRoute({
    method,
    path,
    tags: ["direct calls"],
    summary,
    security: [{ bearer: [] }],
    request,
    responses: { 200: json(response, "OK"), ...errors(...statuses) },
  });
}

presenceRoutes.openapi(route("post", "/heartbeat", "I am here (offline after 30 s without one)", {}, UserStateSchema, [401]), async (c) => {
  const who = principalOf(c);
  const state = await desk(c.env, who.tenantId).heartbeat(me(who));
  return c.json({ status: state.status, last_seen: state.last_seen, user_id: state.user_id }, 200);
});

presenceRoutes.openapi(
  route("post", "/update", "Choose online, busy or offline", { body: jsonBody(StatusUpdate) }, UserStateSchema, [400, 401]),
  async (c) => {
    const who = principalOf(c);
    return c.json(await desk(c.env, who.tenantId).setStatus(me(who), c.req.valid("json").status), 200);
  },
);

/** A user of the tenant the caller may call or see (core/direct-calls.ts mayReach); others are 404. */
async function reachableUser(c: Context<AppEnv>, id: string) {
  const who = principalOf(c);
  const user = await userInTenant(database(c.env.DB), who.tenantId, id);
  if (!user || !mayReach({ id: who.userId, staff: isStaff(who.role) }, { id: user.id, staff: isStaff(user.role) })) throw notFound("User");
  return user;
}

presenceRoutes.openapi(route("get", "/user/{id}", "A user's call status", { params: IdParam }, UserStateSchema, [401, 404]), async (c) => {
  const who = principalOf(c);
  const user = await reachableUser(c, c.req.valid("param").id);
  const elsewhere = await videoDesk(c.env, who.tenantId, user);
  return c.json(await desk(c.env, who.tenantId).userState(user.id, elsewhere), 200);
});

directCallRoutes.openapi(
  createRoute({
    method: "post",
    path: "/initiate",
    tags: ["direct calls"],
    summary: "Call someone: 201 ringing, or 200 busy/offline (logged as a missed call)",
    security: [{ bearer: [] }],
    middleware: [rateLimit("direct_calls", byUser)] as const,
    request: { body: jsonBody(InitiateRequest) },
    responses: { 201: json(DirectCallSchema, "Ringing"), 200: json(DirectCallSchema, "Busy or offline"), ...errors(400, 401, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const callee = await reachableUser(c, c.req.valid("json").callee_id);
    const call = unwrap(
      await desk(c.env, who.tenantId).initiate({
        tenantId: who.tenantId,
        caller: me(who),
        callee: { id: callee.id, name: callee.name },
        calleeElsewhere: await videoDesk(c.env, who.tenantId, callee),
      }),
    );
    return call.status === "ringing" ? c.json(call, 201) : c.json(call, 200);
  },
);

for (const action of ["answer", "reject", "hangup"] as const) {
  directCallRoutes.openapi(
    route(
      "post",
      `/${action}`,
      `${action[0]!.toUpperCase()}${action.slice(1)} a call`,
      { body: jsonBody(CallIdBody) },
      DirectCallSchema,
      [400, 401, 403, 404, 409],
    ),
    async (c) => {
      const who = principalOf(c);
      return c.json(unwrap(await desk(c.env, who.tenantId).act(c.req.valid("json").call_id, action, who.userId)), 200);
    },
  );
}

directCallRoutes.openapi(route("get", "/missed", "Calls that rang for me and that I did not take", {}, MissedList, [401]), async (c) => {
  const who = principalOf(c);
  return c.json(await desk(c.env, who.tenantId).missed(who.userId), 200);
});

directCallRoutes.openapi(
  route("post", "/mark-seen/{id}", "Mark a missed call seen", { params: IdParam }, DirectCallSchema, [401, 404, 409]),
  async (c) => {
    const who = principalOf(c);
    return c.json(unwrap(await desk(c.env, who.tenantId).markSeen(c.req.valid("param").id, who.userId)), 200);
  },
);

directCallRoutes.openapi(
  route(
    "get",
    "/history",
    "My calls, or only those with one user",
    { query: HistoryQuery },
    z.object({ items: z.array(DirectCallSchema) }),
    [400, 401],
  ),
  async (c) => {
    const who = principalOf(c);
    const { with: withUser, limit } = c.req.valid("query");
    return c.json({ items: await desk(c.env, who.tenantId).history(who.userId, withUser, limit) }, 200);
  },
);

directCallRoutes.openapi(
  route(
    "post",
    "/signal",
    "Send a WebRTC signal (polling fallback to the room socket)",
    { body: jsonBody(SignalRequest) },
    z.object({ queued: z.literal(true) }),
    [400, 401, 404, 409],
  ),
  async (c) => {
    const who = principalOf(c);
    const { call_id, signal } = c.req.valid("json");
    return c.json(unwrap(await desk(c.env, who.tenantId).signal(call_id, who.userId, signal)), 200);
  },
);

directCallRoutes.openapi(
  route(
    "get",
    "/signals",
    "Signals waiting for me (each delivered once)",
    { query: SignalsQuery },
    z.object({ signals: z.array(z.looseObject({ type: z.string() })) }),
    [400, 401, 404],
  ),
  async (c) => {
    const who = principalOf(c);
    const raw = unwrap(await desk(c.env, who.tenantId).takeSignals(c.req.valid("query").call_id, who.userId));
    return c.json({ signals: raw.map((text) => JSON.parse(text)) }, 200);
  },
);

directCallRoutes.get("/ws", rateLimit("sockets", byUser), async (c) => {
  requireUpgrade(c);
  const who = principalOf(c);
  return upgraded(desk(c.env, who.tenantId).fetch(forwardUpgrade(c, { userId: who.userId, name: who.name, tenantId: who.tenantId })));
});

directCallRoutes.openapi(route("get", "/{id}", "One of my calls", { params: IdParam }, DirectCallSchema, [401, 404]), async (c) => {
  const who = principalOf(c);
  const call = await desk(c.env, who.tenantId).get(c.req.valid("param").id, who.userId);
  if (!call) throw notFound("Call");
  return c.json(call, 200);
});
