// Which socket hears what after a queue change (API.md messages). Pure: a transition in,
// addressed messages out; the coordinator only sends them. Whoever a change concerns hears it
// at once: the offered or assigned agent, the customer, managers for agents' states. The
// pending-list messages every staff socket hears ("staff") go out coalesced with the queue
// summary and the customers' places, a few times a second (staff-digest.ts).
import type { ReadinessConfig } from "../readiness.ts";
import { wordOf } from "../priority.ts";
import { queuePositions, type Position } from "./estimate.ts";
import type { PendingListMessage } from "./staff-digest.ts";
import type { QueueEvent } from "./transaction.ts";
import type { Call, QueueState } from "./types.ts";
import { iso } from "../../ids.ts";
import type { StaffServerMessage, WaitingRoomMessage } from "../../schemas/messages.ts";
import { agentView, callView, finishedCallView } from "./views.ts";

export type Target = { kind: "staff" } | { kind: "managers" } | { kind: "user"; userId: string } | { kind: "waiting-room"; callId: string };

export type Outgoing =
  | { to: { kind: "staff" }; message: PendingListMessage }
  | { to: { kind: "managers" } | { kind: "user"; userId: string }; message: StaffServerMessage }
  | { to: Extract<Target, { kind: "waiting-room" }>; message: WaitingRoomMessage };

/** The socket tag a target's sockets carry in the coordinator (see its fetch). */
export function socketTag(to: Target): string {
  switch (to.kind) {
    case "staff":
    case "managers":
      return to.kind;
    case "user":
      return `user:${to.userId}`;
    case "waiting-room":
      return `call:${to.callId}`;
  }
}

/** Where both participants' browsers join a call's signalling room. */
export const roomPath = (sessionId: string) => `/api/v1/rooms/${sessionId}/ws`;

export type NotifyContext = { now: number; readiness: ReadinessConfig };

const staff = (message: PendingListMessage): Outgoing => ({ to: { kind: "staff" }, message });
const user = (userId: string, message: StaffServerMessage): Outgoing => ({ to: { kind: "user", userId }, message });
const room = (callId: string, message: WaitingRoomMessage): Outgoing => ({ to: { kind: "waiting-room", callId }, message });

function messagesForEvent(event: QueueEvent, after: QueueState, ctx: NotifyContext, positions: () => Map<string, Position>): Outgoing[] {
  const view = (call: Call) => callView(call, ctx.now, positions().get(call.id));
  switch (event.type) {
    case "enqueued":
    case "unassigned":
      return [staff({ type: "new_call", call: view(event.call) })];
    case "offered":
      return [
        user(event.agentId, {
          type: "call_offered",
          call_id: event.call.id,
          priority: wordOf(event.call.priority),
          user_name: event.call.userName,
          expires_at: iso(event.call.offer!.expiresAt)!,
          offered_at: iso(event.call.offer!.offeredAt)!,
          offer_timeout_seconds: Math.round((event.call.offer!.expiresAt - event.call.offer!.offeredAt) / 1000),
          call: view(event.call),
        }),
      ];
    case "offerReleased":
      return [user(event.agentId, { type: "offer_revoked", call_id: event.call.id, reason: event.reason })];
    case "assigned": {
      const agentName = after.agents.get(event.agentId)?.name ?? "Your agent";
      return [
        user(event.agentId, { type: "call_assigned", call: view(event.call) }),
        staff({ type: "call_taken", call_id: event.call.id, by: event.agentId, call: callView(event.call, ctx.now, undefined, agentName) }),
        room(event.call.id, { type: "call_assigned", agent_name: agentName }),
      ];
    }
    case "started": {
      const message = { type: "call_started", call: view(event.call) } as const;
      return [
        ...(event.call.assignedAgentId ? [user(event.call.assignedAgentId, message)] : []),
        staff(message),
        room(event.call.id, { type: "call_started", session_id: event.call.sessionId!, room_ws_url: roomPath(event.call.sessionId!) }),
      ];
    }
    case "finished": {
      // The agent who had the call (or its open offer) hears its end at once.
      const agentId = event.call.assignedAgentId ?? event.call.offer?.agentId;
      const concerned = (message: PendingListMessage): Outgoing[] => [...(agentId ? [user(agentId, message)] : []), staff(message)];
      const finished = finishedCallView(event.call, event.status, event.endedAt, event.reason, event.outcome);
      if (event.status === "completed") {
        const decision = event.outcome
          ? { decision: event.outcome.decision, ...(event.outcome.reasonCode ? { reason_code: event.outcome.reasonCode } : {}) }
          : {};
        return [
          ...concerned({ type: "call_completed", call_id: event.call.id, call: finished }),
          room(event.call.id, { type: "call_completed", call_id: event.call.id, ...decision }),
        ];
      }
      return [
        ...concerned({ type: "call_cancelled", call_id: event.call.id, reason: event.reason }),
        room(event.call.id, { type: "call_cancelled", reason: event.reason }),
      ];
    }
    case "relaxed":
    case "escalated":
      return [staff({ type: "call_updated", call: view(event.call) })];
    case "agentUpdated": {
      const message: StaffServerMessage = { type: "agent_status_changed", agent: agentView(event.agent, ctx.now, ctx.readiness) };
      // Managers watch everyone; the agent hears of their own change (say, paused after missed offers).
      return [{ to: { kind: "managers" }, message }, user(event.agent.id, message)];
    }
  }
}

/** Every message a transition's events cause at once, and the pending-list messages to coalesce. */
export function notificationsFor(events: QueueEvent[], after: QueueState, ctx: NotifyContext): Outgoing[] {
  if (events.length === 0) return [];
  // Places sort every waiting call: worked out once, and only when an event shows a call (an
  // agent's status change, the most frequent event, shows none).
  let positions: Map<string, Position> | null = null;
  const placed = () => (positions ??= queuePositions(after, ctx.now));
  return events.flatMap((e) => messagesForEvent(e, after, ctx, placed));
}
