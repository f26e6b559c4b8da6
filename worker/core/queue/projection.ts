// The D1 record of the queue (video_calls, call_offers, verification status), derived from
// queue events. Pure: events in, write operations out; the coordinator stores them in its
// outbox in the same transaction as the state change, so a D1 hiccup loses nothing.
import type { D1Op } from "../../outbox/ops.ts";
import { callStartedEvent } from "../../webhooks/events.ts";
import { wordOf } from "../priority.ts";
import type { QueueEvent } from "./transaction.ts";

/** The verification's side of an enqueue: the coordinator is the one writer of a verification's
 * call status, and only an open verification takes it. */
export function verificationQueuedOp(verificationId: string, callId: string, at: number): D1Op {
  return {
    op: "verification_set",
    id: verificationId,
    at,
    fields: { status: "pending_video_call", call_id: callId },
    onlyIfStatus: ["created", "pending_video_call", "needs_review"],
  };
}

export const offerId = (callId: string, agentId: string, offeredAt: number) => `${callId}:${agentId}:${offeredAt}`;

const OFFER_OUTCOME: Record<string, string> = { rejected: "rejected", expired: "expired" };

/** D1 writes that record `events`. */
export function projectEvents(events: QueueEvent[]): D1Op[] {
  const ops: D1Op[] = [];
  for (const e of events) {
    switch (e.type) {
      case "enqueued":
        ops.push({
          op: "call_insert",
          row: {
            id: e.call.id,
            tenant_id: e.call.tenantId,
            verification_id: e.call.verificationId,
            customer_id: e.call.customerId,
            user_name: e.call.userName,
            status: "pending",
            priority: wordOf(e.call.priority),
            initial_priority: wordOf(e.call.initialPriority),
            fraud_score: e.call.fraudScore,
            queue_id: e.call.queueId,
            created_at: e.call.enqueuedAt,
          },
        });
        break;
      case "offered": {
        const offer = e.call.offer!;
        ops.push(
          {
            op: "offer_insert",
            row: {
              id: offerId(e.call.id, e.agentId, offer.offeredAt),
              tenant_id: e.call.tenantId,
              call_id: e.call.id,
              agent_id: e.agentId,
              offered_at: offer.offeredAt,
              fallback: e.fallback,
            },
          },
          { op: "call_first_offer", id: e.call.id, at: offer.offeredAt },
        );
        break;
      }
      case "offerReleased":
        ops.push({
          op: "offer_resolve",
          id: offerId(e.call.id, e.agentId, e.offer.offeredAt),
          outcome: OFFER_OUTCOME[e.reason] ?? "released",
          at: e.at,
        });
        break;
      case "assigned":
        // The agent's own offer: accepted by them, or released by a manager's assignment to them.
        if (e.offer) {
          const outcome = e.via === "offer" ? "accepted" : "released";
          ops.push({ op: "offer_resolve", id: offerId(e.call.id, e.agentId, e.offer.offeredAt), outcome, at: e.at });
        }
        ops.push({
          op: "call_set",
          id: e.call.id,
          at: e.call.assignedAt!,
          fields: {
            status: "assigned",
            agent_id: e.agentId,
            session_id: e.call.sessionId,
            assigned_at: e.call.assignedAt,
            wait_seconds: Math.round((e.call.assignedAt! - e.call.enqueuedAt) / 1000),
            priority: wordOf(e.call.priority),
          },
        });
        break;
      case "unassigned":
        ops.push({
          op: "call_set",
          id: e.call.id,
          at: e.at,
          fields: { status: "pending", agent_id: null, session_id: null, assigned_at: null, wait_seconds: null },
        });
        break;
      case "started":
        ops.push(
          { op: "call_set", id: e.call.id, at: e.call.startedAt!, fields: { status: "in_progress", started_at: e.call.startedAt } },
          {
            op: "verification_set",
            id: e.call.verificationId,
            at: e.call.startedAt!,
            fields: { status: "in_video_call" },
            onlyIfStatus: ["pending_video_call"],
          },
          {
            op: "webhook_event",
            event: callStartedEvent({
              tenantId: e.call.tenantId,
              verificationId: e.call.verificationId,
              callId: e.call.id,
              startedAt: e.call.startedAt!,
            }),
          },
        );
        break;
      case "finished": {
        const decision = e.outcome ? { decision: e.outcome.decision, decision_reason: e.outcome.reasonCode } : {};
        ops.push({
          op: "call_set",
          id: e.call.id,
          at: e.endedAt,
          fields: { status: e.status, ended_at: e.endedAt, duration_seconds: e.durationSeconds, end_reason: e.reason, ...decision },
        });
        if (e.outcome) {
          // The verification follows the agent's decision.
          ops.push({
            op: "verification_set",
            id: e.call.verificationId,
            at: e.endedAt,
            fields: { status: e.outcome.decision, ...decision, decided_at: e.endedAt },
            onlyIfStatus: ["pending_video_call", "in_video_call"],
          });
        } else if (e.status !== "completed") {
          ops.push({
            op: "verification_set",
            id: e.call.verificationId,
            at: e.endedAt,
            fields: { status: "pending_video_call" },
            onlyIfStatus: ["in_video_call"],
          });
        }
        break;
      }
      case "escalated":
        ops.push({ op: "call_set", id: e.call.id, at: e.at, fields: { priority: wordOf(e.to) } });
        break;
      case "agentUpdated":
        break;
    }
  }
  return ops;
}
