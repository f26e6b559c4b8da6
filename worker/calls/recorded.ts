// Calls as D1 recorded them, in the wire shape: the history of calls that left the live queue.
import type { Principal } from "../auth/principal.ts";
import { can, isStaff } from "../auth/permissions.ts";
import { database } from "../db/client.ts";
import { finishedCalls, videoCallInTenant, type HistoryScope, type VideoCallRow } from "../db/video-calls.ts";
import { iso } from "../ids.ts";
import type { CallView } from "../schemas/messages.ts";

export function recordedView(row: VideoCallRow): CallView {
  return {
    id: row.id,
    verification_id: row.verificationId,
    customer_id: row.customerId,
    user_name: row.userName,
    status: row.status as CallView["status"],
    priority: row.priority as CallView["priority"],
    initial_priority: row.initialPriority as CallView["priority"],
    fraud_score: row.fraudScore,
    documents: [],
    created_at: iso(row.createdAt)!,
    wait_seconds: row.waitSeconds ?? 0,
    ...(row.agentId ? { assigned_agent_id: row.agentId } : {}),
    ...(row.assignedAt ? { assigned_at: iso(row.assignedAt)! } : {}),
    ...(row.sessionId ? { session_id: row.sessionId } : {}),
    ...(row.startedAt ? { started_at: iso(row.startedAt)! } : {}),
    ...(row.endedAt ? { ended_at: iso(row.endedAt)! } : {}),
    ...(row.endReason ? { end_reason: row.endReason } : {}),
    ...(row.decision ? { decision: row.decision } : {}),
    ...(row.decisionReason ? { decision_reason: row.decisionReason } : {}),
  };
}

/** A call from D1, scoped to the tenant; null when unknown there. */
export async function recordedCall(d1: D1Database, tenantId: string, id: string): Promise<CallView | null> {
  const row = await videoCallInTenant(database(d1), tenantId, id);
  return row ? recordedView(row) : null;
}

/** The finished calls the principal may list: the tenant's for analysts, an agent's own, a
 * customer's own; newest first. */
export async function callHistory(env: Env, who: Principal, page: { limit: number; cursor?: string | undefined }) {
  const scope: HistoryScope = can(who.role, "video_calls.analytics")
    ? { tenantId: who.tenantId }
    : isStaff(who.role)
      ? { tenantId: who.tenantId, agentId: who.userId }
      : { tenantId: who.tenantId, customerId: who.userId };
  const { items, nextCursor } = await finishedCalls(database(env.DB), scope, page);
  return { items: items.map(recordedView), next_cursor: nextCursor };
}
