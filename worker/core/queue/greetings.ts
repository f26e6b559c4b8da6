// What a socket hears when it (re)connects to the coordinator (API.md messages), and the pending
// list the REST route and the staff socket share. Pure: the queue state in, messages out.
import type { ReadinessConfig } from "../readiness.ts";
import type { PriorityLevel } from "../priority.ts";
import { iso } from "../../ids.ts";
import type { CallView, StaffServerMessage, WaitingRoomMessage } from "../../schemas/messages.ts";
import { activeCalls } from "./dashboard-events.ts";
import { queuePositions } from "./estimate.ts";
import { roomPath } from "./notifications.ts";
import { pendingInOrder } from "./order.ts";
import type { FinishedCall } from "./refusals.ts";
import type { QueueState } from "./types.ts";
import { agentView, callView, queueSummary } from "./views.ts";

export type PendingList = { pending_calls: CallView[]; total_pending: number; your_active_calls: CallView[] };

/** The pending list (API.md), optionally from a minimum priority, plus the agent's own active calls. */
export function pendingList(
  state: QueueState,
  now: number,
  input: { limit: number; priorityMin?: PriorityLevel; agentId: string },
): PendingList {
  const positions = queuePositions(state, now);
  const min = input.priorityMin ?? 0;
  const pending = pendingInOrder(state.calls.values()).filter((c) => c.priority >= min);
  const agent = state.agents.get(input.agentId);
  return {
    pending_calls: pending.slice(0, input.limit).map((c) => callView(c, now, positions.get(c.id), undefined, state.agents.values())),
    total_pending: pending.length,
    your_active_calls: (agent?.activeCallIds ?? []).map((id) => callView(state.calls.get(id)!, now)),
  };
}

/** How many pending calls a staff socket's initial state lists. */
export const INITIAL_PENDING_LIMIT = 200;

/** An agent's or manager's socket opens with who they are and the queue as it stands. */
export function staffGreeting(
  state: QueueState,
  now: number,
  who: { userId: string; role: string; manager: boolean },
  readiness: ReadinessConfig,
): StaffServerMessage[] {
  const { pending_calls, your_active_calls } = pendingList(state, now, { limit: INITIAL_PENDING_LIMIT, agentId: who.userId });
  const agent = state.agents.get(who.userId);
  return [
    { type: "connected", user_id: who.userId, role: who.role, server_time: iso(now)! },
    {
      type: "initial_state",
      pending_calls,
      your_active_calls,
      agent: agent ? agentView(agent, now, readiness) : null,
      queue: queueSummary(state, now),
      ...(who.manager ? { active_calls: activeCalls(state, now) } : {}),
    },
  ];
}

/** A customer (re)joining the waiting room hears where their call stands: its place while it
 * waits, its agent once assigned, the room once started, or how it ended. */
export function waitingRoomGreeting(state: QueueState, now: number, callId: string, finished: FinishedCall | null): WaitingRoomMessage[] {
  const connected: WaitingRoomMessage = { type: "connected", call_id: callId, server_time: iso(now)! };
  const call = state.calls.get(callId);
  if (!call) {
    if (!finished) return [connected];
    const end: WaitingRoomMessage =
      finished.view.status === "completed"
        ? { type: "call_completed", call_id: callId }
        : { type: "call_cancelled", reason: finished.view.end_reason ?? finished.view.status };
    return [connected, end];
  }
  if (call.status === "pending") {
    const position = queuePositions(state, now).get(callId)!;
    return [
      connected,
      {
        type: "position_update",
        position_in_queue: position.position,
        estimated_wait_seconds: position.estimatedWaitSeconds,
        priority: callView(call, now).priority,
      },
    ];
  }
  const assigned: WaitingRoomMessage = { type: "call_assigned", agent_name: state.agents.get(call.assignedAgentId!)?.name ?? "Your agent" };
  if (call.status !== "in_progress") return [connected, assigned];
  return [connected, assigned, { type: "call_started", session_id: call.sessionId!, room_ws_url: roomPath(call.sessionId!) }];
}

/** A live call as the API shows it: its place while pending, its agent's name once assigned. */
export function liveCallView(state: QueueState, callId: string, now: number): CallView | null {
  const call = state.calls.get(callId);
  if (!call) return null;
  const agentName = call.assignedAgentId ? state.agents.get(call.assignedAgentId)?.name : undefined;
  return callView(call, now, queuePositions(state, now).get(call.id), agentName);
}
