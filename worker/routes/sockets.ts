// WebSocket upgrades. The Worker authenticates (token in the header, `?token=`, or the
// `bearer.<token>` subprotocol), checks what the caller may see, and hands the upgrade to
// the Durable Object that owns those sockets, with the verified principal attached.
import type { Context } from "hono";
import type { SocketPrincipal } from "../sockets/protocol.ts";
import { PRINCIPAL_HEADER, SESSION_HEADER, type SocketSession } from "../sockets/protocol.ts";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can, isStaff } from "../auth/permissions.ts";
import type { AppEnv } from "../http/app-env.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { coordinatorFor } from "../calls/coordinator.ts";

/** Under /video-calls: the staff socket and a call's waiting room. */
export const callSocketRoutes = router();
/** Under /rooms: a call's signalling room. */
export const roomRoutes = router();

/** 426 unless the request asks for a WebSocket. */
export function requireUpgrade(c: Context<AppEnv>) {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket only.");
  }
}

/** The Durable Object's 101 response with mutable headers, so middleware can add its own. */
export async function upgraded(response: Promise<Response>): Promise<Response> {
  const res = await response;
  return new Response(res.body, { status: res.status, headers: res.headers, webSocket: res.webSocket });
}

/** The upgrade request as the Durable Object receives it: only what it needs, plus the principal
 * and the session, so the object can close the socket when the token expires or is revoked. */
export function forwardUpgrade(c: Context<AppEnv>, principal: object): Request {
  const who = principalOf(c);
  const session: SocketSession = { id: who.sessionId, userId: who.userId, expiresAt: who.expiresAt };
  const headers = new Headers({
    Upgrade: "websocket",
    [PRINCIPAL_HEADER]: JSON.stringify(principal),
    [SESSION_HEADER]: JSON.stringify(session),
  });
  const protocols = c.req.header("Sec-WebSocket-Protocol");
  if (protocols) headers.set("Sec-WebSocket-Protocol", protocols);
  return new Request(c.req.url, { headers });
}

callSocketRoutes.get("/ws", requirePermission("video_calls.view_queue"), rateLimit("sockets", byUser), async (c) => {
  requireUpgrade(c);
  const who = principalOf(c);
  const principal: SocketPrincipal = {
    kind: "staff",
    tenantId: who.tenantId,
    userId: who.userId,
    name: who.name,
    role: who.role,
    manager: can(who.role, "video_calls.manage") || can(who.role, "video_calls.analytics"),
    canAccept: can(who.role, "video_calls.accept"),
  };
  return upgraded(coordinatorFor(c.env, who.tenantId).fetch(forwardUpgrade(c, principal)));
});

callSocketRoutes.get("/:id/ws", rateLimit("sockets", byUser), async (c) => {
  requireUpgrade(c);
  const who = principalOf(c);
  const callId = c.req.param("id");
  const coordinator = coordinatorFor(c.env, who.tenantId);
  const call = await coordinator.getCall(callId);
  if (!call || (!isStaff(who.role) && call.customer_id !== who.userId)) throw notFound("Video call");
  const principal: SocketPrincipal = {
    kind: "waiting-room",
    tenantId: who.tenantId,
    userId: who.userId,
    name: who.name,
    role: who.role,
    manager: false,
    canAccept: false,
    callId,
  };
  return upgraded(coordinator.fetch(forwardUpgrade(c, principal)));
});

roomRoutes.get("/:session_id/ws", rateLimit("sockets", byUser), async (c) => {
  requireUpgrade(c);
  const who = principalOf(c);
  const room = c.env.CALL_ROOM.getByName(c.req.param("session_id"));
  return upgraded(room.fetch(forwardUpgrade(c, { userId: who.userId, tenantId: who.tenantId })));
});
