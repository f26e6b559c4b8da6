// Which socket hears what after a queue change (API.md messages). Pure: a transition in,
// addressed messages out; the coordinator only sends them.
import type { ReadinessConfig } from "../readiness.ts";
import { wordOf } from "../priority.ts";
import { queuePositions, type Position } from "./estimate.ts";
import type { QueueEvent } from "./transaction.ts";
import type { Call, QueueState } from "./types.ts";
import { iso } from "../../ids.ts";
import type { StaffServerMessage, WaitingRoomMessage } from "../../schemas/messages.ts";
import { agentView, callView, finishedCallView, queueSummary } from "./views.ts";

export type Target = { kind: "staff" } | { kind: "managers" } | { kind: "user"; userId: string } | { kind: "waiting-room"; callId: string };

export type Outgoing =
  | { to: Exclude<Target, { kind: "waiting-room" }>; message: StaffServerMessage }
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

const staff = (message: StaffServerMessage): Outgoing => ({ to: { kind: "staff" }, message });
const user = (userId: string, message: StaffServerMessage): Outgoing => ({ to: { kind: "user", userId }, message });
const room = (callId: string, message: WaitingRoomMessage): Outgoing => ({ to: { kind: "waiting-room", callId }, message });

function messagesForEvent(event: QueueEvent, after: QueueState, ctx: NotifyContext, positions: Map<string, Position>): Outgoing[] {
  const view = (call: Call) => callView(call, ctx.now, positions.get(call.id));
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
    case "started":
      return [
        staff({ type: "call_started", call: view(event.call) }),
        room(event.call.id, { type: "call_started", session_id: event.call.sessionId!, room_ws_url: roomPath(event.call.sessionId!) }),
      ];
    case "finished": {
      const finished = finishedCallView(event.call, event.status, event.endedAt, event.reason, event.outcome);
      if (event.status === "completed") {
        const decision = event.outcome
          ? { decision: event.outcome.decision, ...(event.outcome.reasonCode ? { reason_code: event.outcome.reasonCode } : {}) }
          : {};
        return [
          staff({ type: "call_completed", call_id: event.call.id, call: finished }),
          room(event.call.id, { type: "call_completed", call_id: event.call.id, ...decision }),
        ];
      }
      return [
        staff({ type: "call_cancelled", call_id: event.call.id, reason: event.reason }),
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

/** Every message a transition from `before` to `after` causes. */
export function notificationsFor(events: QueueEvent[], before: QueueState, after: QueueState, ctx: NotifyContext): Outgoing[] {
  const positions = queuePositions(after, ctx.now);
  const out = events.flatMap((e) => messagesForEvent(e, after, ctx, positions));

  const summaryBefore = queueSummary(before, ctx.now);
  const summaryAfter = queueSummary(after, ctx.now);
  if (JSON.stringify({ ...summaryBefore, longest_wait_seconds: 0 }) !== JSON.stringify({ ...summaryAfter, longest_wait_seconds: 0 })) {
    out.push(staff({ type: "queue_update", ...summaryAfter }));
  }

  // Customers hear their place only when it moved.
  const previous = queuePositions(before, ctx.now);
  for (const [callId, position] of positions) {
    const was = previous.get(callId);
    const call = after.calls.get(callId)!;
    if (
      was &&
      was.position === position.position &&
      was.estimatedWaitSeconds === position.estimatedWaitSeconds &&
      before.calls.get(callId)?.priority === call.priority
    )
      continue;
    out.push(
      room(callId, {
        type: "position_update",
        position_in_queue: position.position,
        estimated_wait_seconds: position.estimatedWaitSeconds,
        priority: wordOf(call.priority),
      }),
    );
  }
  return out;
}
