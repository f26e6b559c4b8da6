// Closing a session's sockets everywhere it may have one: the tenant's queue coordinator
// (agent desk, waiting room), its dashboard hub, the direct-call desk, and the rooms of the
// user's live calls (which the coordinator and the desk name). Used by sign-out and by
// disabling an account.
import type { SessionEndReason } from "../sockets/protocol.ts";
import { coordinatorFor } from "../calls/coordinator.ts";

export async function closeSocketsOf(
  env: Env,
  tenantId: string,
  match: { userId: string; sessionId?: string },
  reason: SessionEndReason,
): Promise<number> {
  const [queue, desk, dashboards] = await Promise.all([
    coordinatorFor(env, tenantId).closeSockets(match, reason),
    env.DIRECT_CALL_DESK.getByName(tenantId).closeSockets(match, reason),
    env.DASHBOARD_HUB.getByName(tenantId).closeSockets(match, reason),
  ]);
  const rooms = [...new Set([...queue.roomSessions, ...desk.roomSessions])];
  const inRooms = await Promise.all(rooms.map((session) => env.CALL_ROOM.getByName(session).closeSockets(match, reason)));
  return queue.closed + desk.closed + dashboards + inRooms.reduce((a, b) => a + b, 0);
}
