// Starting a video call: the coordinator marks it in progress, and the call's signalling room
// opens for exactly its agent and its customer.
import type { Principal } from "../auth/principal.ts";
import { isStaff } from "../auth/permissions.ts";
import { roomPath } from "../core/queue/notifications.ts";
import { coordinatorFor, unwrap } from "./coordinator.ts";
import { iceServersFor } from "./ice.ts";
import { actorOf } from "./lookup.ts";

/** Starts the call; the answer is API.md's StartResponse (room, ICE servers, the call). */
export async function startCall(env: Env, who: Principal, callId: string) {
  const call = unwrap(await coordinatorFor(env, who.tenantId).start({ callId, actor: actorOf(who), customer: !isStaff(who.role) }));
  const session = call.session_id!;
  // The room admits exactly the call's agent and customer (opening twice is harmless).
  await env.CALL_ROOM.getByName(session).open({
    sessionId: session,
    tenantId: who.tenantId,
    kind: "video",
    callId: call.id,
    participants: [
      { user_id: call.assigned_agent_id!, role: "agent", name: call.assigned_agent_name ?? "Agent" },
      { user_id: call.customer_id, role: "customer", name: call.user_name },
    ],
  });
  return { session_id: session, room_ws_url: roomPath(session), ice_servers: await iceServersFor(env, who.userId), call };
}
